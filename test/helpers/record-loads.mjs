/**
 * `node --import <this file>` (or NODE_OPTIONS=--import=...): appends the URL of every ES module
 * the process's main thread loads to the file named by VAKT_RECORD_LOADS, one per line, for tests
 * of what a start loads. (Node 20 runs no --import in worker threads.)
 */
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

// The hooks below run in Node's hooks thread (not the main thread), which loads this file again.
if (isMainThread && process.env.VAKT_RECORD_LOADS) register(import.meta.url, { data: process.env.VAKT_RECORD_LOADS });

let out = null;
export function initialize(file) {
  out = file;
}
export async function load(url, context, next) {
  if (out) appendFileSync(out, url + '\n');
  return next(url, context);
}

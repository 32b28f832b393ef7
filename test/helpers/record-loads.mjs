/**
 * `node --import <this file>` (or NODE_OPTIONS=--import=...): appends the URL of every ES module
 * the process's main thread loads to the file named by VAKT_RECORD_LOADS, one per line, for tests
 * of what a start loads; and of every CommonJS file it require()s (a package required on first use
 * never passes the ES module hooks). (Node 20 runs no --import in worker threads.)
 */
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';

// The hooks below run in Node's hooks thread (not the main thread), which loads this file again.
if (isMainThread && process.env.VAKT_RECORD_LOADS) {
  const file = process.env.VAKT_RECORD_LOADS;
  register(import.meta.url, { data: file });
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    const exports = load.call(this, request, parent, isMain);
    if (!request.startsWith('node:') && !Module.isBuiltin(request)) {
      try {
        appendFileSync(file, pathToFileURL(Module._resolveFilename(request, parent, isMain)).href + '\n');
      } catch {
        // not a file (resolved by a hook)
      }
    }
    return exports;
  };
}

let out = null;
export function initialize(file) {
  out = file;
}
export async function load(url, context, next) {
  if (out) appendFileSync(out, url + '\n');
  return next(url, context);
}

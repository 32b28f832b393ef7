/**
 * Where better-sqlite3 is, for a thread of our own to `require` it (the checkpoint thread,
 * db/checkpoint.ts; the integrity check, db/integrity.ts): such a thread runs plain CommonJS and
 * has no module resolution of this file's.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** better-sqlite3's entry for a thread to `require` (from this module; in a bundle without node_modules beside it, from the working directory's). */
export function sqliteDriverPath(): string {
  try {
    return createRequire(import.meta.url).resolve('better-sqlite3');
  } catch {
    return createRequire(join(process.cwd(), 'noop.js')).resolve('better-sqlite3');
  }
}

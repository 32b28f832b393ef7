/**
 * Where better-sqlite3 is, for a thread of our own to `require` it (the checkpoint thread,
 * db/checkpoint.ts; the integrity check, db/integrity.ts): such a thread runs plain CommonJS and
 * has no module resolution of this file's. And the rest such a thread is given.
 */
import { createRequire } from 'node:module';
import { endianness } from 'node:os';
import { join } from 'node:path';

/** better-sqlite3's entry for a thread to `require` (from this module; in a bundle without node_modules beside it, from the working directory's). */
export function sqliteDriverPath(): string {
  try {
    return createRequire(import.meta.url).resolve('better-sqlite3');
  } catch {
    return createRequire(join(process.cwd(), 'noop.js')).resolve('better-sqlite3');
  }
}

/** What each of our SQLite threads is given: the database file, the driver, its busy timeout and the byte order of the wal-index (db/wal-index.ts). */
export function threadData(file: string, busyTimeoutMs = 5000): { file: string; driver: string; busyTimeoutMs: number; little: boolean } {
  return { file, driver: sqliteDriverPath(), busyTimeoutMs, little: endianness() === 'LE' };
}

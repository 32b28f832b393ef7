/**
 * The WAL's state as SQLite keeps it for every connection: the wal-index header at the start of the
 * `-shm` file (https://www.sqlite.org/walformat.html, native byte order). Read by the checkpoint thread
 * (db/checkpoint.ts: frames not yet copied), the integrity check (db/integrity.ts: whether commits have
 * stopped) and tests, without a connection or a lock.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { endianness } from 'node:os';

/** Byte offsets in the header: iChange (bumped by each commit), mxFrame (frames in the WAL), nBackfill (of them copied into the database). */
const AT = { change: 8, mxFrame: 16, nBackfill: 96, size: 100 } as const;

export interface WalIndex {
  change: number;
  mxFrame: number;
  nBackfill: number;
}

/**
 * Plain JavaScript for a thread's CommonJS source: `walIndex(fd, buf, little)` reads the header from the
 * open `-shm` file `fd` into `buf` (100 bytes) and returns {change, mxFrame, nBackfill}, or null when short.
 */
export const WAL_INDEX_JS = `
function walIndex(fd, buf, little) {
  if (require('node:fs').readSync(fd, buf, 0, ${AT.size}, 0) < ${AT.size}) return null;
  const u32 = (o) => (little ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  return { change: u32(${AT.change}), mxFrame: u32(${AT.mxFrame}), nBackfill: u32(${AT.nBackfill}) };
}
`;

/** The wal-index header of the WAL database `file` (tests, diagnostics). */
export function walIndexOf(file: string): WalIndex {
  const b = Buffer.alloc(AT.size);
  const fd = openSync(`${file}-shm`, 'r');
  try {
    readSync(fd, b, 0, AT.size, 0);
  } finally {
    closeSync(fd);
  }
  const u32 = (o: number) => (endianness() === 'LE' ? b.readUInt32LE(o) : b.readUInt32BE(o));
  return { change: u32(AT.change), mxFrame: u32(AT.mxFrame), nBackfill: u32(AT.nBackfill) };
}

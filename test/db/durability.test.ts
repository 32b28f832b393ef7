import { LATEST_VERSION } from '../../db/migrate.js';
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, readFileSync, writeFileSync, openSync, writeSync, closeSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { parseCaseNumber } from '../../core/ids/case-number.js';
import { restoreDataDir, validateDatabaseFile } from '../../db/backup.js';
import { SIDECAR_NAME } from '../../db/case-numbers.js';
import { DatabaseCorruptError, NotAVaktDatabaseError } from '../../db/errors.js';
import { listBackups } from '../../db/files.js';
import { openStore } from '../../db/store.js';
import { runBackup, runRestore } from '../../main/hosts/cli/store.js';
import { cleanupTempDirs, seeded, T0, tempDir } from './helpers.js';
import type { testStore } from './helpers.js';

afterEach(cleanupTempDirs);

const io = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } }, out, err };
};

function register(store: ReturnType<typeof testStore>['store'], customerId: string, n: number): string[] {
  return Array.from({ length: n }, () => store.tickets.register({ customerId, channel: 'phone' }).caseNumber);
}

describe('connection settings', () => {
  it('uses WAL, FULL sync, foreign keys and a busy timeout; checkpoints on request and TRUNCATE at close', () => {
    const { store, dataDir } = seeded();
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    const r = store.checkpoint();
    expect(r.busy).toBe(0);
    store.close();
    const wal = join(dataDir, 'vakt.db-wal');
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
  });
});

describe('damaged database', () => {
  it('is detected by the full check at open (quickCheckAtOpen), kept byte for byte, and the error names the file and the backups', () => {
    const { store, dataDir, customer } = seeded();
    register(store, customer.id, 200);
    const backup = store.backup();
    store.close();
    const file = join(dataDir, 'vakt.db');
    // scribble over some b-tree pages
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(4096 * 3, 0xa5), 0, 4096 * 3, 4096 * 4);
    closeSync(fd);
    const damaged = readFileSync(file);
    let err: unknown;
    try {
      // the full check at open, before any write (the app runs it in the background instead: test/main/integrity.test.ts)
      openStore({ dataDir, clock: new ManualClock(T0), machineId: 'test-machine', quickCheckAtOpen: true });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DatabaseCorruptError);
    expect((err as DatabaseCorruptError).file).toBe(file);
    expect((err as Error).message).toContain('vakt restore');
    expect((err as DatabaseCorruptError).backups).toEqual([backup]);
    expect(readFileSync(file).equals(damaged)).toBe(true);
  });

  it('a file that is not SQLite at all is reported as damaged, not overwritten', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'vakt.db'), 'hello, this is not a database'.repeat(200));
    expect(() => openStore({ dataDir: dir, clock: new ManualClock(T0) })).toThrow(DatabaseCorruptError);
    expect(readFileSync(join(dir, 'vakt.db'), 'utf8')).toMatch(/^hello/);
  });
});

describe('backup and restore', () => {
  it('vakt backup writes a valid copy; vakt restore validates, keeps the current db, and replaces it', async () => {
    const { store, dataDir, customer } = seeded();
    const first = register(store, customer.id, 3);
    store.close();
    const b = io();
    expect(await runBackup(['--data-dir', dataDir], b.io, new ManualClock(T0 + 1000))).toBe(0);
    const backupFile = b.out.join('').trim();
    expect(validateDatabaseFile(backupFile)).toMatchObject({ version: LATEST_VERSION, tickets: 3 });
    expect(await runBackup(['--data-dir', dataDir, '--to', backupFile], io().io)).toBe(1); // never overwrites

    const s2 = openStore({ dataDir, clock: new ManualClock(T0 + 2000), machineId: 'test-machine' });
    const later = register(s2, customer.id, 2);
    s2.close();

    const r = io();
    expect(await runRestore([backupFile, '--data-dir', dataDir], r.io, new ManualClock(T0 + 3000))).toBe(0);
    expect(r.out.join('')).toMatch(/previous database was kept at .*before-restore/);
    const kept = listBackups(dataDir).find((f) => f.includes('before-restore')) as string;
    expect(validateDatabaseFile(kept).tickets).toBe(5);

    // numbers issued after the backup are never reissued after restoring it
    const s3 = openStore({ dataDir, clock: new ManualClock(T0 + 4000), machineId: 'test-machine' });
    const afterRestore = register(s3, customer.id, 3);
    s3.close();
    const all = [...first, ...later, ...afterRestore];
    expect(new Set(all).size).toBe(all.length);
    const seq = (n: string) => parseCaseNumber(n).sequence;
    expect(Math.min(...afterRestore.map(seq))).toBeGreaterThan(Math.max(...later.map(seq)));
  });

  it('restore refuses damaged, foreign and too-new files and changes nothing', async () => {
    const { store, dataDir } = seeded();
    store.close();
    const before = readFileSync(join(dataDir, 'vakt.db'));
    const junk = join(tempDir(), 'junk.db');
    writeFileSync(junk, 'junk'.repeat(1000));
    const foreign = join(tempDir(), 'foreign.db');
    const f = new Database(foreign);
    f.exec('CREATE TABLE t (a)');
    f.close();
    for (const file of [junk, foreign, join(dataDir, 'nope.db')]) {
      const r = io();
      expect(await runRestore([file, '--data-dir', dataDir], r.io)).toBe(1);
      expect(r.err.join('')).toMatch(/vakt restore: .*\nNothing was changed/s);
    }
    expect(() => validateDatabaseFile(foreign)).toThrow(NotAVaktDatabaseError);
    expect(readFileSync(join(dataDir, 'vakt.db')).equals(before)).toBe(true);
    const h = io();
    expect(await runRestore(['--help'], h.io)).toBe(0);
    expect(h.out.join('')).toMatch(/Usage: vakt restore FILE/);
    expect(await runBackup(['--bogus'], io().io)).toBe(2);
  });
});

describe('case numbers are never reissued', () => {
  it('a clean restart continues without a gap; a crash skips at most one reservation block', () => {
    const { store, dataDir, customer } = seeded({ reservationBlock: 16 });
    const a = register(store, customer.id, 3);
    store.close();
    const s2 = openStore({ dataDir, clock: new ManualClock(T0), machineId: 'test-machine', reservationBlock: 16 });
    const b = register(s2, customer.id, 1);
    expect(parseCaseNumber(b[0] as string).sequence).toBe(4);
    s2.db.close(); // "crash": no clean close
    const s3 = openStore({ dataDir, clock: new ManualClock(T0), machineId: 'test-machine', reservationBlock: 16 });
    const c = register(s3, customer.id, 1);
    expect(parseCaseNumber(c[0] as string).sequence).toBe(4 + 16);
    s3.close();
    expect(new Set([...a, ...b, ...c]).size).toBe(5);
  });

  it("an old copy of the database (same install) resumes after the sidecar's high-water mark", () => {
    const { store, dataDir, customer } = seeded();
    register(store, customer.id, 2);
    store.close();
    const old = join(tempDir(), 'old.db');
    copyFileSync(join(dataDir, 'vakt.db'), old);
    const s2 = openStore({ dataDir, clock: new ManualClock(T0), machineId: 'test-machine' });
    const later = register(s2, customer.id, 5);
    s2.close();
    copyFileSync(old, join(dataDir, 'vakt.db')); // rolled back by hand
    const s3 = openStore({ dataDir, clock: new ManualClock(T0), machineId: 'test-machine' });
    const again = register(s3, customer.id, 5);
    expect(again.filter((n) => later.includes(n))).toEqual([]);
    expect(s3.opened.prefixRotated).toBeNull();
    s3.close();
  });

  it('a database cloned to another machine or data dir moves to a fresh provisional prefix and device id', () => {
    const { store, dataDir, customer } = seeded();
    const orig = register(store, customer.id, 3);
    const info = store.info();
    store.close();
    // copy the whole data dir (sidecar included) to "another machine"
    const other = tempDir();
    copyFileSync(join(dataDir, 'vakt.db'), join(other, 'vakt.db'));
    copyFileSync(join(dataDir, SIDECAR_NAME), join(other, SIDECAR_NAME));
    const clone = openStore({ dataDir: other, clock: new ManualClock(T0), machineId: 'another-machine' });
    expect(clone.opened.prefixRotated).toMatch(/another machine/);
    const cloneInfo = clone.info();
    expect(cloneInfo.prefix.prefix).not.toBe(info.prefix.prefix);
    expect(cloneInfo.deviceId).not.toBe(info.deviceId);
    const fromClone = register(clone, customer.id, 3);
    clone.close();
    // the database file alone, without its sidecar
    const bare = tempDir();
    copyFileSync(join(dataDir, 'vakt.db'), join(bare, 'vakt.db'));
    const s3 = openStore({ dataDir: bare, clock: new ManualClock(T0), machineId: 'test-machine' });
    expect(s3.opened.prefixRotated).toMatch(/missing/);
    const fromBare = register(s3, customer.id, 3);
    s3.close();
    // the original carries on with its prefix
    const s4 = openStore({ dataDir, clock: new ManualClock(T0), machineId: 'test-machine' });
    expect(s4.opened.prefixRotated).toBeNull();
    const more = register(s4, customer.id, 3);
    s4.close();
    const all = [...orig, ...fromClone, ...fromBare, ...more];
    expect(new Set(all).size).toBe(all.length);
  });

  it('enrolment switches to a short prefix; earlier numbers stay valid and findable', () => {
    const { store, customer } = seeded();
    const [prov] = register(store, customer.id, 1);
    expect(parseCaseNumber(prov as string).kind).toBe('provisional');
    store.caseNumbers.enrol('k7');
    const [short] = register(store, customer.id, 1);
    expect(short).toMatch(/^K7-0001-[0-9A-Z]$/);
    expect(store.tickets.byCaseNumber(prov as string)).not.toBeNull();
    expect(() => store.caseNumbers.enrol('K7')).toThrow(/already used/);
    expect(() => store.caseNumbers.enrol('K7ABCDEF')).toThrow(/2-4 symbols/);
    expect(store.caseNumbers.list().filter((p) => p.active)).toHaveLength(1);
    store.close();
  });

  it("a restore of another install's database moves to a fresh prefix", () => {
    const a = seeded();
    register(a.store, a.customer.id, 2);
    const aBackup = a.store.backup();
    a.store.close();
    const b = seeded();
    const bNums = register(b.store, b.customer.id, 2);
    b.store.close();
    restoreDataDir(aBackup, b.dataDir, new ManualClock(T0));
    const s = openStore({ dataDir: b.dataDir, clock: new ManualClock(T0), machineId: 'test-machine' });
    expect(s.opened.prefixRotated).toMatch(/another install/);
    const n = register(s, a.customer.id, 2);
    expect(n.filter((x) => bNums.includes(x))).toEqual([]);
    s.close();
  });
});

/**
 * `vakt restore` and `vakt backup` never lose or misreport data (issue #14, item 5):
 * refused while the data dir is in use, a backup's -wal is part of what is
 * restored and reported, a Vakt-marked file without its schema is refused, the
 * start-up hint never recommends a raw copy of a damaged file, and a failed
 * backup leaves no `.partial` behind.
 */
import Database from 'better-sqlite3';
import { closeSync, copyFileSync, existsSync, openSync, readFileSync, utimesSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { lockDataDir } from '../../db/data-dir-lock.js';
import { DatabaseCorruptError } from '../../db/errors.js';
import { backupFileName, backupsDir, RAW_COPY_REASON } from '../../db/files.js';
import { APPLICATION_ID, LATEST_VERSION } from '../../db/migrate.js';
import { openStore } from '../../db/store.js';
import { runBackup, runRestore } from '../../main/hosts/cli/store.js';
import { catchErr, cleanupTempDirs, seeded, T0, tempDir } from './helpers.js';

afterEach(cleanupTempDirs);

const io = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } }, out: () => out.join(''), err: () => err.join('') };
};

const ticketCount = (dataDir: string) => {
  const db = new Database(join(dataDir, 'vakt.db'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('vakt restore', () => {
  it('is refused while the data dir is in use, naming the data dir and the PID; nothing is changed', async () => {
    const { store, dataDir, customer } = seeded();
    store.tickets.register({ customerId: customer.id, channel: 'phone' });
    const backup = store.backup();
    store.close();
    const before = readFileSync(join(dataDir, 'vakt.db'));
    const lock = lockDataDir(dataDir, { what: 'vakt serve', since: T0 });
    try {
      const r = io();
      expect(await runRestore([backup, '--data-dir', dataDir], r.io, new ManualClock(T0))).toBe(1);
      expect(r.err()).toContain(`the data dir ${dataDir} is in use by process ${process.pid} (vakt serve`);
      expect(r.err()).toMatch(/Nothing was changed/);
      expect(readFileSync(join(dataDir, 'vakt.db')).equals(before)).toBe(true);
    } finally {
      lock.release();
    }
    // once it is free, the same restore goes through
    expect(await runRestore([backup, '--data-dir', dataDir], io().io, new ManualClock(T0 + 1))).toBe(0);
  });

  it('restores and reports what a backup holds together with the -wal beside it', async () => {
    const { store, customer } = seeded();
    for (let i = 0; i < 15; i++) store.tickets.register({ customerId: customer.id, channel: 'phone' });
    store.checkpoint('TRUNCATE');
    store.db.pragma('wal_autocheckpoint = 0');
    for (let i = 0; i < 10; i++) store.tickets.register({ customerId: customer.id, channel: 'phone' });
    // a hand-made backup of a running app: the file and its WAL, the last 10 tickets only in the WAL
    const saved = tempDir();
    copyFileSync(join(store.dataDir, 'vakt.db'), join(saved, 'copy.db'));
    copyFileSync(join(store.dataDir, 'vakt.db-wal'), join(saved, 'copy.db-wal'));
    store.close();
    const walBefore = readFileSync(join(saved, 'copy.db-wal'));

    const target = seeded().dataDir;
    const r = io();
    expect(await runRestore([join(saved, 'copy.db'), '--data-dir', target], r.io, new ManualClock(T0 + 5))).toBe(0);
    expect(r.out()).toMatch(/25 tickets/);
    expect(ticketCount(target)).toBe(25);
    expect(existsSync(join(target, 'vakt.db.restoring'))).toBe(false);
    // the backup itself was not written to
    expect(readFileSync(join(saved, 'copy.db-wal')).equals(walBefore)).toBe(true);
    const s = openStore({ dataDir: target, clock: new ManualClock(T0 + 6), machineId: 'test-machine' });
    expect(s.tickets.queue({ limit: 100 }).items).toHaveLength(25);
    s.close();
  });

  it('refuses a file with the Vakt mark and a version but not that schema, and changes nothing', async () => {
    const { store, dataDir } = seeded();
    store.close();
    const before = readFileSync(join(dataDir, 'vakt.db'));
    const fake = join(tempDir(), 'fake.db');
    const f = new Database(fake);
    f.pragma(`application_id = ${APPLICATION_ID}`);
    f.pragma(`user_version = ${LATEST_VERSION}`);
    f.exec('CREATE TABLE device_state (id INTEGER PRIMARY KEY, install_id TEXT); CREATE TABLE tickets (id TEXT)');
    f.close();
    const r = io();
    expect(await runRestore([fake, '--data-dir', dataDir], r.io, new ManualClock(T0))).toBe(1);
    expect(r.err()).toMatch(/not a Vakt database: it is marked as a Vakt database of schema version \d+, but \d+ of that schema's tables, indexes or triggers are missing \(.*table customers/);
    expect(r.err()).toMatch(/Nothing was changed/);
    expect(readFileSync(join(dataDir, 'vakt.db')).equals(before)).toBe(true);
    expect(existsSync(join(dataDir, 'vakt.db.restoring'))).toBe(false);
    // and the app still starts on it
    openStore({ dataDir, clock: new ManualClock(T0), machineId: 'test-machine' }).close();
  });
});

describe('the start-up hint for a damaged database', () => {
  it('recommends the newest backup, never a raw copy of a damaged file', () => {
    const { store, dataDir, customer } = seeded();
    for (let i = 0; i < 200; i++) store.tickets.register({ customerId: customer.id, channel: 'phone' });
    const good = store.backup(join(backupsDir(dataDir), backupFileName(T0, 'manual')));
    store.close();
    // a raw copy kept by an earlier restore, newer than the backup
    const raw = join(backupsDir(dataDir), backupFileName(T0 + 60_000, RAW_COPY_REASON));
    copyFileSync(join(dataDir, 'vakt.db'), raw);
    utimesSync(good, new Date(T0), new Date(T0));
    const fd = openSync(join(dataDir, 'vakt.db'), 'r+');
    writeSync(fd, Buffer.alloc(4096 * 3, 0xa5), 0, 4096 * 3, 4096 * 4);
    closeSync(fd);
    // the full check at open (the app runs it in the background: test/main/integrity.test.ts; same backups listed)
    const err = catchErr(() => openStore({ dataDir, clock: new ManualClock(T0), machineId: 'test-machine', quickCheckAtOpen: true }));
    expect(err).toBeInstanceOf(DatabaseCorruptError);
    expect(err.message).toContain(`vakt restore "${good}"`);
    expect(err.message).not.toContain(RAW_COPY_REASON);
  });
});

describe('vakt backup', () => {
  it('removes its .partial when the copy fails', async () => {
    const { store, dataDir, customer } = seeded();
    for (let i = 0; i < 200; i++) store.tickets.register({ customerId: customer.id, channel: 'phone' });
    store.close();
    // damage pages past the header: the file opens, VACUUM INTO then fails half-way
    const fd = openSync(join(dataDir, 'vakt.db'), 'r+');
    writeSync(fd, Buffer.alloc(4096 * 3, 0xa5), 0, 4096 * 3, 4096 * 4);
    closeSync(fd);
    const to = join(tempDir(), 'copy.db');
    const r = io();
    expect(await runBackup(['--data-dir', dataDir, '--to', to], r.io, new ManualClock(T0))).toBe(1);
    expect(r.err()).toMatch(/vakt backup: .*malformed/);
    expect(existsSync(to)).toBe(false);
    expect(existsSync(`${to}.partial`)).toBe(false);
  });
});

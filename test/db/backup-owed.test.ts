/**
 * The pre-migration backup behind the start (db/owed-backup.ts): the store opens and answers while a thread
 * of its own copies the file, which no checkpoint touches until the copy is durable; a crash mid-copy is
 * copied again at the next open; a file checkpointed meanwhile is reported, never backed up under the old
 * schema's name; a failed copy is retried, then given up. Real files, threads and a SIGKILLed child; the
 * copy is held by a hook, and what is asserted is order and content, never time.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { walPendingFrames } from '../../db/checkpoint.js';
import { StoreClient } from '../../db/client.js';
import { quickCheckInWorker } from '../../db/integrity.js';
import { LATEST_VERSION, migrateTo } from '../../db/migrate.js';
import { OWED_BACKUP_KEY } from '../../db/backup-thread-state.js';
import { fileUserVersion } from '../../db/owed-backup.js';
import type { BackupEvent } from '../../db/owed-backup.js';
import type { OpenStoreOptions } from '../../db/store.js';
import { openStore } from '../../db/store.js';
import { bundleChild, runAndKill } from '../helpers/kill9.js';
import { cleanupTempDirs, T0, tempDir } from './helpers.js';

const OLD = LATEST_VERSION - 1;
const ROWS = 500;
let bundle: string;

beforeAll(async () => {
  bundle = await bundleChild(new URL('./fixtures/backup-owed-child.ts', import.meta.url), tempDir('vakt-owed-bin-'));
}, 60_000);
afterAll(cleanupTempDirs);

/** A data dir at the schema before the latest (or `version`): ROWS settings and one more committed last. */
function olderStore(version = OLD): string {
  const dir = tempDir('vakt-owed-');
  const db = new Database(join(dir, 'vakt.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  migrateTo(db, version);
  const ins = db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, 0)');
  db.transaction(() => {
    for (let i = 0; i < ROWS; i++) ins.run(`old${i}`, JSON.stringify('x'.repeat(300)));
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  ins.run('old-in-wal', JSON.stringify('committed last'));
  // the last connection's close checkpoints it into the file too
  db.close();
  return dir;
}

/** What a backup holds: its schema and its old rows, read-only. */
function backupFacts(file: string) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return {
      version: db.pragma('user_version', { simple: true }) as number,
      oldRows: (db.prepare("SELECT count(*) AS n FROM settings WHERE key LIKE 'old%'").get() as { n: number }).n,
      newer: (db.prepare("SELECT count(*) AS n FROM settings WHERE key NOT LIKE 'old%'").get() as { n: number }).n,
      check: db.pragma('quick_check', { simple: true }) as string,
    };
  } finally {
    db.close();
  }
}

function events(): { list: BackupEvent[]; next: (type: BackupEvent['type']) => Promise<BackupEvent>; on: (e: BackupEvent) => void } {
  const list: BackupEvent[] = [];
  const waiting: { type: string; resolve: (e: BackupEvent) => void }[] = [];
  return {
    list,
    on: (e) => {
      list.push(e);
      for (const w of waiting.splice(0))
        if (w.type === e.type) w.resolve(e);
        else waiting.push(w);
    },
    next: (type) => new Promise((resolve) => waiting.push({ type, resolve })),
  };
}

const owedRecord = (db: Database.Database) => db.prepare('SELECT value FROM meta WHERE key = ?').get(OWED_BACKUP_KEY);
const release = (hold: SharedArrayBuffer) => {
  const h = new Int32Array(hold);
  Atomics.store(h, 0, 1);
  Atomics.notify(h, 0);
};
const until = async (cond: () => boolean) => {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
};

it('opens and answers before the copy is done; no checkpoint touches the file while it runs; the backup is the old schema; then checkpoints run again', async () => {
  const dataDir = olderStore();
  const file = join(dataDir, 'vakt.db');
  const hold = new SharedArrayBuffer(4);
  const ev = events();
  const runs: number[] = [];
  const opts: OpenStoreOptions = {
    dataDir,
    clock: new ManualClock(T0),
    machineId: 'm',
    holdBackupCopy: hold,
    onBackup: ev.on,
    walAutocheckpoint: 10,
    backgroundCheckpoint: { walFrames: 1, idleMs: 1, onRun: (r) => runs.push(r.checkpointed) },
  };
  const store = openStore(opts);
  expect(store.opened).toMatchObject({ migratedFrom: OLD, version: LATEST_VERSION, backupOwed: true });
  const target = store.opened.backup as string;
  expect(target).toMatch(/pre-migrate-v\d+\.db$/);
  // The store answers: reads, and writes well past the writer's bound (10 pages), while the copy is held.
  expect(store.settings.get('old-in-wal')).toBe('committed last');
  for (let i = 0; i < 200; i++) store.settings.set(`new${i}`, 'y'.repeat(500));
  expect(store.checkpoint('TRUNCATE')).toEqual({ busy: 1, log: -1, checkpointed: -1 });
  // the background integrity check runs its checks, not its checkpoint
  expect(await quickCheckInWorker(file, { quietMs: 1, maxWaitMs: 1 })).toMatchObject({ problems: ['ok'] });
  await until(() => existsSync(`${target}.partial`));
  expect(ev.list).toEqual([]);
  expect(existsSync(target)).toBe(false);
  // The file is still the old schema; the migration and every write since are in the WAL only.
  expect(fileUserVersion(file)).toBe(OLD);
  const wal = walPendingFrames(file);
  expect(wal.nBackfill).toBe(0);
  expect(wal.mxFrame).toBeGreaterThan(200);
  expect(owedRecord(store.db)).toBeDefined();
  expect(runs).toEqual([]);

  const written = ev.next('written');
  release(hold);
  expect(await written).toEqual({ type: 'written', file: target });
  expect(backupFacts(target)).toEqual({ version: OLD, oldRows: ROWS + 1, newer: 0, check: 'ok' });
  expect(readdirSync(join(dataDir, 'backups'))).toEqual([target.split('/').pop()]);
  expect(owedRecord(store.db)).toBeUndefined();
  // Checkpoints run again: the background thread's, at once, and the store's own.
  await until(() => runs.length > 0);
  expect(runs[0]).toBeGreaterThan(0);
  expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(10);
  expect(store.checkpoint('TRUNCATE')).toMatchObject({ busy: 0 });
  expect(fileUserVersion(file)).toBe(LATEST_VERSION);
  store.close();
});

it("the app's store (its worker) answers, starts the copy when the start's work is done (settle), and its close waits for the copy", async () => {
  const dataDir = olderStore();
  const hold = new SharedArrayBuffer(4);
  const store = await StoreClient.open({ dataDir, clock: new ManualClock(T0), machineId: 'm', holdBackupCopy: hold });
  expect(await store.settings.get('old-in-wal')).toBe('committed last');
  await store.settings.set('during-copy', 1);
  const backups = join(dataDir, 'backups');
  // not before the start's work is done (or 30 s after the open)
  expect(readdirSync(backups)).toEqual([]);
  await store.settle();
  await until(() => readdirSync(backups).some((n) => n.endsWith('.partial')));
  expect(fileUserVersion(join(dataDir, 'vakt.db'))).toBe(OLD);
  const closing = store.close();
  release(hold);
  await closing;
  const [name] = readdirSync(backups);
  expect(name).toMatch(/pre-migrate-v\d+\.db$/);
  expect(backupFacts(join(backups, name as string))).toEqual({ version: OLD, oldRows: ROWS + 1, newer: 0, check: 'ok' });
});

/** Runs the child on `dataDir` and SIGKILLs it while its copy runs (held), or before it (`owe-older`). */
async function killMidCopy(dataDir: string, mode = 'open'): Promise<void> {
  const r = await runAndKill([bundle, dataDir, mode], { when: (out) => out.includes('COPYING\n'), guardMs: 60_000 });
  expect(r.err).toBe('');
  expect(r.armed).toBe(true);
  expect(r.code).toBe(null);
}

it('a crash mid-copy: the next open finds the backup owed and the file untouched, copies it again, and the backup holds every old row', async () => {
  const dataDir = olderStore();
  const file = join(dataDir, 'vakt.db');
  await killMidCopy(dataDir);
  expect(fileUserVersion(file)).toBe(OLD);
  expect(readdirSync(join(dataDir, 'backups')).every((n) => n.endsWith('.partial'))).toBe(true);

  const ev = events();
  const written = ev.next('written');
  const store = openStore({ dataDir, clock: new ManualClock(T0), machineId: 'm', onBackup: ev.on });
  expect(store.opened).toMatchObject({ migratedFrom: LATEST_VERSION, backupOwed: true });
  expect(store.settings.get('written-after-upgrade')).toBe('a write of the upgraded app');
  const { file: backup } = (await written) as { file: string };
  expect(backup).toMatch(/pre-migrate-v\d+\.db$/);
  expect(backupFacts(backup)).toEqual({ version: OLD, oldRows: ROWS + 1, newer: 0, check: 'ok' });
  expect(readdirSync(join(dataDir, 'backups'))).toEqual([backup.split('/').pop()]);
  store.close();
  expect(fileUserVersion(file)).toBe(LATEST_VERSION);
});

it('a file checkpointed while the backup was owed (another program opened it): reported, the record cleared, no backup under the old name', async () => {
  const dataDir = olderStore();
  const file = join(dataDir, 'vakt.db');
  await killMidCopy(dataDir);
  // a plain connection that read it: its close (the last one) checkpoints the WAL into the file
  const other = new Database(file);
  other.prepare('SELECT count(*) FROM settings').get();
  other.close();
  expect(fileUserVersion(file)).toBe(LATEST_VERSION);

  const ev = events();
  const notices: string[] = [];
  const store = openStore({ dataDir, clock: new ManualClock(T0), machineId: 'm', onBackup: ev.on, onBackupNotice: (m) => notices.push(m) });
  expect(store.opened.backupOwed).toBe(false);
  expect(ev.list.map((e) => e.type)).toEqual(['not-pristine']);
  expect(notices).toHaveLength(1);
  expect(notices[0]).toMatch(new RegExp(`cannot be written: the database file is at schema ${LATEST_VERSION}.*No backup of schema ${OLD} was written`));
  expect(readdirSync(join(dataDir, 'backups'))).toEqual([]);
  expect(owedRecord(store.db)).toBeUndefined();
  expect(store.checkpoint()).toMatchObject({ busy: 0 });
  store.close();
});

it('a failed copy is reported and tried again, checkpoints still held; the close makes the last try, and gives it up when that fails too', async () => {
  for (const clearAtClose of [true, false]) {
    const dataDir = olderStore();
    const file = join(dataDir, 'vakt.db');
    const ev = events();
    const notices: string[] = [];
    const failed = ev.next('failed');
    const store = openStore({ dataDir, clock: new ManualClock(T0), machineId: 'm', onBackup: ev.on, onBackupNotice: (m) => notices.push(m) });
    const target = store.opened.backup as string;
    // Something in the way of the copy: a folder where its .partial goes (a full disk would fail it the same way).
    mkdirSync(join(dataDir, 'backups'), { recursive: true });
    mkdirSync(`${target}.partial`);
    const f = (await failed) as { retryInMs: number };
    expect(f.retryInMs).toBeGreaterThan(0);
    expect(notices[0]).toMatch(/failed: .*Tried again in \d+ s; checkpoints wait for it/);
    expect(store.checkpoint()).toMatchObject({ busy: 1 });
    expect(owedRecord(store.db)).toBeDefined();
    expect(fileUserVersion(file)).toBe(OLD);
    if (clearAtClose) rmdirSync(`${target}.partial`);
    store.close();
    expect(ev.list.map((e) => e.type)).toEqual(['failed', clearAtClose ? 'written' : 'given-up']);
    if (clearAtClose) expect(backupFacts(target)).toMatchObject({ version: OLD, oldRows: ROWS + 1 });
    else expect(notices[1]).toMatch(/is given up after 2 tries: .*Checkpoints run again/);
    const db = new Database(file, { readonly: true });
    expect(owedRecord(db)).toBeUndefined();
    db.close();
  }
});

it('a copy still waiting for its delay when the store closes is made by the close', () => {
  const dataDir = olderStore();
  const ev = events();
  const store = openStore({ dataDir, clock: new ManualClock(T0), machineId: 'm', onBackup: ev.on, backupCopyAfterMs: 60_000 });
  const target = store.opened.backup as string;
  expect(readdirSync(join(dataDir, 'backups'))).toEqual([]);
  store.close();
  expect(ev.list).toEqual([{ type: 'written', file: target }]);
  expect(backupFacts(target)).toEqual({ version: OLD, oldRows: ROWS + 1, newer: 0, check: 'ok' });
});

it('a crash after the copy was renamed into place (its record not yet cleared): the next open takes that backup and copies nothing', async () => {
  const dataDir = olderStore();
  await killMidCopy(dataDir);
  const backups = join(dataDir, 'backups');
  const [partial] = readdirSync(backups);
  // the child's copy is complete when it is held (filled, not yet renamed): renamed here, as its thread would have
  renameSync(join(backups, partial as string), join(backups, (partial as string).replace(/\.partial$/, '')));
  const ev = events();
  const store = openStore({ dataDir, clock: new ManualClock(T0), machineId: 'm', onBackup: ev.on });
  expect(store.opened.backupOwed).toBe(false);
  expect(ev.list).toEqual([{ type: 'written', file: join(backups, (partial as string).replace(/\.partial$/, '')) }]);
  expect(owedRecord(store.db)).toBeUndefined();
  expect(store.checkpoint()).toMatchObject({ busy: 0 });
  store.close();
});

it('when a reader pins WAL frames at the upgrade, the backup is made first, at open, and nothing is owed', () => {
  const dataDir = olderStore();
  const file = join(dataDir, 'vakt.db');
  const writer = new Database(file);
  const reader = new Database(file);
  writer.pragma('wal_autocheckpoint = 0');
  reader.exec('BEGIN');
  reader.prepare('SELECT count(*) FROM settings').get();
  // committed after the reader's snapshot: frames it pins in the WAL
  writer.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, 0)').run('old-pinned', '1');
  try {
    const ev = events();
    const store = openStore({ dataDir, clock: new ManualClock(T0), machineId: 'm', onBackup: ev.on });
    expect(store.opened.backupOwed).toBe(false);
    const target = store.opened.backup as string;
    expect(backupFacts(target)).toEqual({ version: OLD, oldRows: ROWS + 2, newer: 0, check: 'ok' });
    expect(ev.list).toEqual([]);
    expect(owedRecord(store.db)).toBeUndefined();
    store.close();
  } finally {
    reader.exec('ROLLBACK');
    reader.close();
    writer.close();
  }
});

it('a checkpoint by another program while the copy runs: the copy is refused and reported, no backup under the old name, checkpoints run again', async () => {
  const dataDir = olderStore();
  const file = join(dataDir, 'vakt.db');
  const hold = new SharedArrayBuffer(4);
  const ev = events();
  const notices: string[] = [];
  const store = openStore({ dataDir, clock: new ManualClock(T0), machineId: 'm', holdBackupCopy: hold, onBackup: ev.on, onBackupNotice: (m) => notices.push(m) });
  const target = store.opened.backup as string;
  await until(() => existsSync(`${target}.partial`));
  // another program's connection checkpoints the WAL (the migration) into the file meanwhile
  const other = new Database(file);
  expect(other.pragma('wal_checkpoint(PASSIVE)')).toMatchObject([{ busy: 0 }]);
  other.close();
  expect(fileUserVersion(file)).toBe(LATEST_VERSION);
  const gone = ev.next('not-pristine');
  release(hold);
  await gone;
  expect(ev.list.map((e) => e.type)).toEqual(['not-pristine']);
  expect(notices[0]).toMatch(new RegExp(`the database file is at schema ${LATEST_VERSION}, checkpointed while the backup was owed`));
  expect(readdirSync(join(dataDir, 'backups'))).toEqual([]);
  expect(owedRecord(store.db)).toBeUndefined();
  expect(store.checkpoint()).toMatchObject({ busy: 0 });
  store.close();
});

it("an upgrade that finds an earlier upgrade's backup still owed makes that copy first, then its own behind the start", async () => {
  const dataDir = olderStore(OLD - 1);
  const file = join(dataDir, 'vakt.db');
  // an earlier Vakt migrated OLD - 1 -> OLD into the WAL, its backup owed, and was killed before the copy
  await killMidCopy(dataDir, 'owe-older');
  expect(fileUserVersion(file)).toBe(OLD - 1);
  const ev = events();
  const store = openStore({ dataDir, clock: new ManualClock(T0), machineId: 'm', onBackup: ev.on });
  expect(store.opened).toMatchObject({ migratedFrom: OLD, version: LATEST_VERSION, backupOwed: true });
  // the earlier one, made at open
  expect(ev.list).toHaveLength(1);
  const first = (ev.list[0] as { file: string }).file;
  expect(first).toMatch(/vakt-older-pre-migrate-v\d+\.db$/);
  expect(backupFacts(first)).toEqual({ version: OLD - 1, oldRows: ROWS + 1, newer: 0, check: 'ok' });
  await until(() => ev.list.length === 2);
  expect(ev.list.map((e) => e.type)).toEqual(['written', 'written']);
  const second = (ev.list[1] as { file: string }).file;
  expect(second).toBe(store.opened.backup);
  expect(backupFacts(second)).toEqual({ version: OLD, oldRows: ROWS + 1, newer: 0, check: 'ok' });
  store.close();
});

it('an open failing after its migrations committed makes the backup they owe before its close checkpoints', () => {
  const dataDir = olderStore();
  // the case-number sidecar unreadable: the open fails after the migrations (db/case-numbers.ts)
  mkdirSync(join(dataDir, 'case-numbers.json'));
  const ev = events();
  expect(() => openStore({ dataDir, clock: new ManualClock(T0), machineId: 'm', onBackup: ev.on })).toThrow();
  expect(ev.list.map((e) => e.type)).toEqual(['written']);
  const [name] = readdirSync(join(dataDir, 'backups'));
  expect(backupFacts(join(dataDir, 'backups', name as string))).toEqual({ version: OLD, oldRows: ROWS + 1, newer: 0, check: 'ok' });
});

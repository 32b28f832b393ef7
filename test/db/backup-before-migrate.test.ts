/**
 * The backup before a migration is a page copy of the database file (db/page-copy.ts; issue 19: VACUUM INTO
 * rebuilt every table and index, 1 s of the first start after an upgrade on the 550 MB benchmark store).
 * What is counted: the copy's pages are the file's, free pages included (a VACUUM drops them), its rows
 * are the ones committed before the migration, WAL frames included. When the file alone does not hold
 * the database (a reader pins WAL frames), the copy is VACUUM INTO's, as consistent. No timing.
 */
import Database from 'better-sqlite3';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { backupBeforeMigrate } from '../../db/backup.js';
import { LATEST_VERSION, migrateTo } from '../../db/migrate.js';
import { openStore } from '../../db/store.js';
import { cleanupTempDirs, T0, tempDir } from './helpers.js';

afterAll(cleanupTempDirs);

const ROWS = 2000;

/** A data dir at the version before the latest, in WAL mode: settings rows, most of them deleted (free pages). */
function olderStore(): string {
  const dir = tempDir('vakt-backup-mig-');
  const db = new Database(join(dir, 'vakt.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  migrateTo(db, LATEST_VERSION - 1);
  const ins = db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, 0)');
  db.transaction(() => {
    for (let i = 0; i < ROWS; i++) ins.run(`k${i}`, JSON.stringify('x'.repeat(400)));
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.prepare("DELETE FROM settings WHERE key >= 'k1'").run();
  db.pragma('wal_checkpoint(TRUNCATE)');
  ins.run('last', JSON.stringify('committed last'));
  db.close();
  return dir;
}

function facts(file: string) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return {
      version: db.pragma('user_version', { simple: true }) as number,
      freePages: db.pragma('freelist_count', { simple: true }) as number,
      rows: (db.prepare('SELECT count(*) AS n FROM settings').get() as { n: number }).n,
      last: (db.prepare("SELECT value FROM settings WHERE key = 'last'").get() as { value: string } | undefined)?.value ?? null,
      check: db.pragma('quick_check', { simple: true }) as string,
    };
  } finally {
    db.close();
  }
}

it('copies the pages of the file before migrating: free pages kept, every committed row there, a file of its own (rollback journal)', () => {
  const dir = olderStore();
  const file = join(dir, 'vakt.db');
  const before = new Database(file, { readonly: true });
  const freeBefore = before.pragma('freelist_count', { simple: true }) as number;
  const rowsBefore = (before.prepare('SELECT count(*) AS n FROM settings').get() as { n: number }).n;
  before.close();
  expect(freeBefore).toBeGreaterThan(50);

  const store = openStore({ dataDir: dir, clock: new ManualClock(T0), machineId: 'm' });
  store.close();
  const backup = store.opened.backup as string;
  expect(backup).toMatch(/pre-migrate-v\d+\.db$/);
  // Before: VACUUM INTO rebuilt the file, 0 free pages.
  expect(facts(backup)).toEqual({ version: LATEST_VERSION - 1, freePages: freeBefore, rows: rowsBefore, last: JSON.stringify('committed last'), check: 'ok' });
  expect([...readFileSync(backup).subarray(18, 20)]).toEqual([1, 1]);
  expect(statSync(backup).mode & 0o777).toBe(0o600);
});

it('copies the frames still in the WAL too: checkpointed into the file first', () => {
  const dir = olderStore();
  const file = join(dir, 'vakt.db');
  const db = new Database(file);
  try {
    db.pragma('wal_autocheckpoint = 0');
    db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, 0)').run('in-wal', JSON.stringify('a frame'));
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
    const { file: copy, how } = backupBeforeMigrate(db, file, join(dir, 'copy.db'));
    expect(how).toBe('pages');
    expect(facts(copy)).toMatchObject({ version: LATEST_VERSION - 1, check: 'ok' });
    expect(facts(copy).freePages).toBeGreaterThan(50);
    const c = new Database(copy, { readonly: true });
    expect(c.prepare("SELECT value FROM settings WHERE key = 'in-wal'").get()).toEqual({ value: JSON.stringify('a frame') });
    c.close();
  } finally {
    db.close();
  }
});

it('takes the VACUUM INTO copy when a reader pins WAL frames the file does not hold yet', () => {
  const dir = olderStore();
  const file = join(dir, 'vakt.db');
  const db = new Database(file);
  const reader = new Database(file);
  try {
    db.pragma('wal_autocheckpoint = 0');
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM settings').get();
    db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, 0)').run('after-reader', JSON.stringify('pinned'));
    const { file: copy, how } = backupBeforeMigrate(db, file, join(dir, 'copy.db'));
    expect(how).toBe('vacuum');
    expect(facts(copy)).toMatchObject({ version: LATEST_VERSION - 1, freePages: 0, check: 'ok' });
    const c = new Database(copy, { readonly: true });
    expect(c.prepare("SELECT count(*) AS n FROM settings WHERE key IN ('after-reader', 'last')").get()).toEqual({ n: 2 });
    c.close();
  } finally {
    reader.exec('ROLLBACK');
    reader.close();
    db.close();
  }
});

/**
 * The first start after an upgrade copies the whole file (the backup before migrating) and builds
 * indexes over whole tables (issue 19: 290 MB peak on the 550 MB benchmark store). SQLite's memory is
 * bounded meanwhile (db/bounded-memory.ts): the peak RSS those steps add is measured in a child process
 * of its own (its peak reset first), on a store of ~90 MB with 400,000 alerts to index. No timing.
 * The same at the end of a first sync's bulk load (db/sync/bulk.ts: the last page builds the dropped
 * indexes) and at the open after one was killed mid load, which builds them back.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrateTo } from '../../db/migrate.js';
import { BULK_LOAD_KEY } from '../../db/sync/bulk.js';
import { LATEST_VERSION } from '../../db/migrations/index.js';
import { bundleChild } from '../helpers/kill9.js';
import { cleanupTempDirs, T0, tempDir } from './helpers.js';

const ALERTS = 400_000;
let bundle: string;

beforeAll(async () => {
  bundle = await bundleChild(new URL('./fixtures/upgrade-memory-child.ts', import.meta.url), tempDir('vakt-upgrade-mem-bin-'));
}, 60_000);
afterAll(cleanupTempDirs);

/** A data dir whose store is migrated to `version` and filled by `fill` (one transaction), its WAL checkpointed. */
function dataDirAt(prefix: string, version: number, fill: (db: Database.Database) => void): string {
  const dataDir = tempDir(prefix);
  const db = new Database(join(dataDir, 'vakt.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = OFF');
  migrateTo(db, version);
  db.transaction(() => fill(db))();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return dataDir;
}

/** A data dir whose store is at the version before the latest, its alerts not yet indexed by the latest migration. */
const storeBeforeLatest = () =>
  dataDirAt('vakt-upgrade-mem-', LATEST_VERSION - 1, (db) => {
    const ins = db.prepare(`INSERT INTO notifications (id, ticket_id, target, kind, due_at, created_at, state, critical, held) VALUES (?, ?, 'resolution', 'breach', ?, ?, 'active', 1, 0)`);
    for (let i = 0; i < ALERTS; i++) ins.run(`0193c0de-0000-7000-8000-${String(i).padStart(12, '0')}`, `0193c0de-0001-7000-8000-${String(i).padStart(12, '0')}`, T0 + ((i * 7919) % ALERTS) * 1000, T0);
  });

function child(dataDir: string, mode: 'open' | 'backup' | 'finish') {
  const r = spawnSync(process.execPath, [bundle, dataDir, mode], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as { indexed: boolean; peakMb: number; version: number; backup: string | null; tempStore: number; cacheSize: number };
}

let upgraded: string;

it.runIf(process.platform === 'linux')(
  "an upgrade (migrations indexing 400,000 alerts; the backup behind it, in a thread of its own) adds under 40 MB to the peak RSS; the app's cache and temp store are back after",
  () => {
    const dataDir = storeBeforeLatest();
    expect(statSync(join(dataDir, 'vakt.db')).size).toBeGreaterThan(80 * 1024 * 1024);
    const r = child(dataDir, 'open');
    expect(r.version).toBe(LATEST_VERSION);
    expect(r.backup && existsSync(r.backup)).toBeTruthy();
    // Before: the backup filled two 32 MB page caches and the index builds sorted in memory (74 MB).
    expect(r.peakMb).toBeLessThan(40);
    expect({ tempStore: r.tempStore, cacheSize: r.cacheSize }).toEqual({ tempStore: 2, cacheSize: -32000 });
    upgraded = dataDir;
  },
  120_000,
);

it.runIf(process.platform === 'linux')(
  "a backup of the running store (store.backup: VACUUM INTO on the app's connection) adds under 20 MB to the peak RSS",
  () => {
    const b = child(upgraded, 'backup');
    // Before: the copy's page cache was the connection's 32 MB, and both filled.
    expect(b.peakMb).toBeLessThan(20);
    expect(b.cacheSize).toBe(-32000);
  },
  120_000,
);

/** 400,000 events over 50,000 tickets. */
function insertEvents(db: Database.Database): void {
  const ins = db.prepare(`INSERT INTO ticket_events (id, ticket_id, type, at, recorded_at, data, device_id, hlc) VALUES (?, ?, 'note', ?, ?, '{}', 'd', ?)`);
  for (let i = 0; i < ALERTS; i++)
    ins.run(`0193c0de-0002-7000-8000-${String(i).padStart(12, '0')}`, `0193c0de-0001-7000-8000-${String(i % 50_000).padStart(12, '0')}`, T0 + i, T0 + i, `${String(T0 + i).padStart(15, '0')}-0000-d`);
}

/** A data dir at the latest schema whose first sync was killed mid bulk load: 400,000 events, their index dropped and recorded. */
const storeAfterKilledBulkLoad = () =>
  dataDirAt('vakt-bulk-mem-', LATEST_VERSION, (db) => {
    insertEvents(db);
    const sql = (db.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'ticket_events_ticket'`).get() as { sql: string }).sql;
    db.exec('DROP INDEX ticket_events_ticket');
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(BULK_LOAD_KEY, JSON.stringify([{ name: 'ticket_events_ticket', sql }]));
  });

// The index builds of a first sync's bulk load: at the open after it was killed, and in its last page (the child
// begins the load on a store with 400,000 indexed events, then sends the last page).
const bulkBuilds = [
  { name: 'a start after a first sync killed mid bulk load builds the dropped indexes back', store: storeAfterKilledBulkLoad, mode: 'open' as const },
  { name: 'the last page of a first sync (a bulk load) builds the dropped indexes', store: () => dataDirAt('vakt-bulk-end-mem-', LATEST_VERSION, insertEvents), mode: 'finish' as const },
];
for (const b of bulkBuilds)
  it.runIf(process.platform === 'linux')(
    `${b.name} with under 25 MB added to the peak RSS; the app's cache and temp store are back after`,
    () => {
      const r = child(b.store(), b.mode);
      expect(r.indexed).toBe(true);
      // Before: the index over 400,000 events sorted in memory (the last page: 43 MB, temp_store = MEMORY inside its transaction).
      expect(r.peakMb).toBeLessThan(25);
      expect({ tempStore: r.tempStore, cacheSize: r.cacheSize }).toEqual({ tempStore: 2, cacheSize: -32000 });
    },
    120_000,
  );

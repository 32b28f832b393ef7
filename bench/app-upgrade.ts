/**
 * bench:app --upgrade-from OLD: the first start after an upgrade, every run. OLD (a data dir at an
 * older schema, e.g. the 100k store of an earlier `bench:db`) is never opened by the app: each run
 * copies its database (with its WAL, if any) and case-number file to a fresh folder and starts
 * `vakt serve` there, so each run migrates, catches up from the same state and takes the
 * pre-migration backup (behind the start since session 10: once the start's work is done,
 * docs/store.md). What a run measures is bench/app.ts's `startOnce` (URL, first queue page, CPU,
 * peak RSS).
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LATEST_VERSION } from '../db/migrations/index.js';

const FILES = ['vakt.db', 'vakt.db-wal', 'case-numbers.json'];

function versionOf(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

export async function upgradeRuns<R>(from: string, runs: number, startOnce: (dataDir: string) => Promise<R>, report: (label: string, runs: R[]) => void): Promise<void> {
  const file = join(from, 'vakt.db');
  if (!existsSync(file)) throw new Error(`--upgrade-from ${from}: no vakt.db there`);
  const version = versionOf(file);
  if (version >= LATEST_VERSION) throw new Error(`--upgrade-from ${from}: its store is at schema ${version}, the latest; nothing to upgrade (give a store of an older build)`);
  console.log(
    `first start after an upgrade: a fresh copy of ${from} (schema ${version} -> ${LATEST_VERSION}) each run; migrations and the start's catch-up included (the pre-migration backup is copied after the start's work; with an older vakt, before the URL):`,
  );
  const done: R[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'vakt-bench-upgrade-'));
    try {
      for (const f of FILES) if (existsSync(join(from, f))) copyFileSync(join(from, f), join(dir, f));
      done.push(await startOnce(dir));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  report(`upgrade from schema ${version}`, done);
}

/**
 * The background integrity check and the WAL (issue 19, docs/store.md "Durability"): its read of the
 * whole file holds back every checkpoint of the frames committed while it reads. It begins once
 * commits have stopped for a moment (the start's writes are done) and copies what they left in the
 * WAL first, so the frames it holds are only those of the few commits made while it reads. Real
 * SQLite, the real check in its thread; counted in WAL frames (the wal-index header), not in time.
 * The store's own automatic checkpoint is set out of reach, so only the check copies frames here.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { walPendingFrames } from '../../db/checkpoint.js';
import { quickCheckInWorker } from '../../db/integrity.js';
import { bundleChild } from '../helpers/kill9.js';
import { cleanupTempDirs, tempDir, testStore } from './helpers.js';

let bundle: string;
beforeAll(async () => {
  bundle = await bundleChild(new URL('./fixtures/thread-exit-child.ts', import.meta.url), tempDir('vakt-integrity-exit-bin-'));
}, 60_000);

afterAll(cleanupTempDirs);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pending = (file: string) => {
  const w = walPendingFrames(file);
  return w.mxFrame - w.nBackfill;
};

function storeWithScratch() {
  const { store } = testStore({ walAutocheckpoint: 1_000_000 });
  store.db.exec('CREATE TABLE scratch (b BLOB)');
  return store;
}

it("the check copies the frames the app's commits left in the WAL before it reads: none are left after it", async () => {
  const store = storeWithScratch();
  try {
    store.db.prepare('WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500) INSERT INTO scratch SELECT randomblob(3000) FROM n').run();
    expect(pending(store.file)).toBeGreaterThan(1500);
    const o = await quickCheckInWorker(store.file);
    expect(o).toMatchObject({ problems: ['ok'] });
    // Before: the check only read; the 1500+ frames stayed in the WAL.
    expect(pending(store.file)).toBe(0);
  } finally {
    store.close();
  }
});

it('the check begins once commits stop: a burst of 40 commits 20 ms apart, started with the check, leaves no frame behind it', async () => {
  const store = storeWithScratch();
  try {
    const ins = store.db.prepare('INSERT INTO scratch VALUES (randomblob(3000))');
    ins.run();
    const check = quickCheckInWorker(store.file);
    for (let i = 0; i < 40; i++) {
      await sleep(20);
      ins.run();
    }
    const o = await check;
    // Before: the check read at once, and the commits after its start stayed in the WAL.
    expect(pending(store.file)).toBe(0);
    expect(o).toMatchObject({ problems: ['ok'], wal: { quiet: true, pendingAtStart: 0 } });
  } finally {
    store.close();
  }
});

it('a check waiting for commits to stop does not keep its process alive (vakt serve ends once its services are disposed)', () => {
  const r = spawnSync(process.execPath, [bundle, tempDir('vakt-integrity-exit-'), 'check'], { encoding: 'utf8', timeout: 60_000 });
  expect(r.stdout).toBe('check started\n');
  // Before: the check's thread kept the process alive while it waited (here 10 minutes), until the test's bound killed it.
  expect({ signal: r.signal, status: r.status }).toEqual({ signal: null, status: 0 });
}, 90_000);

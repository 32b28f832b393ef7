/**
 * Checkpoints off the person's path (issue 19, db/checkpoint.ts): SQLite's automatic checkpoint ran
 * inside the commit that crossed 1000 WAL pages, copying them into the database file and fsyncing it
 * in a person's registration. The app's store (the worker) leaves that to a thread of its own; the
 * writer checkpoints itself only at the hard bound. Checked on real files through the wal-index
 * header (frames in the WAL, frames copied): no timing.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { StoreClient } from '../../db/client.js';
import type { CheckpointRun } from '../../db/checkpoint.js';
import { CHECKPOINT_FRAMES, startCheckpointer, walPendingFrames, WRITER_BOUND_FRAMES } from '../../db/checkpoint.js';
import { bundleChild } from '../helpers/kill9.js';
import { cleanupTempDirs, T0, tempDir, testStore } from './helpers.js';

afterEach(cleanupTempDirs);

const PAGE = 4096;
/** The background thread present but never running (no frame count reaches it, no timer fires in the test). */
const NEVER = { walFrames: 1e9, idleMs: 2 ** 31 - 1 };

it("the app's store: no registration checkpoints inside its commit below the hard bound; at the bound the writer does (the background fell behind)", async () => {
  const dataDir = tempDir();
  const store = await StoreClient.open({ dataDir, clock: new ManualClock(T0), machineId: 'm', supportCodeLogN: 10, backgroundCheckpoint: NEVER });
  try {
    const customer = await store.customers.createCustomer({ name: 'Hansen A/S' });
    const file = join(dataDir, 'vakt.db');
    let last = walPendingFrames(file);
    let i = 0;
    // Well past SQLite's own mark (1000 pages), where the writer used to checkpoint in the commit.
    for (; last.mxFrame < 2 * CHECKPOINT_FRAMES; i++) {
      await store.tickets.register({ customerId: customer.id, channel: 'phone', description: `call ${i}` });
      const now = walPendingFrames(file);
      expect(now.nBackfill, `registration ${i} checkpointed in its commit`).toBe(0);
      expect(now.mxFrame, `registration ${i} restarted the WAL`).toBeGreaterThan(last.mxFrame);
      last = now;
    }
    // The hard bound: the background never ran, so the writer checkpoints itself and the WAL starts again.
    for (let n = 0; last.nBackfill === 0 && last.mxFrame >= 2 * CHECKPOINT_FRAMES; n++, i++) {
      expect(n, 'the writer never checkpointed at the bound').toBeLessThan(1000);
      await store.tickets.register({ customerId: customer.id, channel: 'phone', description: `call ${i}` });
      last = walPendingFrames(file);
    }
    expect(statSync(`${file}-wal`).size).toBeLessThan((WRITER_BOUND_FRAMES + 200) * (PAGE + 24));
    expect(await store.tickets.byCaseNumber((await store.tickets.queue({ limit: 1 })).items[0]!.caseNumber)).not.toBeNull();
  } finally {
    await store.close();
  }
});

it('the background thread copies the frames, the WAL starts again from its beginning, and close still truncates it', async () => {
  const runs: CheckpointRun[] = [];
  const { store, dataDir } = testStore({ backgroundCheckpoint: { idleMs: 1, onRun: (r) => runs.push(r) } });
  const file = join(dataDir, 'vakt.db');
  const customer = store.customers.createCustomer({ name: 'Hansen A/S' });
  const copied = async () => {
    for (let n = 0; walPendingFrames(file).nBackfill < walPendingFrames(file).mxFrame; n++) {
      if (n > 2000) throw new Error('the background thread never copied the WAL');
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  for (let round = 0, i = 0; round < 3; round++) {
    for (let k = 0; k < 60; k++, i++) store.tickets.register({ customerId: customer.id, channel: 'phone', description: `call ${i}` });
    // Everything written is copied by the thread (the writer's own mark, 4000 frames, is not reached).
    expect(walPendingFrames(file).mxFrame).toBeLessThan(WRITER_BOUND_FRAMES);
    await copied();
    // so the next write starts the WAL again from its beginning: it stays small and is written in place
    store.tickets.register({ customerId: customer.id, channel: 'phone', description: `after round ${round}` });
    expect(walPendingFrames(file).mxFrame).toBeLessThan(100);
  }
  expect(runs.length).toBeGreaterThanOrEqual(3);
  expect(runs.every((r) => r.busy === 0 && r.checkpointed <= r.log)).toBe(true);
  store.close();
  expect(!existsSync(`${file}-wal`) || statSync(`${file}-wal`).size === 0).toBe(true);
});

it('the thread ends when no write came for a while (an idle app holds none) and starts again at the next write', async () => {
  const file = join(tempDir(), 'x.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (x)');
  const runs: CheckpointRun[] = [];
  const c = startCheckpointer(file, { idleMs: 1, endAfterMs: 50, onError: (m) => expect.fail(m), onRun: (r) => runs.push(r) });
  const until = async (what: string, ok: () => boolean) => {
    for (let n = 0; !ok(); n++) {
      if (n > 2000) throw new Error(`never: ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const write = (x: number) => {
    db.prepare('INSERT INTO t VALUES (?)').run(x);
    c.wrote();
  };
  expect(c.threadRunning()).toBe(false);
  write(1);
  expect(c.threadRunning()).toBe(true);
  await until('a checkpoint', () => runs.length > 0);
  await until('the thread ended', () => !c.threadRunning());
  const before = runs.length;
  write(2);
  expect(c.threadRunning()).toBe(true);
  await until('a checkpoint by the new thread', () => runs.length > before);
  expect(walPendingFrames(file).nBackfill).toBe(walPendingFrames(file).mxFrame);
  c.stop();
  db.close();
});

it("a checkpoint that fails is reported with the file's name, not lost", async () => {
  const missing = join(tempDir(), 'gone.db');
  const errors: string[] = [];
  const reported = new Promise<void>((resolve) => {
    const c = startCheckpointer(missing, {
      idleMs: 1,
      onError: (m) => {
        errors.push(m);
        c.stop();
        resolve();
      },
    });
    c.wrote();
  });
  await reported;
  expect(errors[0]).toContain(`the background checkpoint of ${missing} failed`);
});

it('the checkpoint thread never keeps its process alive (a store not closed in a tool or a test)', async () => {
  const bundle = await bundleChild(new URL('./fixtures/thread-exit-child.ts', import.meta.url), tempDir('vakt-checkpoint-exit-bin-'));
  const r = spawnSync(process.execPath, [bundle, tempDir('vakt-checkpoint-exit-'), 'checkpoint'], { encoding: 'utf8', timeout: 30_000 });
  expect(r.stdout).toBe('checkpoint started\n');
  // Before: the thread was unref'd before its 'message' listener, which refs it again: the process lived on.
  expect({ signal: r.signal, status: r.status, stderr: r.stderr }).toEqual({ signal: null, status: 0, stderr: '' });
}, 60_000);

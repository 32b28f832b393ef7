/**
 * After the start's work, the hosts settle memory once (db/settle-memory.ts, issue 19 item 6: the first
 * start after an upgrade left 210-220 MB resident, the garbage of its 13,000-alert summary never
 * collected). Checked on the real store worker: the settle waits for the start's work, the worker
 * answers its settle (shrink_memory, its own collection), then this thread's full collection runs:
 * seen as a major GC by V8's own performance entries.
 */
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { afterAll, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { StoreClient } from '../../db/client.js';
import { fullCollection, settleAfterStart } from '../../db/settle-memory.js';
import { cleanupTempDirs, T0, tempDir } from './helpers.js';

afterAll(cleanupTempDirs);

it('V8 gives its full collection at run time (no --expose-gc on the command line)', () => {
  expect(typeof fullCollection()).toBe('function');
});

it("settles once the start's work is done: the store worker's settle, then a full collection of this thread", async () => {
  const client = await StoreClient.open({ dataDir: tempDir('vakt-settle-'), clock: new ManualClock(T0), machineId: 'm' });
  const order: string[] = [];
  const majors: number[] = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if ((e as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors.push(e.startTime);
  });
  obs.observe({ entryTypes: ['gc'] });
  try {
    let finish!: () => void;
    const startWork = new Promise<void>((r) => (finish = r));
    const settled = settleAfterStart(
      () => startWork.then(() => void order.push('start work done')),
      () => client.settle().then(() => void order.push('worker settled')),
      fullCollection(),
      0,
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual([]);
    const before = performance.now();
    finish();
    expect(await settled).toBe(true);
    expect(order).toEqual(['start work done', 'worker settled']);
    await new Promise((r) => setTimeout(r, 50)); // gc entries are delivered asynchronously
    expect(majors.filter((t) => t >= before).length).toBeGreaterThanOrEqual(1);
  } finally {
    obs.disconnect();
    await client.close();
  }
});

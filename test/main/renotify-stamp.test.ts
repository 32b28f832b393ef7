/**
 * A re-notification of many alerts is stored as one stamp, not by rewriting each alert's row (issue 19:
 * 44k rows, 0.45 s in the store worker, every 5 minutes), and a restart still re-notifies them when it would
 * have: not at the start, at the stamp's instant plus the interval. Real services and store worker.
 */
import { expect, it, vi } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { contractStore } from '../helpers/contract-store.js';
import { MIN, T0, cleanedAfterEach, recordStoreCalls, renotifyRig } from '../helpers/renotify-rig.js';

const N = 40;
const dirs = cleanedAfterEach();

it(`re-notifying ${N} alerts writes a stamp, not ${N} rows; a restart re-notifies them at the stamp's instant plus the interval`, async () => {
  const clock = new ManualClock(T0);
  const { tmp, store, reg } = contractStore(clock);
  dirs.push(tmp);
  for (let i = 0; i < N; i++) reg(`Line ${i} down`);
  store.close();

  let rig = await renotifyRig(clock, tmp.dir);
  // Past every ticket's 1 h response deadline (10:00): N breach alerts shown in one summary at 10:00.
  await rig.advanceTo(T0 + 61 * MIN);
  expect((await rig.services.context.scheduler.activeAlerts()).filter((a) => a.kind === 'breach')).toHaveLength(N);
  let rows = 0;
  recordStoreCalls((path, args) => {
    if (path === 'notifications.updateAlerts' || path === 'notifications.renotified') rows += (args[args.length - (path === 'notifications.renotified' ? 1 : 2)] as unknown[] | undefined)?.length ?? 0;
  });
  let sent = rig.notifier.sent.length;
  await rig.advanceTo(T0 + 67 * MIN); // re-notified at 10:05
  vi.restoreAllMocks();
  expect(rig.notifier.sent.slice(sent).map((n) => n.id)).toEqual(['summary']);
  expect(rows).toBeLessThan(N / 4);
  await rig.services.dispose();

  // A restart at 10:08: nothing pops up before 10:10, the next re-notification; then all N again, as one summary, and at 10:15.
  clock.set(T0 + 68 * MIN);
  rig = await renotifyRig(clock, tmp.dir);
  try {
    expect(rig.notifier.sent).toEqual([]);
    expect(rig.services.context.scheduler.loadedAlerts).toBeLessThan(N);
    await rig.advanceTo(T0 + 70 * MIN - 1_000);
    expect(rig.notifier.sent).toEqual([]);
    await rig.advanceTo(T0 + 70 * MIN + 1_000);
    expect(rig.notifier.sent.map((n) => n.id)).toEqual(['summary']);
    expect(rig.notifier.sent[0]!.title).toContain(String(N));
    sent = rig.notifier.sent.length;
    await rig.advanceTo(T0 + 75 * MIN + 1_000);
    expect(rig.notifier.sent.slice(sent).map((n) => n.title)).toEqual([rig.notifier.sent[0]!.title]);
  } finally {
    await rig.services.dispose();
  }
});

it(`a summary of a few alerts minutes after one of ${N} writes their rows, not the ${N} the first stamp covers; a restart still re-notifies each set at its own instant`, async () => {
  const K = 8; // more than the summary threshold (5): their breaches pop up as a summary too
  const clock = new ManualClock(T0);
  const { tmp, store, reg } = contractStore(clock);
  dirs.push(tmp);
  for (let i = 0; i < N; i++) reg(`Line ${i} down`);
  clock.set(T0 + 2 * MIN);
  for (let i = 0; i < K; i++) reg(`Port ${i} flapping`);
  store.close();
  clock.set(T0);

  let rig = await renotifyRig(clock, tmp.dir);
  await rig.advanceTo(T0 + 60 * MIN + 30_000); // the N breaches, at 10:00, one summary
  let rows = 0;
  recordStoreCalls((path, args) => {
    if (path === 'notifications.updateAlerts' || path === 'notifications.renotified') rows += (args[args.length - (path === 'notifications.renotified' ? 1 : 2)] as unknown[] | undefined)?.length ?? 0;
  });
  // 10:02 the K breaches (a summary), 10:05 the N re-notified, 10:07 the K re-notified: each summary listing the others too.
  const sent = rig.notifier.sent.length;
  await rig.advanceTo(T0 + 68 * MIN);
  vi.restoreAllMocks();
  expect(rig.notifier.sent.slice(sent).map((n) => n.id)).toEqual(['summary', 'summary', 'summary']);
  expect(rows).toBeLessThanOrEqual(3 * K);
  const shownAt = async () => {
    const breaches = (await rig.services.context.scheduler.activeAlerts()).filter((a) => a.kind === 'breach');
    return [...new Set(breaches.map((a) => a.notifiedAt))].sort().map((t) => [Math.round((t! - T0) / MIN), breaches.filter((a) => a.notifiedAt === t).length]);
  };
  expect(await shownAt()).toEqual([
    [65, N],
    [67, K],
  ]);
  await rig.services.dispose();

  // A restart at 10:08 reads the same instants: the N pop up again at 10:10, the K at 10:12.
  rig = await renotifyRig(clock, tmp.dir);
  try {
    expect(await shownAt()).toEqual([
      [65, N],
      [67, K],
    ]);
    await rig.advanceTo(T0 + 70 * MIN - 1_000);
    expect(rig.notifier.sent).toEqual([]);
    await rig.advanceTo(T0 + 72 * MIN + 1_000);
    expect(rig.notifier.sent.map((n) => n.id)).toEqual(['summary', 'summary']);
    expect(await shownAt()).toEqual([
      [70, N],
      [72, K],
    ]);
  } finally {
    await rig.services.dispose();
  }
});

/**
 * The scheduler's start reads the stored wake-ups a page at a time (main/alerts/wake-window.ts): the
 * heap holds the window, later pages are read when the clock reaches the end of it, and every ticket
 * is still planned at its own instant. A newer instant in the heap wins over a stale stored one.
 */
import { expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { AlertScheduler } from '../../main/alerts/scheduler.js';
import { MemoryAlertStore } from '../../main/alerts/memory-store.js';
import { DEFAULT_ALERT_SETTINGS } from '../../main/alerts/types.js';
import type { PlanResult, TicketPlanner } from '../../main/alerts/types.js';
import type { WakeSource } from '../../main/alerts/wake-window.js';
import { MemoryNotifier } from '../../main/notify/notifier.js';
import { FakeTimers } from '../helpers/fake-timers.js';

const T0 = Date.UTC(2026, 2, 30, 8, 0);
const MIN = 60_000;

/** Stored wake-ups, as the tickets table holds them (id -> instant, or null: planned, nothing ahead). */
function source(stored: Map<string, number | null>, unplanned: string[], reads: string[]): WakeSource {
  return {
    async unplanned(after, limit) {
      reads.push('unplanned');
      return unplanned
        .filter((id) => after === null || id > after)
        .sort()
        .slice(0, limit);
    },
    async page(after, limit) {
      reads.push(`page after ${after ? after.id : '-'}`);
      return [...stored]
        .filter((e): e is [string, number] => e[1] !== null)
        .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))
        .filter(([id, at]) => after === null || at > after.at || (at === after.at && id > after.id))
        .slice(0, limit);
    },
  };
}

/** A scheduler over `plan` (which records what it was asked), on fake timers at T0. */
function setup(plan: (id: string, now: number) => PlanResult) {
  const clock = new ManualClock(T0);
  const timers = new FakeTimers(clock);
  const planned: Array<[string, number]> = [];
  const planner: TicketPlanner = {
    async plan(id: string, now: number): Promise<PlanResult> {
      planned.push([id, now]);
      return plan(id, now);
    },
  };
  const sched = new AlertScheduler({ clock, timers, planner, store: new MemoryAlertStore(), notifier: new MemoryNotifier(), settings: () => DEFAULT_ALERT_SETTINGS });
  return { timers, planned, sched };
}

it('plans each ticket at its own instant, reading the next page only when the clock reaches the window end', async () => {
  // Each ticket t<k> is due at T0 + k min, then nothing more.
  const { timers, planned, sched } = setup((id, now) => {
    const due = T0 + Number(id.slice(1)) * MIN;
    return { candidates: [], nextAt: now < due ? due : null };
  });
  const stored = new Map<string, number | null>([1, 2, 3, 4, 5].map((k) => [`t${k}`, T0 + k * MIN]));
  stored.set('t9', null); // nothing ahead: never read, never planned
  const reads: string[] = [];
  await sched.startFrom(source(stored, ['t7'], reads), 2);
  await sched.idle();
  // At start: the unplanned ticket is planned, the first page (t1, t2) is read, nothing else.
  expect(planned).toEqual([['t7', T0]]);
  expect(reads).toEqual(['unplanned', 'page after -']);
  expect(sched.plannedTickets).toBe(3); // t1, t2 and t7 (planned to T0 + 7 min): the window, not every ticket

  await timers.advanceTo(T0 + 10 * MIN, () => sched.idle());
  expect(planned.slice(1)).toEqual([1, 2, 3, 4, 5, 7].map((k) => [`t${k}`, T0 + k * MIN]));
  expect(reads.slice(2)).toEqual(['page after t2', 'page after t4']);
  sched.dispose();
});

it('a stored wake-up older than the one the heap holds (not yet written back) is not read over it', async () => {
  const { timers, planned, sched } = setup((id, now) => ({ candidates: [], nextAt: id === 'b' && now < T0 + 30 * MIN ? T0 + 30 * MIN : null }));
  const stored = new Map<string, number | null>([
    ['a', T0 + MIN],
    ['b', T0 + 5 * MIN],
  ]);
  await sched.startFrom(source(stored, [], []), 1);
  // b changes now and is planned to T0 + 30 min; its stored row still says T0 + 5 min.
  await sched.ticketChanged('b');
  await timers.advanceTo(T0 + 10 * MIN, () => sched.idle());
  expect(planned).toEqual([
    ['b', T0],
    ['a', T0 + MIN],
  ]);
  await timers.advanceTo(T0 + 40 * MIN, () => sched.idle());
  expect(planned.slice(2)).toEqual([['b', T0 + 30 * MIN]]);
  sched.dispose();
});

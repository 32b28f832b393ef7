import { describe, expect, it } from 'vitest';
import { schedulerRig } from '../helpers/scheduler-rig.js';
import { ManualClock } from '../../core/clock.js';
import { MemoryAlertStore } from '../../main/alerts/memory-store.js';
import type { AlertCandidate, AlertSettings, PlanResult, TicketPlanner } from '../../main/alerts/types.js';

const T0 = Date.UTC(2026, 2, 30, 8, 0); // Mon 30 Mar 2026 10:00 Copenhagen
const MIN = 60_000;

/** A planner scripted per ticket: each alert becomes due at `at`, and holds until `until`. */
class ScriptedPlanner implements TicketPlanner {
  readonly script = new Map<string, Array<{ at: number; until?: number; c: Partial<AlertCandidate> }>>();
  calls = 0;
  failFor = new Set<string>();
  add(ticketId: string, at: number, c: Partial<AlertCandidate> = {}, until?: number) {
    const list = this.script.get(ticketId) ?? [];
    list.push({ at, c, ...(until !== undefined ? { until } : {}) });
    this.script.set(ticketId, list);
  }
  async plan(ticketId: string, now: number): Promise<PlanResult> {
    this.calls++;
    if (this.failFor.has(ticketId)) throw new Error('broken ticket');
    const list = this.script.get(ticketId) ?? [];
    const candidates: AlertCandidate[] = [];
    let nextAt: number | null = null;
    for (const s of list) {
      if (s.until !== undefined && now >= s.until) continue;
      if (s.at <= now) {
        candidates.push({ ticketId, caseNumber: `K${ticketId}`, target: 'response', kind: 'breach', dueAt: s.at, critical: false, text: 'Response due', ...s.c });
        if (s.until !== undefined) nextAt = nextAt === null ? s.until : Math.min(nextAt, s.until);
      } else nextAt = nextAt === null ? s.at : Math.min(nextAt, s.at);
    }
    return { candidates, nextAt };
  }
}

function setup(settings: Partial<AlertSettings> = {}, store = new MemoryAlertStore(), clock = new ManualClock(T0)) {
  const counts: number[] = [];
  return { ...schedulerRig({ clock, planner: new ScriptedPlanner(), settings, store, onActiveChanged: (n) => counts.push(n) }), counts };
}

describe('alert scheduler', () => {
  it('sleeps with one timer until the earliest instant, and plans nothing before', async () => {
    const s = setup();
    s.planner.add('1', T0 + 30 * MIN);
    s.planner.add('2', T0 + 10 * MIN);
    await s.sched.start([
      ['1', T0 + 30 * MIN],
      ['2', T0 + 10 * MIN],
    ]);
    expect(s.timers.count).toBe(1);
    expect(s.sched.nextWakeAt).toBe(T0 + 10 * MIN);
    expect(s.planner.calls).toBe(0);
    await s.timers.advanceTo(T0 + 10 * MIN - 1, s.settle);
    expect(s.notifier.sent).toHaveLength(0);
    await s.timers.advanceTo(T0 + 10 * MIN, s.settle);
    expect(s.notifier.sent).toHaveLength(1);
    expect(s.notifier.sent[0]!.body).toContain('K2');
    expect(s.sched.nextWakeAt).toBe(T0 + 30 * MIN);
  });

  it('records each alert once and never shows it twice, even across a restart', async () => {
    const store = new MemoryAlertStore();
    const a = setup({}, store);
    a.planner.add('1', T0 + MIN);
    await a.sched.start([['1', T0 + MIN]]);
    await a.timers.advanceTo(T0 + 2 * MIN, a.settle);
    await a.sched.ticketChanged('1');
    await a.sched.ticketChanged('1');
    expect(a.notifier.sent).toHaveLength(1);
    a.sched.dispose();

    const b = setup({}, store, new ManualClock(T0 + 5 * MIN));
    b.planner.add('1', T0 + MIN);
    await b.sched.start([['1', T0 + MIN]]);
    expect(b.notifier.sent).toHaveLength(0);
    expect(await b.sched.activeAlerts()).toHaveLength(1);
  });

  it('shows alerts that came due while the app was closed as one summary', async () => {
    const s = setup();
    for (const id of ['1', '2', '3']) s.planner.add(id, T0 - 60 * MIN);
    await s.sched.start([
      ['1', T0 - 60 * MIN],
      ['2', T0 - 30 * MIN],
      ['3', T0 - MIN],
    ]);
    expect(s.notifier.sent).toHaveLength(1);
    expect(s.notifier.sent[0]!.title).toContain('3 alerts came due while Vakt was not running');
    expect(await s.sched.activeAlerts()).toHaveLength(3);
  });

  it('handles hundreds of tickets coming due at once with one summary and one timer', async () => {
    const s = setup();
    const entries: Array<[string, number]> = [];
    for (let i = 0; i < 500; i++) {
      s.planner.add(String(i), T0 + 10 * MIN);
      s.planner.add(String(i), T0 + 20 * MIN + i * 1000, { kind: 'response_warning' });
      entries.push([String(i), T0 + 10 * MIN]);
    }
    await s.sched.start(entries);
    expect(s.timers.count).toBe(1);
    await s.timers.advanceTo(T0 + 10 * MIN, s.settle);
    expect(s.notifier.sent).toHaveLength(1);
    expect(s.notifier.sent[0]!.title).toContain('500 alerts');
    expect(await s.sched.activeAlerts()).toHaveLength(500);
    expect(s.timers.count).toBe(1);
    expect(s.sched.nextWakeAt).toBe(T0 + 20 * MIN);
    expect(s.sched.plannedTickets).toBe(500);
  });

  it('re-notifies an unacknowledged critical alert every N minutes until acknowledged', async () => {
    const s = setup({ renotifyMinutes: 5 });
    s.planner.add('1', T0 + MIN, { critical: true });
    s.planner.add('2', T0 + MIN, { critical: false, kind: 'callback_due', target: 'update' });
    await s.sched.start([
      ['1', T0 + MIN],
      ['2', T0 + MIN],
    ]);
    await s.timers.advanceTo(T0 + MIN, s.settle);
    expect(s.notifier.sent).toHaveLength(2);
    await s.timers.advanceTo(T0 + 16 * MIN, s.settle);
    // at +6 and +11 and +16: three re-notifications of the critical one only
    expect(s.notifier.sent.filter((n) => n.critical)).toHaveLength(4);
    expect(s.notifier.sent.filter((n) => !n.critical)).toHaveLength(1);
    const key = (await s.sched.activeAlerts()).find((a) => a.critical)!.key;
    expect(await s.sched.acknowledge(key)).toBe(true);
    await s.timers.advanceTo(T0 + 60 * MIN, s.settle);
    expect(s.notifier.sent.filter((n) => n.critical)).toHaveLength(4);
    expect(await s.sched.activeAlerts()).toHaveLength(1);
  });

  it('snoozes an alert for a chosen time', async () => {
    const s = setup({ renotifyMinutes: 5 });
    s.planner.add('1', T0 + MIN, { critical: true });
    await s.sched.start([['1', T0 + MIN]]);
    await s.timers.advanceTo(T0 + MIN, s.settle);
    const key = (await s.sched.activeAlerts())[0]!.key;
    await s.sched.snooze(key, 30);
    await s.timers.advanceTo(T0 + 30 * MIN, s.settle);
    expect(s.notifier.sent).toHaveLength(1);
    await s.timers.advanceTo(T0 + 31 * MIN, s.settle);
    expect(s.notifier.sent).toHaveLength(2);
  });

  it('resolves an alert when its cause goes away and updates the active count', async () => {
    const s = setup();
    s.planner.add('1', T0 + MIN, {}, T0 + 10 * MIN);
    await s.sched.start([['1', T0 + MIN]]);
    await s.timers.advanceTo(T0 + MIN, s.settle);
    expect(await s.sched.activeAlerts()).toHaveLength(1);
    await s.timers.advanceTo(T0 + 10 * MIN, s.settle);
    expect(await s.sched.activeAlerts()).toHaveLength(0);
    expect(s.counts).toEqual([1, 0]);
    expect([...s.store.all.values()][0]!.state).toBe('resolved');
  });

  it('holds non-critical alerts in quiet hours and shows them as one summary when they end; critical ones go through', async () => {
    // 22:00-07:00 Copenhagen; T0 is 10:00 local, so start at 23:00 local.
    const night = T0 + 13 * 60 * MIN;
    const s = setup({ quietHours: { start: '22:00', end: '07:00', timezone: 'Europe/Copenhagen' } }, new MemoryAlertStore(), new ManualClock(night));
    s.planner.add('1', night + MIN, { kind: 'response_warning' });
    s.planner.add('2', night + 2 * MIN, { kind: 'callback_due', target: 'update' });
    s.planner.add('3', night + 3 * MIN, { critical: true });
    await s.sched.start([
      ['1', night + MIN],
      ['2', night + 2 * MIN],
      ['3', night + 3 * MIN],
    ]);
    await s.timers.advanceTo(night + 60 * MIN, s.settle);
    expect(s.notifier.sent.map((n) => n.critical)).toEqual([true, true, true, true, true, true, true, true, true, true, true, true]);
    const morning = Date.UTC(2026, 2, 31, 5, 0); // 07:00 CEST
    s.notifier.sent.length = 0;
    const key3 = (await s.sched.activeAlerts()).find((a) => a.critical)!.key;
    await s.sched.acknowledge(key3);
    await s.timers.advanceTo(morning, s.settle);
    expect(s.notifier.sent).toHaveLength(1);
    expect(s.notifier.sent[0]!.title).toContain('2 alerts held back during quiet hours');
  });

  it('re-plans after sleep or a clock jump forward, as one summary', async () => {
    const s = setup();
    s.planner.add('1', T0 + 10 * MIN);
    s.planner.add('2', T0 + 20 * MIN);
    s.planner.add('3', T0 + 300 * MIN);
    await s.sched.start([
      ['1', T0 + 10 * MIN],
      ['2', T0 + 20 * MIN],
      ['3', T0 + 300 * MIN],
    ]);
    s.timers.jump(T0 + 120 * MIN); // slept two hours: no timer ran
    await s.sched.replan('resume');
    expect(s.notifier.sent).toHaveLength(1);
    expect(s.notifier.sent[0]!.title).toContain('2 alerts');
    expect(s.sched.nextWakeAt).toBe(T0 + 300 * MIN);
  });

  it('re-arms from the new time after the clock is set back', async () => {
    const s = setup();
    s.planner.add('1', T0 + 60 * MIN);
    await s.sched.start([['1', T0 + 60 * MIN]]);
    expect(s.timers.nextAt()).toBe(T0 + 60 * MIN);
    s.timers.jump(T0 - 60 * MIN);
    await s.sched.replan('clock');
    expect(s.timers.count).toBe(1);
    expect(s.timers.nextAt()).toBe(T0 + 60 * MIN);
    await s.timers.advanceTo(T0 + 59 * MIN, s.settle);
    expect(s.notifier.sent).toHaveLength(0);
    await s.timers.advanceTo(T0 + 60 * MIN, s.settle);
    expect(s.notifier.sent).toHaveLength(1);
  });

  it('keeps going when one ticket cannot be planned, and retries it', async () => {
    const s = setup();
    s.planner.add('bad', T0 + MIN);
    s.planner.add('good', T0 + MIN);
    s.planner.failFor.add('bad');
    await s.sched.start([
      ['bad', T0 + MIN],
      ['good', T0 + MIN],
    ]);
    await s.timers.advanceTo(T0 + MIN, s.settle);
    expect((await s.sched.activeAlerts()).map((a) => a.ticketId)).toEqual(['good']);
    s.planner.failFor.clear();
    await s.timers.advanceTo(T0 + 2 * MIN, s.settle);
    expect((await s.sched.activeAlerts()).map((a) => a.ticketId).sort()).toEqual(['bad', 'good']);
  });
});

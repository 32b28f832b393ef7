/**
 * The scheduler driven by the real SLA engine, on a fake clock: alerts fire
 * at the instants the engine computes, across DST changes, sleep and clock jumps.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import type { TicketEvent } from '../../core/sla/index.js';
import { AlertScheduler } from '../../main/alerts/scheduler.js';
import { MemoryAlertStore } from '../../main/alerts/memory-store.js';
import { SlaPlanner } from '../../main/alerts/planner.js';
import type { PlanningTicket } from '../../main/alerts/planner.js';
import { DEFAULT_ALERT_SETTINGS } from '../../main/alerts/types.js';
import type { AlertSettings } from '../../main/alerts/types.js';
import type { AppNotification } from '../../main/notify/notifier.js';
import { FakeTimers } from '../helpers/fake-timers.js';

const MIN = 60_000;
const weekdays = (from: string, to: string) => ({ mon: [[from, to]], tue: [[from, to]], wed: [[from, to]], thu: [[from, to]], fri: [[from, to]], sat: [], sun: [] });

const contracts: Record<string, { calendars: unknown; policies: unknown }> = {
  cph247: {
    calendars: { c: { timezone: 'Europe/Copenhagen', week: '24x7' } },
    policies: { crit: { calendar: 'c', targets: { response: { within: { hours: 2 } } } } },
  },
  nyOffice: {
    calendars: { ny: { timezone: 'America/New_York', week: weekdays('08:00', '16:00') } },
    policies: { normal: { calendar: 'ny', targets: { resolution: { within: { hours: 4 } } } } },
  },
  dkSupport: {
    calendars: {
      sup: { timezone: 'Europe/Copenhagen', week: { ...weekdays('08:00', '20:00'), sat: [['08:00', '16:00']] }, holidays: { country: 'DK' } },
    },
    policies: {
      sla: { calendar: 'sup', pauseWhen: ['waiting_on_customer'], targets: { update: { first: { hours: 2 }, every: { hours: 4 } } } },
    },
  },
};

function rig(now: number, settings: Partial<AlertSettings> = {}) {
  const clock = new ManualClock(now);
  const timers = new FakeTimers(clock);
  const tickets = new Map<string, PlanningTicket>();
  const sent: Array<AppNotification & { at: number }> = [];
  const planner = new SlaPlanner(
    {
      ticket: async (id) => tickets.get(id) ?? null,
      policySet: async (id) => contracts[id]!,
    },
    () => 'Europe/Copenhagen',
  );
  const sched = new AlertScheduler({
    clock,
    timers,
    planner,
    store: new MemoryAlertStore(),
    notifier: { notify: async (n) => void sent.push({ ...n, at: clock.now() }) },
    settings: () => ({ ...DEFAULT_ALERT_SETTINGS, renotifyMinutes: 600, ...settings }),
    facts: (id, at) => planner.facts(id, at),
    timezone: () => 'Europe/Copenhagen',
  });
  const add = (id: string, contractId: string, events: TicketEvent[], priority = 'normal') => tickets.set(id, { id, caseNumber: `CASE-${id}`, priority, contractId, contractVersion: 1, events });
  const settle = () => sched.idle();
  return { clock, timers, tickets, sent, sched, add, settle, planner };
}

async function startAll(r: ReturnType<typeof rig>) {
  // At start every open ticket is planned from "now" (the app stores nextAt; here we plan them all at once).
  await r.sched.start([...r.tickets.keys()].map((id) => [id, r.clock.now()] as const));
}

describe('alerts from the SLA engine', () => {
  it('fires warnings and the breach at the engine instants across the spring-forward night (Copenhagen, 24x7)', async () => {
    const created = Date.parse('2026-03-29T01:30:00+01:00'); // 00:30Z; the clocks jump 02:00 -> 03:00
    const r = rig(created);
    r.add('1', 'cph247', [{ type: 'created', at: created, policy: 'crit' }]);
    await startAll(r);
    await r.timers.advanceTo(created + 4 * 60 * MIN, r.settle);
    const kinds = r.sent.map((n) => [n.title.replace(/^(CRITICAL · )?CASE-1: /, ''), new Date(n.at).toISOString()]);
    // 2 h of real time: due 02:30Z (04:30 CEST on the wall). 75 % at 02:00Z; 15 min before at 02:15Z.
    expect(kinds).toEqual([
      ['response deadline near', '2026-03-29T02:00:00.000Z'],
      ['SLA breached', '2026-03-29T02:30:00.001Z'],
    ]);
    expect(r.sent[0]!.body).toContain('Sun 04:30');
  });

  it('counts business hours across the fall-back weekend in New York', async () => {
    const created = Date.parse('2026-10-30T15:00:00-04:00'); // Fri, 1 h left that day
    const r = rig(created, { warnPercent: [], warnMinutesBefore: [] });
    r.add('1', 'nyOffice', [{ type: 'created', at: created, policy: 'normal' }]);
    await startAll(r);
    await r.timers.advanceTo(Date.parse('2026-11-03T00:00:00Z'), r.settle);
    expect(r.sent.map((n) => new Date(n.at).toISOString())).toEqual(['2026-11-02T16:00:00.001Z']); // Mon 11:00 EST
  });

  it('raises a callback due, then overdue, within support hours only; logging the update ends it', async () => {
    const created = Date.parse('2026-06-05T18:00:00+02:00'); // Friday 18:00; support until 20:00, Sat 08-16
    const r = rig(created, { callbackLeadMinutes: 0, renotifyMinutes: 100_000 });
    r.add('1', 'dkSupport', [{ type: 'created', at: created, policy: 'sla' }], 'critical');
    await startAll(r);
    await r.timers.advanceTo(Date.parse('2026-06-05T19:59:00+02:00'), r.settle);
    expect(r.sent).toHaveLength(0);
    await r.timers.advanceTo(Date.parse('2026-06-06T08:30:00+02:00'), r.settle);
    // Due at 20:00 Friday (2 support hours); the support hours end then, so it is missed at once: overdue, critical.
    // "Due" and "overdue" 1 ms apart make one pop-up, not two.
    expect(r.sent.map((n) => [n.title, new Date(n.at).toISOString()])).toEqual([['CRITICAL · CASE-1: callback overdue', '2026-06-05T18:00:00.001Z']]);
    // The due alert gave way to the overdue one; nothing fired overnight outside support hours.
    expect((await r.sched.activeAlerts()).map((a) => a.kind)).toEqual(['callback_overdue']);
    // The officer calls the customer at 08:30 Saturday.
    r.tickets.get('1')!.events.push({ type: 'update_logged', at: r.clock.now() });
    await r.sched.ticketChanged('1');
    expect(await r.sched.activeAlerts()).toEqual([]);
    // Next callback: 4 support hours later, Saturday 12:30.
    await r.timers.advanceTo(Date.parse('2026-06-06T13:00:00+02:00'), r.settle);
    expect(r.sent.slice(1).map((n) => [n.title, new Date(n.at).toISOString()])).toEqual([['CRITICAL · CASE-1: callback overdue', '2026-06-06T10:30:00.001Z']]);
  });

  it('catches up after the machine slept through deadlines, as one summary', async () => {
    const created = Date.parse('2026-03-30T09:00:00+02:00');
    const r = rig(created);
    r.add('1', 'cph247', [{ type: 'created', at: created, policy: 'crit' }]);
    r.add('2', 'cph247', [{ type: 'created', at: created + 10 * MIN, policy: 'crit' }]);
    await startAll(r);
    r.timers.jump(created + 5 * 60 * MIN); // asleep for five hours: no timer ran
    await r.sched.replan('resume');
    expect(r.sent).toHaveLength(1);
    expect(r.sent[0]!.title).toMatch(/2 alerts came due while Vakt was not running/);
    expect((await r.sched.activeAlerts()).map((a) => a.kind)).toEqual(['breach', 'breach']);
  });

  it('moves a pending breach when the clock is set back, without firing early', async () => {
    const created = Date.parse('2026-03-30T09:00:00+02:00');
    const r = rig(created, { warnPercent: [], warnMinutesBefore: [] });
    r.add('1', 'cph247', [{ type: 'created', at: created, policy: 'crit' }]);
    await startAll(r);
    r.timers.jump(created - 60 * MIN);
    await r.sched.replan('clock');
    await r.timers.advanceTo(created + 2 * 60 * MIN, r.settle);
    expect(r.sent).toHaveLength(0);
    await r.timers.advanceTo(created + 2 * 60 * MIN + 1, r.settle);
    expect(r.sent).toHaveLength(1);
  });
});

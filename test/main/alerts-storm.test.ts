/**
 * No storms, and pop-ups a person can act on: the scheduler over the real SLA
 * engine on a fake clock. At most one pop-up per ticket at a time, a catch-up
 * stays one summary, quiet hours hold every alert of a non-critical ticket,
 * and texts are written when each pop-up is shown.
 */
import { describe, expect, it } from 'vitest';
import { schedulerRig } from '../helpers/scheduler-rig.js';
import { ManualClock } from '../../core/clock.js';
import type { TicketEvent } from '../../core/sla/index.js';
import { SlaPlanner } from '../../main/alerts/planner.js';
import type { PlanningTicket } from '../../main/alerts/planner.js';
import type { AlertSettings } from '../../main/alerts/types.js';
import type { AppNotification } from '../../main/notify/notifier.js';

const MIN = 60_000;
const contract = {
  calendars: { c: { timezone: 'Europe/Copenhagen', week: '24x7' } },
  policies: { p: { calendar: 'c', targets: { response: { within: { hours: 2 } }, update: { first: { hours: 1 }, every: { hours: 4 } } } } },
};
const responseOnly = { calendars: contract.calendars, policies: { p: { calendar: 'c', targets: { response: { within: { hours: 2 } } } } } };

function rig(now: number, settings: Partial<AlertSettings> = {}, policySet: unknown = contract) {
  const clock = new ManualClock(now);
  const tickets = new Map<string, PlanningTicket>();
  const planner = new SlaPlanner(
    {
      ticket: async (id) => tickets.get(id) ?? null,
      policySet: async () => policySet as { calendars: unknown; policies: unknown },
    },
    () => 'UTC',
  );
  const { timers, sched, settle, notifier, store } = schedulerRig({ clock, planner, settings, facts: (id, at) => planner.facts(id, at), timezone: () => 'UTC' });
  const sent: Array<AppNotification & { at: number }> = [];
  notifier.notify = async (n) => void sent.push({ ...n, at: clock.now() });
  const add = (id: string, created: number, priority = 'critical') =>
    tickets.set(id, {
      id,
      caseNumber: `K-${id}`,
      priority,
      contractId: 'k',
      contractVersion: 1,
      events: [{ type: 'created', at: created, policy: 'p' } as TicketEvent],
      named: { customer: `Customer ${id}`, title: `Fibre down at site ${id}`, contactName: 'Hanne Olsen', contactPhone: '+45 72 12 00 00' },
    });
  return { clock, timers, tickets, sent, sched, add, settle, notifier, store };
}

/** Pairs of pop-ups for one ticket less than 5 s apart that would stand side by side (different ids). */
function separatePairs(sent: Array<AppNotification & { at: number }>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < sent.length; i++)
    for (let j = i + 1; j < sent.length; j++) {
      const a = sent[i]!;
      const b = sent[j]!;
      if (a.ticketId && a.ticketId === b.ticketId && b.at - a.at < 5000 && a.id !== b.id) out.push([a.title, b.title]);
    }
  return out;
}

describe('no storms', () => {
  it('with the default settings (lead 5 min = re-notify 5 min) a critical callback makes one pop-up at the due moment', async () => {
    const created = Date.UTC(2026, 5, 1, 8, 0);
    const r = rig(created);
    r.add('1', created);
    await r.sched.start([['1', created]]);
    const due = created + 60 * MIN; // first status callback
    await r.timers.advanceTo(due + 30 * MIN, r.settle);
    const atDue = r.sent.filter((n) => n.at >= due - 5000 && n.at <= due + 5000);
    expect(atDue.map((n) => n.title)).toEqual(['CRITICAL · K-1: callback overdue · Customer 1']);
    expect(separatePairs(r.sent)).toEqual([]);
    expect(new Set(r.sent.map((n) => n.id))).toEqual(new Set(['ticket|1']));
    // The overdue pop-up replaces the due one: it is not closed and shown anew.
    expect(r.notifier.closed).toEqual([]);
  });

  it('no settings make two separate pop-ups for one ticket within 5 s: lead 0, warnings at every minute, re-notify every minute', async () => {
    for (const settings of [
      { callbackLeadMinutes: 0 },
      { callbackLeadMinutes: 0, renotifyMinutes: 1, warnMinutesBefore: [1, 2, 3], warnPercent: [50, 99] },
      { callbackLeadMinutes: 60, renotifyMinutes: 60 },
    ]) {
      const created = Date.UTC(2026, 5, 1, 8, 0);
      const r = rig(created, settings);
      r.add('1', created);
      r.add('2', created, 'normal');
      await r.sched.start([
        ['1', created],
        ['2', created],
      ]);
      await r.timers.advanceTo(created + 3 * 60 * MIN, r.settle);
      expect(r.sent.length).toBeGreaterThan(1);
      expect(separatePairs(r.sent), JSON.stringify(settings)).toEqual([]);
      // "due soon" and "overdue" of the same target never arrive together
      const together = r.sent.filter((n, i) => i > 0 && n.ticketId === r.sent[i - 1]!.ticketId && n.at - r.sent[i - 1]!.at < 5000);
      expect(together, JSON.stringify(settings)).toEqual([]);
    }
  });

  it('after a catch-up the summary stays one grouped pop-up with Acknowledge all / Open alerts, and its alerts do not each re-notify', async () => {
    const created = Date.UTC(2026, 5, 1, 8, 0);
    const now = created + 3 * 60 * MIN; // every ticket's response breached and callback overdue
    const r = rig(now);
    for (let i = 0; i < 30; i++) r.add(String(i), created);
    await r.sched.start([...r.tickets.keys()].map((id) => [id, created] as const));
    expect(r.sent).toHaveLength(1);
    expect(r.sent[0]!.title).toContain('came due while Vakt was not running');
    expect(r.sent[0]!.actions?.map((a) => a.label)).toEqual(['Acknowledge all', 'Open alerts']);
    await r.timers.advanceTo(now + 21 * MIN, r.settle);
    // re-notified as the one summary (replacing it) at +5, +10, +15, +20; never one per alert
    expect(r.sent.map((n) => n.id)).toEqual(['summary', 'summary', 'summary', 'summary', 'summary']);
    expect(await r.sched.act('summary', 'open-alerts')).toEqual({ open: {} });
    await r.sched.act('summary', 'acknowledge-all');
    expect(await r.sched.activeAlerts()).toEqual([]);
    expect([...r.store.all.values()].every((a) => a.state === 'acked')).toBe(true);
    await r.timers.advanceTo(now + 60 * MIN, r.settle);
    expect(r.sent).toHaveLength(5);
  });

  it('acknowledge, snooze and open on a ticket pop-up act on that ticket', async () => {
    const created = Date.UTC(2026, 5, 1, 8, 0);
    const r = rig(created);
    r.add('1', created);
    await r.sched.start([['1', created]]);
    await r.timers.advanceTo(created + 61 * MIN, r.settle);
    const n = r.sent.at(-1)!;
    expect(n.actions?.map((a) => a.id)).toEqual(['acknowledge', 'snooze', 'open']);
    expect(n.body).toContain('Customer 1 · Fibre down at site 1');
    expect(n.body).toContain('Call back: Hanne Olsen, +45 72 12 00 00');
    expect(await r.sched.act(n.id, 'open')).toEqual({ open: { ticketId: '1' } });
    await r.sched.act(n.id, 'snooze');
    expect((await r.sched.activeAlerts()).every((a) => a.snoozedUntil === r.clock.now() + 15 * MIN)).toBe(true);
    await r.sched.act(n.id, 'acknowledge');
    expect(await r.sched.activeAlerts()).toEqual([]);
    expect(r.notifier.closed).toContain('ticket|1');
  });
});

describe('quiet hours', () => {
  const quietHours = { start: '22:00', end: '07:00', timezone: 'Europe/Copenhagen' };

  it("hold every alert of a non-critical ticket, its breach included, and show it at the end written as of that moment; a critical ticket's go through", async () => {
    const created = Date.parse('2026-06-02T04:00:00+02:00'); // response due 06:00 local
    const r = rig(created, { quietHours }, responseOnly);
    r.add('normal', created, 'normal');
    r.add('crit', created, 'critical');
    await r.sched.start([
      ['normal', created],
      ['crit', created],
    ]);
    await r.timers.advanceTo(Date.parse('2026-06-02T06:59:00+02:00'), r.settle);
    expect(r.sent.length).toBeGreaterThan(0);
    expect(r.sent.every((n) => n.ticketId === 'crit')).toBe(true);
    const morning = Date.parse('2026-06-02T07:00:00+02:00');
    await r.timers.advanceTo(morning, r.settle);
    const released = r.sent.filter((n) => n.ticketId === 'normal');
    expect(released).toHaveLength(1);
    expect(released[0]!.at).toBe(morning);
    expect(released[0]!.body).toContain('Response deadline passed: Tue 06:00 GMT+2 (60 min ago)');
  });

  it('a warning held through quiet hours is released saying how much time is left at release', async () => {
    const created = Date.parse('2026-06-02T05:10:00+02:00'); // response due 07:10 local; warnings 06:40 (75 %) and 06:55
    const r = rig(created, { quietHours }, responseOnly);
    r.add('1', created, 'normal');
    await r.sched.start([['1', created]]);
    await r.timers.advanceTo(Date.parse('2026-06-02T07:00:00+02:00'), r.settle);
    expect(r.sent).toHaveLength(1);
    expect(r.sent[0]!.body).toContain('Response due Tue 07:10 GMT+2 (in 10 min)');
  });
});

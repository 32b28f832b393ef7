/**
 * With an on-call rota, re-notifying many critical alerts routes them with a few store calls for all of
 * them, not three per alert (issue 19: `contractOf`, `serverAckedAt` and `recordStep` each went to the
 * store for every alert: 149 calls for 41 alerts). Counted on the real services and store worker.
 */
import { expect, it, vi } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { contractStore } from '../helpers/contract-store.js';
import { MIN, T0, cleanedAfterEach, recordStoreCalls, renotifyRig } from '../helpers/renotify-rig.js';

const N = 40;
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const dirs = cleanedAfterEach();

it(`re-notifying ${N} critical alerts of a rota's contract reads their contracts and acks once and writes their steps at once`, async () => {
  const clock = new ManualClock(T0);
  const { tmp, store, reg } = contractStore(clock);
  dirs.push(tmp);
  store.sync.enrol({ serverUrl: 'http://127.0.0.1:1', tenantId: 'tn', deviceId: 'dev-1', role: 'duty_officer', casePrefix: 'K7', userId: 'u-ola', userName: 'Ola' });
  const contractId = store.tickets.get(reg('Line 0 down'))!.contractId!;
  for (let i = 1; i < N; i++) reg(`Line ${i} down`);
  store.oncall.putRota({
    name: 'Desk',
    timezone: 'Europe/Copenhagen',
    members: [
      { userId: 'u-ola', name: 'Ola' },
      { userId: 'u-kari', name: 'Kari' },
    ],
    lead: 'u-kari',
    contractIds: [contractId],
    week: DAYS.map((day) => ({ day, start: '00:00', end: '00:00', person: 'u-ola', backup: 'u-kari' })),
    overrides: [],
    escalation: { ackMinutes: 10, repeat: 1 },
  });
  store.close();

  const { services, notifier, advanceTo } = await renotifyRig(clock, tmp.dir);
  try {
    const { scheduler } = services.context;
    // Past every ticket's 1 h response deadline: N breach alerts (critical), routed to Ola, on duty.
    await advanceTo(T0 + 61 * MIN);
    expect((await scheduler.activeAlerts()).filter((a) => a.kind === 'breach')).toHaveLength(N);
    const before = notifier.sent.length;
    expect(before).toBeGreaterThan(0);

    const calls = recordStoreCalls();
    // Their re-notification: one summary again, each alert routed (Ola on duty, his step 0 recorded once).
    await advanceTo(T0 + 67 * MIN);
    vi.restoreAllMocks();
    expect(notifier.sent.slice(before).map((n) => n.id)).toEqual(['summary']);
    const per = (p: string) => calls.filter((c) => c === p).length;
    expect(per('tickets.get'), calls.join(', ')).toBe(0);
    expect(per('oncall.serverAckedAt')).toBe(0);
    expect(per('oncall.recordStep')).toBe(0);
    expect(per('notifications.ticketsOf')).toBe(1);
    expect(per('oncall.recordSteps')).toBeLessThanOrEqual(1);
    // The summary names 8 tickets, whose facts it reads (text.ts); the rest is a handful for all N alerts.
    expect(per('tickets.slaInputs')).toBeLessThanOrEqual(8);
    expect(calls.filter((c) => c !== 'tickets.slaInputs').length, calls.join(', ')).toBeLessThanOrEqual(5);
    // Ola's step 0 of each alert is in its ticket's timeline once.
    const alerts = await scheduler.activeAlerts();
    for (const a of alerts) expect(await services.context.store.oncall.steps(a.key)).toEqual([expect.objectContaining({ step: 0, person: 'u-ola' })]);
  } finally {
    await services.dispose();
  }
});

/**
 * The report reminder through the alert scheduler, on real SQLite: nothing
 * before the window, a `report_due` alert (stored, popped up) when it opens,
 * resolved once the send is recorded, and the next one when the next window opens.
 */
import { expect, it } from 'vitest';
import { exampleContract, servicesPerTest } from '../helpers/services.js';

const services = servicesPerTest(); // Friday 2026-03-27 15:30 Copenhagen
const { call } = services;

const REPORTS = { schedules: [{ id: 'monthly', name: 'SLA report', every: 'month', window: { fromDay: 5, toDay: 20 }, to: ['telefoni@kunde.dk'] }] };

it('reminds in the window, until the report is recorded as sent; then sleeps until the next window', async () => {
  const { clock, services: s, notifier } = services.t;
  const imp = await services.importContract(exampleContract());
  // The February report was sent; the March one is due from 5 April 00:00 (summer time) to the end of 20 April.
  await call('agreements.setSections', { contractId: imp.contractId, reports: REPORTS });
  await call('agreements.markReportSent', { contractId: imp.contractId, schedule: 'monthly', period: '2026-02', to: ['telefoni@kunde.dk'] });
  expect((await call('alerts.list', {})).active).toEqual([]);
  const item = `report|${imp.contractId}|monthly`;
  expect(s.context.scheduler.nextWakeAt).toBe(Date.UTC(2026, 3, 4, 22));

  clock.set(Date.UTC(2026, 3, 6, 7, 0));
  await s.context.scheduler.replan('clock');
  const active = (await call('alerts.list', {})).active;
  expect(active).toMatchObject([{ ticketId: item, target: 'report', kind: 'report_due', caseNumber: 'SA0009858 2026-03', dueAt: Date.UTC(2026, 3, 20, 22), critical: false }]);
  expect(notifier.sent.at(-1)?.body).toContain('SA0009858 2026-03');
  // Stored (migration 0017 lets a reminder's row name no ticket), so a restart does not show it twice.
  expect(await s.context.store.notifications.loadOpen()).toMatchObject([{ ticketId: item, kind: 'report_due' }]);

  await call('agreements.markReportSent', { contractId: imp.contractId, schedule: 'monthly', period: '2026-03', to: ['telefoni@kunde.dk'] });
  expect((await call('alerts.list', {})).active).toEqual([]);
  expect(s.context.scheduler.nextWakeAt).toBe(Date.UTC(2026, 4, 4, 22));
});

it('an acknowledged reminder stays quiet; a schedule removed resolves its reminder', async () => {
  const { clock, services: s } = services.t;
  const imp = await services.importContract(exampleContract());
  clock.set(Date.UTC(2026, 3, 6, 7, 0));
  await call('agreements.setSections', { contractId: imp.contractId, reports: REPORTS });
  // The March report's window is open (February's, older and unsent, is not brought up again).
  const a = (await call('alerts.list', {})).active[0]!;
  expect(a).toMatchObject({ kind: 'report_due', caseNumber: 'SA0009858 2026-03' });
  expect(await call('alerts.ack', { key: a.key })).toEqual({ acknowledged: true });
  await call('agreements.setSections', { contractId: imp.contractId, reports: null });
  expect((await call('alerts.list', {})).active).toEqual([]);
  expect(await s.context.store.notifications.loadOpen()).toEqual([]);
});

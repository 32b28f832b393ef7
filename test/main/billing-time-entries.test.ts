/** The ticket's time entries and the entries its field visit proposes (issue 15 item 8). */
import { expect, it } from 'vitest';
import { servicesPerTest } from '../helpers/services.js';

const services = servicesPerTest(); // Friday 2026-03-27 15:30 Copenhagen
const { call, fail } = services;
const local = (hhmm: string) => Date.parse(`2026-03-27T${hhmm}:00+01:00`);

it('proposes travel and on-site time from the visit steps; a confirmed part is listed and not proposed or logged twice', async () => {
  const { ticket: tk } = await services.exampleTicket();
  const reason = 'entered afterwards';
  // the case was registered at 15:30; at 17:00 the technician enters the steps with their times
  services.t.clock.set(local('17:00'));
  await call('field.step', { ticketId: tk.id, step: 'travel', at: local('15:31'), reason });
  await call('field.step', { ticketId: tk.id, step: 'arrive', at: local('15:31') + 20 * 60_000, reason });
  expect((await call('billing.case', { ticketId: tk.id })).proposals).toEqual([{ part: 'travel', kind: 'travel', start: local('15:31'), end: local('15:51'), minutes: 20 }]);

  const first = await call('billing.case', { ticketId: tk.id });
  const p = first.proposals[0]!;
  await call('billing.addTimeEntry', { ticketId: tk.id, kind: p.kind, level: 'L2', start: p.start, end: p.end, fromVisit: p.part, author: 'Kim' });
  const after = await call('billing.case', { ticketId: tk.id });
  expect(after.proposals).toEqual([]);
  expect(after.timeEntries).toMatchObject([{ kind: 'travel', level: 'L2', start: local('15:31'), end: local('15:51'), minutes: 20, billable: true, author: 'Kim', fromVisit: 'travel' }]);
  // a second confirmation (another window, a retry) is refused and stores nothing
  const err = await fail('billing.addTimeEntry', { ticketId: tk.id, kind: 'travel', start: p.start, end: p.end, fromVisit: 'travel' });
  expect([err.code, err.path]).toEqual(['conflict', 'fromVisit']);
  expect((await call('billing.case', { ticketId: tk.id })).timeEntries).toHaveLength(1);

  // the work: Start work -> Depart, at the corrected departure time
  await call('field.step', { ticketId: tk.id, step: 'work', at: local('15:55'), reason });
  const depart = await call('field.step', { ticketId: tk.id, step: 'depart', at: local('16:30'), reason, km: 12 });
  await call('field.step', { ticketId: tk.id, step: 'depart', at: local('16:40'), replaces: depart.eventId, reason: 'left later' });
  expect((await call('billing.case', { ticketId: tk.id })).proposals).toEqual([{ part: 'onsite', kind: 'onsite', start: local('15:55'), end: local('16:40'), minutes: 45 }]);
});

/** Every instant field of core's zod contracts accepts only 2000-01-01..2999-12-31 (core/time-range.ts) and says so. */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { deskMethods } from '../../core/api/desk.js';
import { fieldMethods } from '../../core/api/field.js';
import { reportsMethods } from '../../core/api/reports.js';
import { MUTATIONS, RECORD_DATA } from '../../core/sync/mutations.js';
import { formatCaseNumber } from '../../core/ids/case-number.js';
import { END_OF_RANGE_MS, EARLIEST_INSTANT_MS, OUT_OF_RANGE } from '../../core/time-range.js';

const id = '01900000-0000-7000-8000-000000000001';
const IN = Date.UTC(2026, 5, 1);
const MSG = OUT_OF_RANGE;

/** Parses `make(t)` with an in-range, a too-early and a too-late instant; the bad ones must fail at `path` with the range message. */
function bounded(schema: z.ZodType, make: (t: number) => unknown, path: (string | number)[]): void {
  expect(schema.safeParse(make(IN)).success, 'in range').toBe(true);
  expect(schema.safeParse(make(EARLIEST_INSTANT_MS)).success, 'first instant').toBe(true);
  expect(schema.safeParse(make(END_OF_RANGE_MS - 1)).success, 'last instant').toBe(true);
  for (const bad of [0, 1, EARLIEST_INSTANT_MS - 1, END_OF_RANGE_MS, 8.64e15]) {
    const r = schema.safeParse(make(bad));
    expect(r.success, String(bad)).toBe(false);
    const issue = r.error?.issues.find((i) => i.message === MSG);
    expect(issue, JSON.stringify(r.error?.issues)).toBeDefined();
    expect(issue?.path).toEqual(path);
  }
}

describe('sync mutations', () => {
  it('ticket.event@1 event.at', () => bounded(MUTATIONS['ticket.event@1'], (at) => ({ ticketId: id, event: { id, type: 'note', at, data: {} } }), ['event', 'at']));
  it('ticket.create@1/@2 createdAt', () => {
    const create = (createdAt: number) => ({ ticketId: id, caseNumber: formatCaseNumber('K7', 1), customerId: 'c', channel: 'phone', createdAt, createdEventId: id });
    expect(MUTATIONS['ticket.create@1'].safeParse(create(IN)).error?.issues).toBeUndefined();
    bounded(MUTATIONS['ticket.create@1'], create, ['createdAt']);
    bounded(MUTATIONS['ticket.create@2'], create, ['createdAt']);
  });
  it('record.put@1 createdAt, validFrom, validTo', () => {
    bounded(RECORD_DATA.customer, (createdAt) => ({ name: 'A', createdAt }), ['createdAt']);
    const contract = (t: number, field: string) => ({ customerId: 'c', agreementNumber: 'A-1', policySet: { calendars: {}, policies: {} }, createdAt: IN, [field]: t });
    for (const f of ['createdAt', 'validFrom', 'validTo']) bounded(RECORD_DATA.contract, (t) => contract(t, f), [f]);
    bounded(MUTATIONS['record.put@1'], (createdAt) => ({ kind: 'site', id: 's1', data: { customerId: 'c', name: 'S', createdAt } }), ['data', 'createdAt']);
  });
});

describe('IPC requests', () => {
  it('field.step at', () => bounded(fieldMethods['field.step'].request, (at) => ({ ticketId: 't', step: 'arrive', at }), ['at']));
  it('billing.addTimeEntry start/end and billing.addVisit arrivedAt/leftAt', () => {
    bounded(reportsMethods['billing.addTimeEntry'].request, (start) => ({ ticketId: 't', kind: 'remote', start, minutes: 5 }), ['start']);
    bounded(reportsMethods['billing.addTimeEntry'].request, (end) => ({ ticketId: 't', kind: 'remote', end, minutes: 5 }), ['end']);
    bounded(reportsMethods['billing.addVisit'].request, (arrivedAt) => ({ ticketId: 't', arrivedAt }), ['arrivedAt']);
    bounded(reportsMethods['billing.addVisit'].request, (leftAt) => ({ ticketId: 't', arrivedAt: IN, leftAt }), ['leftAt']);
  });
  it('desk.act callback nextCallbackAt', () =>
    bounded(deskMethods['desk.act'].request, (nextCallbackAt) => ({ ticketId: 't', action: { type: 'callback', channel: 'phone', reached: 'Kari', text: 'ok', nextCallbackAt } }), [
      'action',
      'nextCallbackAt',
    ]));
  it('report and calendar months are within the range', () => {
    for (const [schema, make] of [
      [reportsMethods['reports.sla'].request, (month: string) => ({ contractId: 'c', month })],
      [reportsMethods['billing.month'].request, (month: string) => ({ customerId: 'c', month })],
      [deskMethods['desk.calendarMonth'].request, (month: string) => ({ contractId: 'c', calendar: 'office', month })],
    ] as const) {
      expect(schema.safeParse(make('2026-03')).success).toBe(true);
      expect(schema.safeParse(make('2999-12')).success).toBe(true);
      for (const bad of ['1999-12', '3000-01', '9999-01']) {
        const r = schema.safeParse(make(bad));
        expect(r.success, bad).toBe(false);
        expect(r.error?.issues[0]?.message).toMatch(/2000-01 to 2999-12/);
      }
    }
  });
});

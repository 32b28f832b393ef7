/**
 * A customer reference has one limit (issue 16), LIMITS.customerRef (core/sync/limits.ts): the same
 * 101 characters are refused, and 100 accepted, on every path it enters by: the register request's
 * intake, the store's register and update inputs (the ticket's field and the intake's), and the sync
 * mutations the server takes (ticket.create, ticket.edit, ticket.setIntake).
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { registerRequest } from '../../core/api/desk.js';
import { MUTATIONS } from '../../core/sync/mutations.js';
import { LIMITS } from '../../core/sync/limits.js';
import { registerInput, updateInput } from '../../db/repos/ticket-schemas.js';
import { formatCaseNumber } from '../../core/ids/case-number.js';

const uuid = '01900000-0000-7000-8000-000000000001';
const create = { ticketId: uuid, caseNumber: formatCaseNumber('K7', 1), customerId: 'c', channel: 'phone', createdAt: Date.UTC(2026, 5, 1), createdEventId: uuid };
const request = { customerId: 'c', contractId: 'k', policy: 'normal', channel: 'phone', authorisedBy: 'contact' };

const PATHS: [string, z.ZodType, (ref: string) => unknown, string][] = [
  ['desk.register intake', registerRequest, (ref) => ({ ...request, intake: { customer_ref: ref } }), 'intake.customer_ref'],
  ['store register customerRef', registerInput, (ref) => ({ customerId: 'c', channel: 'phone', customerRef: ref }), 'customerRef'],
  ['store register intake', registerInput, (ref) => ({ customerId: 'c', channel: 'phone', intake: { customer_ref: ref } }), 'intake.customer_ref'],
  ['store update customerRef', updateInput, (ref) => ({ customerRef: ref }), 'customerRef'],
  ['store update intake', updateInput, (ref) => ({ intake: { customer_ref: ref } }), 'intake.customer_ref'],
  ['ticket.create@1', MUTATIONS['ticket.create@1'], (ref) => ({ ...create, customerRef: ref }), 'customerRef'],
  ['ticket.create@2 customerRef', MUTATIONS['ticket.create@2'], (ref) => ({ ...create, customerRef: ref }), 'customerRef'],
  ['ticket.create@2 intake', MUTATIONS['ticket.create@2'], (ref) => ({ ...create, intake: { customer_ref: ref } }), 'intake.customer_ref'],
  ['ticket.edit@1', MUTATIONS['ticket.edit@1'], (ref) => ({ ticketId: uuid, field: 'customerRef', value: ref, baseHlc: null }), 'value'],
  ['ticket.setIntake@1', MUTATIONS['ticket.setIntake@1'], (ref) => ({ ticketId: uuid, values: { customer_ref: ref } }), 'values.customer_ref'],
];

describe('a customer reference: one limit on every path', () => {
  it.each(PATHS)('%s: 100 characters pass, 101 are refused at the field', (_name, schema, make, path) => {
    expect(LIMITS.customerRef).toBe(100);
    expect(schema.safeParse(make('R'.repeat(100))).error?.issues).toBeUndefined();
    const r = schema.safeParse(make('R'.repeat(101)));
    const issue = r.error?.issues[0];
    expect(issue?.path.join('.')).toBe(path);
    expect(issue).toMatchObject({ code: 'too_big', maximum: 100 });
  });
  it('other fields keep their own limits (a title of 101 characters on ticket.edit)', () => {
    expect(MUTATIONS['ticket.edit@1'].safeParse({ ticketId: uuid, field: 'title', value: 'T'.repeat(101), baseHlc: null }).success).toBe(true);
  });
});

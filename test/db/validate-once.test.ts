/**
 * Input is validated once, where it enters (issue 16, docs/architecture.md "Where input is
 * validated"): the repos take the parsed, typed input and parse nothing again. Counted on the real
 * store (SQLite, in-process) by spying on every input schema of db/ while each write runs.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { z } from 'zod';
import { instant } from '../../core/api/fields.js';
import { parseInput } from '../../db/context.js';
import { assetInput, contactInput, contractInput, customerInput, policySetSchema, siteInput } from '../../db/repos/customers.js';
import { eventData, queueFilterInput, registerInput, updateInput } from '../../db/repos/tickets.js';
import { scheduleInput } from '../../db/repos/ticket-schemas.js';
import { cleanupTempDirs, POLICY_SET, sampleContract, seeded } from './helpers.js';

afterEach(() => {
  vi.restoreAllMocks();
  cleanupTempDirs();
});

const SCHEMAS: Record<string, z.ZodType> = {
  registerInput,
  updateInput,
  queueFilterInput,
  scheduleInput,
  customerInput,
  contractInput,
  contactInput,
  policySetSchema,
  siteInput,
  assetInput,
  instant,
  ...Object.fromEntries(Object.entries(eventData).map(([k, s]) => [`eventData.${k}`, s])),
};

/** Counts parses of every db input schema from now on, by schema name. */
function countParses(): Map<string, number> {
  const n = new Map<string, number>();
  for (const [name, s] of Object.entries(SCHEMAS)) {
    for (const m of ['parse', 'safeParse'] as const) {
      const real = s[m].bind(s) as (...a: unknown[]) => unknown;
      vi.spyOn(s, m).mockImplementation(((...a: unknown[]) => {
        n.set(name, (n.get(name) ?? 0) + 1);
        return real(...a);
      }) as never);
    }
  }
  return n;
}

describe('validated once, where the input enters', () => {
  it('the ticket writes and reads take the parsed input and parse none of it again', () => {
    const { store, customer, contract, clock } = seeded();
    const parses = countParses();
    const t = store.tickets.register({ customerId: customer.id, contractId: contract.id, channel: 'phone', description: 'Nede', reporterPhone: '12345678', intake: {} });
    store.tickets.appendEvent(t.id, { type: 'note', data: { text: 'Ringet op' } });
    store.tickets.appendEvent(t.id, { type: 'callback', at: clock.now(), data: { reached: 'Søren', channel: 'phone', text: 'Status', countsAsUpdate: true, nextCallbackAt: clock.now() + 60_000 } });
    store.tickets.update(t.id, { title: 'Router nede' }, 'Mette');
    store.tickets.setSchedule(t.id, { nextDueAt: clock.now() + 3_600_000 });
    store.tickets.queueFiltered({ contractId: contract.id });
    store.tickets.callbacksDue(clock.now());
    expect(Object.fromEntries(parses)).toEqual({});
    expect(store.tickets.events(t.id).map((e) => e.type)).toEqual(['created', 'note', 'callback', 'update_logged', 'edited']);
  });

  it('the customer, contract, contact, site and asset writes take the parsed input and parse none of it again', () => {
    const { store, customer, contract } = seeded();
    const parses = countParses();
    const other = store.customers.createCustomer({ name: 'Nordhavn Logistik' });
    store.customers.updateCustomer(other.id, { name: 'Nordhavn Logistik A/S', orgNumber: '12345678', notes: null });
    store.customers.createContract(sampleContract(other.id, { agreementNumber: 'SA2' }));
    const k = store.customers.addContact(contract.id, { name: 'Mette Holm', phone: '+45 22 33 44 55' });
    store.customers.updateContact(k.id, { name: 'Mette Holm', email: 'mette@example.com' });
    store.customers.updatePolicySet(contract.id, POLICY_SET, contract.version);
    const site = store.customers.createSite({ customerId: customer.id, name: 'Kajgade 4' });
    store.customers.createAsset({ customerId: customer.id, siteId: site.id, product: 'Router' });
    expect(Object.fromEntries(parses)).toEqual({});
  });

  it("a caller holding raw input validates it with the repo's schema, once, and is told what and where", () => {
    const { customer } = seeded();
    const parses = countParses();
    expect(() => parseInput(registerInput, { customerId: customer.id, channel: 'fax' }, 'ticket')).toThrow(/^ticket\.channel: /);
    expect(() => parseInput(contractInput, sampleContract(customer.id, { agreementNumber: 'SA 1' }), 'contract')).toThrow(/^contract\.agreementNumber: /);
    expect(Object.fromEntries(parses)).toEqual({ registerInput: 1, contractInput: 1 });
  });
});

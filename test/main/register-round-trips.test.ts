/**
 * desk.register waits for few store-worker round trips one after another (issue 19: its p99): the
 * customer's name for the answer is read with the contract, not after the ticket's alert plan, where
 * it sat in the worker's queue behind the scheduler's wake write. Counted on the real services and
 * store worker, not timed: a round trip is sequential when it starts while no other is awaited.
 */
import { afterEach, expect, it, vi } from 'vitest';
import type { TicketSummary } from '../../core/api/desk.js';
import { StoreClient } from '../../db/client.js';
import { exampleContract, imported, servicesPerTest } from '../helpers/services.js';

const h = servicesPerTest();
afterEach(() => vi.restoreAllMocks());

it("desk.register reads the customer with the contract and answers without waiting for the scheduler's wake write", async () => {
  const { contractId, customerId } = imported(await h.call('desk.importContract', { file: exampleContract() }));
  const c = await h.call('desk.contract', { contractId });
  const contactId = c.contacts.find((k: { name: string }) => k.name === 'Mette Holm')!.id;
  const calls: string[] = [];
  const open = new Set<string>();
  let pending = 0;
  let sequential = 0;
  const call = StoreClient.prototype.call;
  vi.spyOn(StoreClient.prototype, 'call').mockImplementation(function (this: StoreClient, path: string, args?: unknown[]) {
    // the sync service reads its status on its own timers
    if (/^(sync|attachments|oncall)\./.test(path)) return call.call(this, path, args);
    calls.push(path);
    if (pending === 0) sequential++;
    pending++;
    open.add(path);
    return call.call(this, path, args).finally(() => {
      pending--;
      open.delete(path);
    });
  });
  const req = {
    customerId,
    contractId,
    policy: 'high',
    critical: false,
    channel: 'phone' as const,
    authorisedBy: 'contact' as const,
    contactId,
    description: 'Lager-WMS nede',
    intake: { site_address: 'Kajgade 4' },
  };
  const { ticket } = (await h.call('desk.register', req)) as { ticket: TicketSummary };
  const waitedFor = calls.filter((p) => !open.has(p));
  expect(ticket.customerName).toBe(exampleContract().customer.name);
  expect(calls.length, calls.join(', ')).toBeLessThanOrEqual(5);
  expect(sequential, calls.join(', ')).toBeLessThanOrEqual(4);
  // The alert scheduler's wake write goes to the worker after the plan; the answer no longer waits behind it.
  expect(calls).toContain('tickets.setWakeMany');
  expect(waitedFor, `the answer waited for ${waitedFor.join(', ')}`).not.toContain('tickets.setWakeMany');
});

/**
 * desk.whatIf shows what desk.act then does: for every action kind, the
 * targets a what-if previews are the targets the ticket has after the act
 * (both go through core/tickets/actions.ts and the same evaluation).
 */
import { describe, expect, it } from 'vitest';
import type { Result } from '../../core/api/contract.js';
import type { TicketAction } from '../../core/api/desk.js';
import { exampleContract, servicesPerTest } from '../helpers/services.js';

const services = servicesPerTest();
const { call } = services;

/** Each action kind, with the actions that bring a new ticket to where it may take it. */
const cases: Array<{ name: string; before: TicketAction[]; action: TicketAction }> = [
  { name: 'respond', before: [], action: { type: 'respond', text: 'On it' } },
  { name: 'callback', before: [], action: { type: 'callback', channel: 'phone', reached: 'Mette', text: 'Still down', nextCallbackAt: null } },
  { name: 'pause (customer)', before: [], action: { type: 'pause', reason: 'waiting_on_customer' } },
  { name: 'pause (vendor)', before: [{ type: 'respond' }], action: { type: 'pause', reason: 'waiting_on_vendor' } },
  { name: 'resume', before: [{ type: 'pause', reason: 'waiting_on_customer' }], action: { type: 'resume' } },
  { name: 'escalate (level 2)', before: [], action: { type: 'escalate', to: 'level2', reason: 'needs a network engineer' } },
  { name: 'escalate (vendor)', before: [], action: { type: 'escalate', to: 'vendor', vendorRef: 'CISCO-1' } },
  { name: 'note', before: [], action: { type: 'note', text: 'Spoke to the site' } },
  { name: 'priority', before: [], action: { type: 'priority', policy: 'high', reason: 'whole warehouse' } },
  { name: 'priority (down)', before: [{ type: 'respond' }], action: { type: 'priority', policy: 'low' } },
  { name: 'resolve', before: [{ type: 'respond' }], action: { type: 'resolve', text: 'Replaced the PSU' } },
  { name: 'reopen', before: [{ type: 'resolve' }], action: { type: 'reopen' } },
  { name: 'close', before: [{ type: 'resolve' }], action: { type: 'close' } },
  { name: 'assign', before: [], action: { type: 'assign', assignee: 'Ole' } },
];

async function registerTicket(): Promise<string> {
  const { contractId, customerId } = await services.importContract(exampleContract());
  const c = await call('desk.contract', { contractId });
  const contactId = c.contacts.find((k) => k.name === 'Mette Holm')?.id;
  const r = await call('desk.register', {
    customerId,
    contractId,
    policy: 'normal',
    channel: 'phone',
    authorisedBy: 'contact',
    contactId,
    description: 'core switch down',
    intake: { site_address: 'Kajgade 4' },
  });
  return r.ticket.id;
}

describe('desk.whatIf agrees with desk.act', () => {
  it.each(cases)('$name: the what-if is what the act leaves', async ({ before, action }) => {
    const id = await registerTicket();
    for (const a of before) {
      services.t.clock.advance(7 * 60_000);
      await call('desk.act', { ticketId: id, action: a });
    }
    services.t.clock.advance(13 * 60_000);
    const shown = await call('desk.ticket', { id });
    const preview = await call('desk.whatIf', { ticketId: id, action });
    expect(preview.before).toEqual(shown.targets);
    const done = await call('desk.act', { ticketId: id, action });
    expect(preview.after.length).toBeGreaterThan(0);
    expect(preview.after).toEqual(done.targets);
  });
});

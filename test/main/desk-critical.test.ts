/**
 * Issue 15 item 1: the critical flag and the clock agree. A priority change
 * keeps "critical" only onto the contract's critical policy; a ticket stored
 * as critical on another policy (older data, sync) is shown by its policy; a
 * contract's critical policy is checked and may not be removed by an edit.
 */
import { describe, expect, it } from 'vitest';
import { exampleContract, servicesPerTest } from '../helpers/services.js';

const services = servicesPerTest();
const { call, fail } = services;

async function critical() {
  const { contractId, customerId } = await services.importContract(exampleContract());
  const c = await call('desk.contract', { contractId });
  const base = {
    customerId,
    contractId,
    channel: 'phone' as const,
    authorisedBy: 'contact' as const,
    contactId: c.contacts[0]!.id,
    description: 'Lager-WMS nede',
    intake: { site_address: 'Kajgade 4' },
  };
  return { c, base };
}

describe('the critical flag and the SLA', () => {
  it('a critical ticket moved to a normal policy is no longer critical, in the queue too', async () => {
    const { base } = await critical();
    const { ticket } = await call('desk.register', { ...base, policy: 'normal', critical: true });
    expect([ticket.policy, ticket.priority]).toEqual(['critical', 'critical']);
    const moved = await call('desk.act', { ticketId: ticket.id, action: { type: 'priority', policy: 'normal' } });
    expect([moved.policy, moved.priority]).toEqual(['normal', 'normal']);
    const row = (await call('desk.queue', {})).items[0]!;
    expect(row.priority).toBe('normal');
  });

  it('a ticket stored as critical on a normal policy is shown by its policy in the queue', async () => {
    const { base } = await critical();
    const { ticket } = await call('desk.register', { ...base, policy: 'normal' });
    await services.t.services.context.store.tickets.update(ticket.id, { priority: 'critical' });
    const row = (await call('desk.queue', {})).items[0]!;
    expect([row.policy, row.priority]).toEqual(['normal', 'normal']);
  });

  it('a contract file naming no policy as critical is refused at criticalPolicy; an edit may not remove the critical policy', async () => {
    const file = exampleContract();
    file.criticalPolicy = 'urgent';
    expect(await call('desk.checkContractFile', { file })).toEqual({
      issues: [{ path: 'criticalPolicy', message: 'names no policy ("urgent" is not in policies)', key: 'namesNoPolicy', values: { id: 'urgent' } }],
    });
    const { c } = await critical();
    expect(c.criticalPolicy).toBe('critical');
    const { critical: _gone, ...policies } = c.policySet.policies;
    const refused = await fail('desk.updateContract', { contractId: c.id, policySet: { ...c.policySet, policies }, version: c.version });
    expect(refused.message).toContain('critical policy "critical" must stay');
  });
});

/**
 * What the store used to check again is checked where the request enters, at the request's own
 * field (docs/architecture.md "Where input is validated"), through the real dispatcher and store.
 */
import { describe, expect, it } from 'vitest';
import { exampleContract, servicesPerTest } from '../helpers/services.js';

const h = servicesPerTest();
const { call, fail } = h;

async function intakeOf() {
  const { contractId, customerId } = await h.importContract(exampleContract());
  const c = await call('desk.contract', { contractId });
  const mette = c.contacts.find((k) => k.name === 'Mette Holm')!.id;
  return (customerRef: string) => ({
    customerId,
    contractId,
    policy: 'high',
    channel: 'phone' as const,
    authorisedBy: 'contact' as const,
    contactId: mette,
    description: 'Lager-WMS nede',
    intake: { site_address: 'Kajgade 4', customer_ref: customerRef },
  });
}

describe('validated where the request enters', () => {
  it('desk.register refuses a customer reference longer than the ticket keeps, at the intake field, and stores nothing', async () => {
    const intake = await intakeOf();
    const e = await fail('desk.register', intake('R'.repeat(101)));
    expect(e).toMatchObject({ code: 'invalid_request', path: 'intake.customer_ref' });
    expect(e.message).toMatch(/at most 100 characters/);
    expect((await call('desk.queue', {})).items).toEqual([]);
    const { ticket } = await call('desk.register', intake(`  ${'R'.repeat(100)}  `));
    expect((await call('desk.ticket', { id: ticket.id })).customerRef).toBe('R'.repeat(100));
  });
});

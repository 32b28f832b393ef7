/** desk.register is idempotent per intake (issue 15 item 2): the client's intake id makes a repeat answer the first ticket. */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { exampleContract, servicesPerTest } from '../helpers/services.js';

const services = servicesPerTest();
const { call, fail } = services;

async function intake() {
  const file = exampleContract();
  const { contractId, customerId } = await services.importContract(file);
  const c = await call('desk.contract', { contractId });
  const mette = c.contacts.find((k) => k.name === 'Mette Holm')!.id;
  return {
    customerId,
    contractId,
    policy: 'critical',
    critical: true,
    channel: 'phone' as const,
    authorisedBy: 'contact' as const,
    contactId: mette,
    description: 'Lager-WMS nede',
    intake: { site_address: 'Kajgade 4' },
  };
}
const queue = async () => (await call('desk.queue', {})).items as Array<{ id: string }>;

describe('desk.register with an intake id', () => {
  it('answers the ticket the first register made, to a repeat and to concurrent calls, and stores one', async () => {
    const req = { ...(await intake()), intakeId: randomUUID() };
    const [a, b] = await Promise.all([call('desk.register', req), call('desk.register', req)]);
    const c = await call('desk.register', { ...req, title: 'a retry with more typed in' });
    expect(b.ticket.id).toBe(a.ticket.id);
    expect(c.ticket).toMatchObject({ id: a.ticket.id, caseNumber: a.ticket.caseNumber, title: null });
    expect((await queue()).map((t) => t.id)).toEqual([a.ticket.id]);
    const t = await call('desk.ticket', { id: a.ticket.id });
    expect(t.events.filter((e: { type: string }) => e.type === 'created')).toHaveLength(1);
  });

  it('a register refused for a missing field stored nothing: the retry with the same id makes the ticket', async () => {
    const req = { ...(await intake()), intakeId: randomUUID() };
    expect((await fail('desk.register', { ...req, intake: {} })).path).toBe('intake.site_address');
    const { ticket } = await call('desk.register', req);
    expect((await queue()).map((t) => t.id)).toEqual([ticket.id]);
  });

  it('different intakes make different tickets, and so do registers without an id', async () => {
    const base = await intake();
    await call('desk.register', { ...base, intakeId: randomUUID() });
    await call('desk.register', { ...base, intakeId: randomUUID() });
    await call('desk.register', base);
    await call('desk.register', base);
    expect(await queue()).toHaveLength(4);
  });

  it('refuses an intake id that is not a UUID, and one already used for another contract', async () => {
    const req = await intake();
    const bad = await fail('desk.register', { ...req, intakeId: 'click-1' });
    expect(bad).toMatchObject({ code: 'invalid_request', path: 'intakeId' });
    const intakeId = randomUUID();
    const first = await call('desk.register', { ...req, intakeId });
    const other = structuredClone(exampleContract()) as Record<string, any>;
    other.agreementNumber = 'SA0000002';
    const k = await services.importContract(other);
    const c = await call('desk.contract', { contractId: k.contractId });
    const clash = await fail('desk.register', { ...req, customerId: k.customerId, contractId: k.contractId, contactId: c.contacts[0]!.id, intakeId });
    expect(clash.code).toBe('invalid_request');
    expect(clash.message).toContain(first.ticket.caseNumber);
    expect(await queue()).toHaveLength(1);
  });
});

/** The Contracts view's customer/contact forms through the dispatcher: create, edit, remove, support code; paths at the field. */
import { describe, expect, it } from 'vitest';
import { exampleContract, servicesPerTest } from '../helpers/services.js';

const example = exampleContract();

const services = servicesPerTest();
const { fail } = services;
const { call } = services;

describe('customers and contacts', () => {
  it('creates a customer and a contract (basic 24x7 policy), adds a contact who is then recognised by phone', async () => {
    const { customer } = await call('desk.createCustomer', { name: 'Polderweg Zorg B.V.', orgNumber: 'NL 12345678', notes: '' });
    expect(customer).toMatchObject({ name: 'Polderweg Zorg B.V.', orgNumber: 'NL 12345678', notes: null, contracts: [] });
    const c = await call('desk.createContract', { customerId: customer.id, agreementNumber: 'PZ-2026-01', name: 'Beheer' });
    expect(c).toMatchObject({ agreementNumber: 'PZ-2026-01', defaultPolicy: 'normal', contacts: [], hasSupportCode: false });
    expect(c.policySet.calendars['24x7']).toMatchObject({ week: '24x7', timezone: 'Europe/Copenhagen' });
    const { contact } = await call('desk.addContact', { contractId: c.id, name: 'Daan de Vries', phone: '+31 20 123 4567', email: 'daan@polderweg.nl', role: 'ICT' });
    const hit = await call('desk.lookup', { query: '20 123 4567' });
    expect(hit.callers).toEqual([{ contact, contract: expect.objectContaining({ id: c.id, customerName: 'Polderweg Zorg B.V.' }) }]);
    // a second contract copies the first's calendars, policies, intake fields and wording
    const imp = await services.importContract(example);
    const copy = await call('desk.createContract', { customerId: customer.id, agreementNumber: 'PZ-2026-02', copyFrom: imp.contractId });
    const src = await call('desk.contract', { contractId: imp.contractId });
    expect(copy.policySet).toEqual(src.policySet);
    expect(copy.intakeFields).toEqual(src.intakeFields);
    expect(copy.wording).toEqual(src.wording);
    expect(copy.contacts).toEqual([]);
    expect((await fail('desk.createContract', { customerId: customer.id, agreementNumber: 'PZ 3' })).path).toBe('agreementNumber');
    expect((await fail('desk.createContract', { customerId: customer.id, agreementNumber: 'PZ-2026-01' })).code).toBe('conflict');
  });

  it('edits a customer and a contact, removes the contact; bad fields come back with their path', async () => {
    const imp = await services.importContract(example);
    const { customer } = await call('desk.updateCustomer', { customerId: imp.customerId, name: 'Nordhavn Logistik A/S', orgNumber: null, notes: 'Lager i Aarhus' });
    expect(customer).toMatchObject({ name: 'Nordhavn Logistik A/S', orgNumber: null, notes: 'Lager i Aarhus' });
    expect((await fail('desk.updateCustomer', { customerId: imp.customerId, name: '' })).path).toBe('name');
    expect((await fail('desk.updateCustomer', { customerId: 'nope', name: 'X' })).code).toBe('not_found');

    const c = await call('desk.contract', { contractId: imp.contractId });
    expect(c.customerName).toBe('Nordhavn Logistik A/S');
    const k = c.contacts[0]!;
    const { contact } = await call('desk.updateContact', { contactId: k.id, name: k.name, phone: '+45 40 50 60 70', email: null, role: 'Driftschef' });
    expect(contact).toEqual({ id: k.id, name: k.name, phone: '+45 40 50 60 70', email: null, role: 'Driftschef' });
    expect((await call('desk.lookup', { query: '40506070' })).callers.map((x) => x.contact.id)).toEqual([k.id]);
    expect((await fail('desk.updateContact', { contactId: k.id, name: k.name, phone: 'ring' })).path).toBe('phone');
    expect((await fail('desk.addContact', { contractId: c.id, name: 'Y', email: 'no-at-sign' })).path).toBe('email');

    expect(await call('desk.removeContact', { contactId: k.id })).toEqual({ removed: true });
    expect((await call('desk.lookup', { query: '40506070' })).callers).toEqual([]);
    expect((await fail('desk.removeContact', { contactId: k.id })).code).toBe('not_found');
    // every change left an outbox mutation (sync)
    const pending = await services.t.services.context.store.outbox.pending(1000);
    expect(pending.filter((m: { payload: unknown }) => JSON.stringify(m.payload).includes(k.id)).length).toBeGreaterThanOrEqual(3);
  });

  it('sets and clears the support code', async () => {
    const imp = await services.importContract(example);
    expect(await call('desk.setSupportCode', { contractId: imp.contractId, code: 'NY-KODE-9' })).toEqual({ hasSupportCode: true });
    expect(await call('desk.verifySupportCode', { contractId: imp.contractId, code: 'NY-KODE-9' })).toEqual({ valid: true });
    expect((await fail('desk.setSupportCode', { contractId: imp.contractId, code: 'ab' })).path).toBe('code');
    expect(await call('desk.setSupportCode', { contractId: imp.contractId, code: null })).toEqual({ hasSupportCode: false });
    expect((await call('desk.contract', { contractId: imp.contractId })).hasSupportCode).toBe(false);
  });
});

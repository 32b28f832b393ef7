/** Editing customers and contacts in the store: the row, its hlc and the outbox mutation move together. */
import { afterEach, describe, expect, it } from 'vitest';
import { parseInput } from '../../db/context.js';
import { NotFoundError, ValidationError } from '../../db/errors.js';
import { contactInput, customerInput } from '../../db/repos/customers.js';
import { catchErr, cleanupTempDirs, seeded } from './helpers.js';

afterEach(cleanupTempDirs);

/** The newest outbox mutation (the store writes one per change, in its transaction). */
const lastMutation = (store: ReturnType<typeof seeded>['store']) => store.outbox.pending(1000).at(-1)!;
const hlcOf = (store: ReturnType<typeof seeded>['store'], table: string, id: string) => (store.db.prepare(`SELECT hlc FROM ${table} WHERE id = ?`).get(id) as { hlc: string }).hlc;

describe('CustomersRepo edits', () => {
  it('updateCustomer: new values, version + 1, the row hlc is the mutation hlc', () => {
    const { store, customer } = seeded();
    const before = hlcOf(store, 'customers', customer.id);
    const cu = store.customers.updateCustomer(customer.id, { name: 'Fjordkraft AS', orgNumber: 'NO 976 944 801', notes: 'Nattvakt via sentralbord' });
    expect(cu).toMatchObject({ name: 'Fjordkraft AS', orgNumber: 'NO 976 944 801', notes: 'Nattvakt via sentralbord', version: 2 });
    const m = lastMutation(store);
    expect(JSON.stringify(m.payload)).toContain(customer.id);
    expect(JSON.stringify(m.payload)).toContain('"orgNumber":"NO 976 944 801"');
    expect(hlcOf(store, 'customers', customer.id)).toBe(m.hlc);
    expect(m!.hlc > before).toBe(true);
    // null clears
    expect(store.customers.updateCustomer(customer.id, { name: 'Fjordkraft AS', orgNumber: null, notes: null })).toMatchObject({ orgNumber: null, notes: null, version: 3 });
    // a caller at an entry validates with the repo's schema (docs/architecture.md "Where input is validated")
    const e = catchErr(() => parseInput(customerInput, { name: '  ' }, 'customer'));
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).path).toBe('customer.name');
    expect(catchErr(() => store.customers.updateCustomer('nope', { name: 'X' }))).toBeInstanceOf(NotFoundError);
    store.close();
  });

  it('updateContact re-keys the phone lookup; removeContact forgets the caller; both leave an outbox mutation in the same transaction', () => {
    const { store, contract } = seeded();
    const k = store.customers.addContact(contract.id, { name: 'Kari Nordmann', phone: '+47 22 33 44 55', role: 'IT-ansvarlig' });
    expect(store.customers.contactsByPhone('22334455').map((m) => m.contact.id)).toEqual([k.id]);
    const u = store.customers.updateContact(k.id, { name: 'Kari Nordmann', phone: '+47 99 88 77 66', email: 'kari@example.no', role: null });
    expect(u).toEqual({ id: k.id, contractId: contract.id, name: 'Kari Nordmann', phone: '+47 99 88 77 66', email: 'kari@example.no', role: null });
    expect(store.customers.contactsByPhone('22334455')).toEqual([]);
    expect(store.customers.contactsByPhone('99887766').map((m) => m.contact.id)).toEqual([k.id]);
    const mu = lastMutation(store);
    expect(JSON.stringify(mu.payload)).toContain(k.id);
    expect(JSON.stringify(mu.payload)).toContain('"email":"kari@example.no"');
    expect(hlcOf(store, 'contract_contacts', k.id)).toBe(mu.hlc);
    expect((catchErr(() => parseInput(contactInput, { name: 'K', phone: 'ring meg' }, 'contact')) as ValidationError).path).toBe('contact.phone');

    const pending = store.outbox.counts().pending;
    store.customers.removeContact(k.id);
    expect(store.customers.getContact(k.id)).toBeNull();
    expect(store.customers.contactsByPhone('99887766')).toEqual([]);
    expect(store.outbox.counts().pending).toBe(pending + 1);
    const mr = lastMutation(store);
    expect(JSON.stringify(mr.payload)).toContain(k.id);
    expect(mr.name === 'contract.contact.remove' || (mr.payload as { deleted?: boolean }).deleted === true).toBe(true);
    expect(catchErr(() => store.customers.removeContact(k.id))).toBeInstanceOf(NotFoundError);
    expect(store.outbox.counts().pending).toBe(pending + 1);
    store.close();
  });
});

/**
 * A contract's authorised contact has one rule (issue 16), whether it enters by the contact form
 * (`desk.addContact`) or by a contract file (`desk.importContract`): the same phone, e-mail and
 * empty texts are taken or refused alike, through the real dispatcher and store.
 */
import { describe, expect, it } from 'vitest';
import type { Reply, Result } from '../../core/api/contract.js';
import { exampleContract, servicesPerTest } from '../helpers/services.js';

const h = servicesPerTest();

const CASES: { contact: Record<string, string>; ok: boolean }[] = [
  { contact: { name: 'Kari', phone: '', email: '', role: '' }, ok: true },
  { contact: { name: 'Kari', phone: '  ', role: '  ' }, ok: true },
  { contact: { name: 'Kari', phone: '+45 72 12 00 00', email: 'kari@nordhavn.dk' }, ok: true },
  { contact: { name: 'Kari', phone: 'ring meg' }, ok: false },
  { contact: { name: 'Kari', email: 'kari at nordhavn' }, ok: false },
  { contact: { name: '  ' }, ok: false },
];

describe('a contact: one rule in the form and the contract file', () => {
  it.each(CASES)('$contact: taken by both = $ok', async ({ contact, ok }) => {
    const file = exampleContract();
    file.contacts = [contact];
    const imp = (await h.t.services.dispatch('desk.importContract', { file })) as Reply<Result<'desk.importContract'>>;
    const fromFile = imp.ok && imp.result.imported;
    const base = await h.importContract({ ...exampleContract(), agreementNumber: 'SA-FORM-1', contacts: [] });
    const form = (await h.t.services.dispatch('desk.addContact', { contractId: base.contractId, ...contact })) as Reply<Result<'desk.addContact'>>;
    expect({ file: fromFile, form: form.ok }).toEqual({ file: ok, form: ok });
    if (imp.ok && imp.result.imported && form.ok) {
      const stored = (await h.call('desk.contract', { contractId: imp.result.contractId })).contacts[0];
      const { id: _a, ...fromForm } = form.result.contact;
      const { id: _b, ...fromFileStored } = stored!;
      expect(fromFileStored).toEqual(fromForm);
    }
  });
});

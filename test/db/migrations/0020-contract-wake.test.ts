/**
 * Migration 0020: an edit of a contract's calendars or policies makes its open tickets unplanned in the
 * same transaction (a start re-plans them), and only its own; other edits of the contract plan nothing again.
 */
import { afterEach, expect, it } from 'vitest';
import { cleanupTempDirs, explain, POLICY_SET, sampleContract, T0, testStore } from '../helpers.js';

afterEach(cleanupTempDirs);

it("an edit of the contract's policy set makes its tickets unplanned, not the other contract's; a new rate card does not", () => {
  const { store } = testStore();
  const cust = store.customers.createCustomer({ name: 'Hansen A/S' });
  const edited = store.customers.createContract(sampleContract(cust.id, { intakeFields: [] }));
  const other = store.customers.createContract(sampleContract(cust.id, { intakeFields: [], agreementNumber: 'SA0000002' }));
  const reg = (contractId: string) => store.tickets.register({ customerId: cust.id, contractId, channel: 'phone', policy: 'normal' }).id;
  const [a, b, c] = [reg(edited.id), reg(edited.id), reg(other.id)];
  store.tickets.setWakeMany([a, b, c].map((ticketId, i) => ({ ticketId: ticketId as string, wakeAt: i === 1 ? null : T0 + i })));
  expect(store.tickets.unplannedWakes(null, 10)).toEqual([]);

  store.customers.setContractDetails(edited.id, { rateCard: { hourly: 1000, currency: 'DKK' } });
  expect(store.tickets.unplannedWakes(null, 10)).toEqual([]);

  const policies = { ...POLICY_SET.policies, normal: { ...POLICY_SET.policies.normal, description: 'longer' } };
  store.customers.updatePolicySet(edited.id, { ...POLICY_SET, policies } as never);
  expect(store.tickets.unplannedWakes(null, 10)).toEqual([a, b].sort());
  store.close();
});

it("the trigger's update finds the contract's tickets through tickets_contract", () => {
  const { store } = testStore();
  const plan = explain(store.db, `UPDATE tickets SET wake_planned = 0 WHERE contract_id = ? AND wake_planned = 1`, 'x');
  expect(plan.join('\n')).toMatch(/USING INDEX tickets_(queue_)?contract/);
  store.close();
});

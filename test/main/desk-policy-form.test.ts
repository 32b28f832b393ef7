/** The policy form's services: issues at the target's path, the moved count, the wording saved with the policies. */
import { expect, it } from 'vitest';
import { editablePolicySet, servicesPerTest } from '../helpers/services.js';

const services = servicesPerTest(); // Friday 2026-03-27 15:30 Copenhagen
const { call } = services;

it('a target edited in the form: a bad duration has its path, a good one moves the open ticket, the wording is stored', async () => {
  const { contract: c } = await services.exampleTicket();
  const ps = editablePolicySet(c);
  ps.policies.normal!.targets.response!.within = { hours: -2 };
  ps.policies.normal!.targets.update = { first: { businessDays: 1 }, every: { hours: 4 } };
  const bad = await call('desk.checkContractEdit', { contractId: c.id, policySet: ps });
  expect(bad.issues.map((i) => i.path)).toEqual(['policies.normal.targets.response.within.hours', 'policies.normal.targets.update.first.businessDays']);
  ps.policies.normal!.targets.response!.within = { hours: 2 };
  delete ps.policies.normal!.targets.update;
  const good = await call('desk.checkContractEdit', { contractId: c.id, policySet: ps });
  expect(good).toMatchObject({ issues: [], checked: 1, moved: 1 });
  const wording = { ...c.wording, 'normal.response': ' Svar indenfor 2 timer ', 'normal.resolution': '' };
  const saved = await call('desk.updateContract', { contractId: c.id, policySet: ps, version: c.version, wording });
  expect(saved.moved).toBe(1);
  expect(saved.contract.wording['normal.response']).toBe('Svar indenfor 2 timer');
  expect(saved.contract.wording).not.toHaveProperty('normal.resolution');
  expect(saved.contract.version).toBe(c.version + 1); // policies and wording: one change
  expect((await call('desk.contract', { contractId: c.id })).policies.find((p) => p.id === 'normal')!.wording).toBe('Normal SLA: STANDARD SLA');
});

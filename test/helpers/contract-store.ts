/** A store on disk with one customer and contract (POLICY_SET: a 1 h response for `high`), and a way to register its tickets. */
import type { ManualClock } from '../../core/clock.js';
import { openStore } from '../../db/store.js';
import { POLICY_SET, sampleContract } from '../db/helpers.js';
import { tempDir } from './services.js';

export function contractStore(clock: ManualClock) {
  const tmp = tempDir();
  const store = openStore({ dataDir: tmp.dir, clock, supportCodeLogN: 10 });
  const customer = store.customers.createCustomer({ name: 'Fjordkraft A/S' });
  const contract = store.customers.createContract(sampleContract(customer.id, { policySet: POLICY_SET, intakeFields: [] }));
  const reg = (title: string) => store.tickets.register({ customerId: customer.id, contractId: contract.id, policy: 'high', channel: 'phone', title }).id;
  return { tmp, store, reg };
}

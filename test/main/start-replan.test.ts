/**
 * A start re-plans only the tickets whose stored wake-up the clock passed or whose data changed while
 * the app was closed (issue 19): "nothing ahead" is stored apart from "never planned" (migration 0018),
 * so a ticket with nothing ahead is not planned again at every start. Counts planner calls, not time.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { openStore } from '../../db/store.js';
import { createServices } from '../../main/app/services.js';
import { SlaPlanner } from '../../main/alerts/planner.js';
import { MemoryNotifier } from '../../main/notify/notifier.js';
import { POLICY_SET, sampleContract } from '../db/helpers.js';
import { tempDir } from '../helpers/services.js';

const T0 = Date.UTC(2026, 2, 30, 7, 0); // Monday 09:00 in Copenhagen
const dirs: { cleanup(): void }[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  dirs.splice(0).forEach((d) => d.cleanup());
});

/** Starts the app's services on `dir`, lets the start finish, and returns the tickets the planner was asked about. */
async function start(dir: string, clock: ManualClock): Promise<string[]> {
  const plan = vi.spyOn(SlaPlanner.prototype, 'plan');
  const services = await createServices({ clock, notifier: new MemoryNotifier(), dataDir: dir, host: 'browser', timezone: 'Europe/Copenhagen', clockWatch: false });
  await services.context.scheduler.idle();
  const asked = plan.mock.calls.map((c) => c[0]);
  await services.dispose();
  plan.mockRestore();
  return asked.sort();
}

it('a restart plans only the tickets changed while closed or whose wake-up passed, never one with nothing ahead', async () => {
  const tmp = tempDir();
  dirs.push(tmp);
  const clock = new ManualClock(T0);
  const store = openStore({ dataDir: tmp.dir, clock, supportCodeLogN: 10 });
  const customer = store.customers.createCustomer({ name: 'Fjordkraft A/S' });
  const contract = store.customers.createContract(sampleContract(customer.id, { policySet: POLICY_SET, intakeFields: [] }));
  const reg = (title: string) => store.tickets.register({ customerId: customer.id, contractId: contract.id, policy: 'high', channel: 'phone', title }).id;
  const [early, done, later] = [reg('early'), reg('responded'), reg('later')];
  // "responded": its only target (response) is met, so nothing about it changes any more.
  store.tickets.appendEvent(done, { type: 'responded', at: T0 + 60_000, author: 'anna', data: {} });
  clock.advance(20 * 60_000);
  const late = reg('registered later');
  store.close();

  // First start: every ticket is new, each is planned once.
  expect(await start(tmp.dir, clock)).toEqual([early, done, later, late].sort());
  const stored = openStore({ dataDir: tmp.dir, clock, supportCodeLogN: 10 });
  const wake = (id: string) => (stored.db.prepare('SELECT next_wake_at AS at FROM tickets WHERE id = ?').get(id) as { at: number | null }).at;
  expect(wake(done)).toBe(null); // nothing ahead
  expect(wake(early)).toBe(T0 + 45 * 60_000); // the 75 % warning of a 1 h response
  stored.close();

  // Nothing changed, no wake-up passed: nothing is planned.
  expect(await start(tmp.dir, clock)).toEqual([]);

  // While the app is closed: one ticket gets an event, and the clock passes the first wake-up of the others.
  const closed = openStore({ dataDir: tmp.dir, clock, supportCodeLogN: 10 });
  closed.tickets.appendEvent(late, { type: 'note', at: clock.now(), author: 'anna', data: { text: 'called back' } });
  closed.close();
  clock.advance(30 * 60_000); // T0 + 50 min: past the 75 % warning of "early" and "later" (45 min), not of "late" (65 min)
  expect(await start(tmp.dir, clock)).toEqual([early, later, late].sort());
});

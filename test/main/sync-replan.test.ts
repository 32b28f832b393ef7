/**
 * A ticket pulled from another device gets its schedule here (queue order,
 * countdown), and one whose re-planning a crash cut short after the pull
 * committed is caught up at the next start (sync_replan). A pulled ticket whose
 * SLA cannot be computed (issue 14) does not stop the start or the others.
 */
import { afterEach, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import type { SyncTicket } from '../../core/sync/mutations.js';
import { openStore } from '../../db/store.js';
import { createServices } from '../../main/app/services.js';
import { MemoryNotifier } from '../../main/notify/notifier.js';
import { POLICY_SET, sampleContract } from '../db/helpers.js';
import { dispatchOk, tempDir } from '../helpers/services.js';

const T0 = Date.UTC(2026, 2, 30, 7, 0); // Monday 09:00 in Copenhagen
const dirs: { cleanup(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

const pulledId = (n: number) => `019d3e5a-0000-7000-8000-00000000a00${n}`;
/** Ticket `n` as pulled from another device: the ticket and its created event with `policy`. */
function pulled(n: number, customerId: string, contractId: string, policy: string) {
  const id = pulledId(n);
  const hlc = `${T0}-000${n}-remote`;
  const ticket: SyncTicket = {
    id,
    caseNumber: `Q9-000${n}-S`,
    customerId,
    channel: 'phone',
    title: 'Core switch down',
    description: null,
    customerRef: null,
    vendorRef: null,
    reporterName: null,
    reporterPhone: null,
    priority: null,
    assignee: null,
    status: 'open',
    policy,
    createdAt: T0,
    createdBy: 'remote',
    fieldHlc: { status: hlc },
    sla: null,
    nextDueAt: null,
    contractId,
    siteId: null,
    assetId: null,
    intake: {},
    version: 3,
  };
  const event = { id: `019d3e5a-0000-7000-8000-00000000e00${n}`, ticketId: id, type: 'created' as const, at: T0, author: null, data: { policy }, deviceId: 'remote', hlc, version: 3 };
  return [
    { kind: 'ticket' as const, ticket },
    { kind: 'event' as const, event },
  ];
}

/** A device's store with a customer and its contract (policies of test/db/helpers.ts POLICY_SET). */
function storeWithContract() {
  const tmp = tempDir();
  dirs.push(tmp);
  const clock = new ManualClock(T0);
  const store = openStore({ dataDir: tmp.dir, clock, supportCodeLogN: 10 });
  const customer = store.customers.createCustomer({ name: 'Fjordkraft A/S' });
  const contract = store.customers.createContract(sampleContract(customer.id, { policySet: POLICY_SET }));
  return { dir: tmp.dir, clock, store, customer, contract };
}

it('a pulled ticket left unplanned by a crash gets its schedule at the next start', async () => {
  // The device's store as a crash left it: the pull committed (ticket, its contract, the mark), the re-planning did not run.
  const { dir, clock, store, customer, contract } = storeWithContract();
  const id = pulledId(1);
  store.sync.applyPulled({ changes: pulled(1, customer.id, contract.id, 'high'), cursor: '3', hlc: null });
  expect(store.tickets.get(id)).toMatchObject({ contractId: contract.id, nextDueAt: null });
  expect(store.sync.toReplan()).toEqual([id]);
  store.close();

  const services = await createServices({ clock, notifier: new MemoryNotifier(), dataDir: dir, host: 'browser', timezone: 'Europe/Copenhagen', clockWatch: false });
  try {
    const t = await services.context.store.tickets.get(id);
    expect(t?.nextDueAt).toBe(T0 + 3_600_000); // policy "high": response within 1 h, 24x7
    expect(await services.context.store.sync.toReplan()).toEqual([]);
  } finally {
    await services.dispose();
  }
});

it('starts with a pulled ticket whose policy is not in its contract: that ticket says why, raises an alert; the other is scheduled', async () => {
  // a ticket from a device whose contract has a policy "platinum" this one does not have, and a normal one
  const { dir, clock, store, customer, contract } = storeWithContract();
  store.sync.applyPulled({ changes: [...pulled(1, customer.id, contract.id, 'platinum'), ...pulled(2, customer.id, contract.id, 'high')], cursor: '3', hlc: null });
  store.close();

  const services = await createServices({ clock, notifier: new MemoryNotifier(), dataDir: dir, host: 'browser', timezone: 'Europe/Copenhagen', clockWatch: false });
  try {
    const [bad, good] = [pulledId(1), pulledId(2)];
    expect((await services.context.store.tickets.get(good))?.nextDueAt).toBe(T0 + 3_600_000);
    expect(await services.context.store.sync.toReplan()).toEqual([]);
    const items = (await dispatchOk(services, 'desk.queue', {})).items;
    expect(items.find((t) => t.id === bad)?.slaError).toMatch(/platinum/);
    expect(items.find((t) => t.id === good)?.slaError).toBeNull();
    expect((await dispatchOk(services, 'desk.ticket', { id: bad })).slaError).toMatch(/platinum/);
    const alerts = (await dispatchOk(services, 'alerts.list', {})).active;
    expect(alerts).toContainEqual(expect.objectContaining({ ticketId: bad, kind: 'sla_unavailable', critical: true }));
  } finally {
    await services.dispose();
  }
});

/**
 * A ticket pulled from another device gets its schedule here (queue order,
 * countdown), and one whose re-planning a crash cut short after the pull
 * committed is caught up at the next start (sync_replan).
 */
import { afterEach, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import type { SyncTicket } from '../../core/sync/mutations.js';
import { openStore } from '../../db/store.js';
import { createServices } from '../../main/services.js';
import { MemoryNotifier } from '../../main/notify/notifier.js';
import { POLICY_SET, sampleContract } from '../db/helpers.js';
import { tempDir } from '../helpers/services.js';

const T0 = Date.UTC(2026, 2, 30, 7, 0); // Monday 09:00 in Copenhagen
const dirs: { cleanup(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

it('a pulled ticket left unplanned by a crash gets its schedule at the next start', async () => {
  const tmp = tempDir();
  dirs.push(tmp);
  const clock = new ManualClock(T0);
  // The device's store as a crash left it: the pull committed (ticket, its contract, the mark), the re-planning did not run.
  const store = openStore({ dataDir: tmp.dir, clock, supportCodeLogN: 10 });
  const customer = store.customers.createCustomer({ name: 'Fjordkraft A/S' });
  const contract = store.customers.createContract(sampleContract(customer.id, { policySet: POLICY_SET }));
  const id = '019d3e5a-0000-7000-8000-00000000a001';
  const hlc = `${T0}-0000-remote`;
  const ticket: SyncTicket = {
    id, caseNumber: 'Q9-0001-S', customerId: customer.id, channel: 'phone', title: 'Core switch down', description: null, customerRef: null, vendorRef: null,
    reporterName: null, reporterPhone: null, priority: null, assignee: null, status: 'open', policy: 'high', createdAt: T0, createdBy: 'remote',
    fieldHlc: { status: hlc }, sla: null, nextDueAt: null, contractId: contract.id, siteId: null, assetId: null, intake: {}, version: 3,
  };
  const event = { id: '019d3e5a-0000-7000-8000-00000000e001', ticketId: id, type: 'created' as const, at: T0, author: null, data: { policy: 'high' }, deviceId: 'remote', hlc, version: 3 };
  store.sync.applyPulled({ changes: [{ kind: 'ticket', ticket }, { kind: 'event', event }], cursor: '3', hlc: null });
  expect(store.tickets.get(id)).toMatchObject({ contractId: contract.id, nextDueAt: null });
  expect(store.sync.toReplan()).toEqual([id]);
  store.close();

  const services = await createServices({ clock, notifier: new MemoryNotifier(), dataDir: tmp.dir, host: 'browser', timezone: 'Europe/Copenhagen', clockWatch: false });
  try {
    const t = await services.context.store.tickets.get(id);
    expect(t?.nextDueAt).toBe(T0 + 3_600_000); // policy "high": response within 1 h, 24x7
    expect(await services.context.store.sync.toReplan()).toEqual([]);
  } finally {
    await services.dispose();
  }
});

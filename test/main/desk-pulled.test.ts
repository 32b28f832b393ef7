/**
 * A device starts and serves its tickets whatever it pulled (issue 14 item 1):
 * a pulled ticket whose policy its contract does not have is shown as "cannot
 * compute SLA", raises an alert, and the other pulled ticket gets its schedule.
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

it('starts with a pulled ticket whose policy is not in its contract: that ticket says why, raises an alert; the other is scheduled', async () => {
  const tmp = tempDir();
  dirs.push(tmp);
  const clock = new ManualClock(T0);
  const store = openStore({ dataDir: tmp.dir, clock, supportCodeLogN: 10 });
  const customer = store.customers.createCustomer({ name: 'Fjordkraft A/S' });
  const contract = store.customers.createContract(sampleContract(customer.id, { policySet: POLICY_SET }));
  const pulled = (n: number, policy: string) => {
    const id = `019d3e5a-0000-7000-8000-00000000a00${n}`;
    const hlc = `${T0}-000${n}-remote`;
    const ticket: SyncTicket = {
      id, caseNumber: `Q9-000${n}-S`, customerId: customer.id, channel: 'phone', title: `pulled ${n}`, description: null, customerRef: null, vendorRef: null,
      reporterName: null, reporterPhone: null, priority: null, assignee: null, status: 'open', policy, createdAt: T0, createdBy: 'remote',
      fieldHlc: { status: hlc }, sla: null, nextDueAt: null, contractId: contract.id, siteId: null, assetId: null, intake: {}, version: 3,
    };
    const event = { id: `019d3e5a-0000-7000-8000-00000000e00${n}`, ticketId: id, type: 'created' as const, at: T0, author: null, data: { policy }, deviceId: 'remote', hlc, version: 3 };
    return [{ kind: 'ticket' as const, ticket }, { kind: 'event' as const, event }];
  };
  // a ticket from a device whose contract has a policy "platinum" this one does not have, and a normal one
  store.sync.applyPulled({ changes: [...pulled(1, 'platinum'), ...pulled(2, 'high')], cursor: '3', hlc: null });
  store.close();

  const services = await createServices({ clock, notifier: new MemoryNotifier(), dataDir: tmp.dir, host: 'browser', timezone: 'Europe/Copenhagen', clockWatch: false });
  try {
    const call = async (m: string, req: unknown): Promise<any> => {
      const r = await services.dispatch(m, req);
      if (!r.ok) throw new Error(`${m}: ${r.error.message}`);
      return r.result;
    };
    const good = '019d3e5a-0000-7000-8000-00000000a002';
    const bad = '019d3e5a-0000-7000-8000-00000000a001';
    expect((await services.context.store.tickets.get(good))?.nextDueAt).toBe(T0 + 3_600_000);
    expect(await services.context.store.sync.toReplan()).toEqual([]);
    const items = (await call('desk.queue', {})).items as { id: string; slaError: string | null }[];
    expect(items.find((t) => t.id === bad)?.slaError).toMatch(/platinum/);
    expect(items.find((t) => t.id === good)?.slaError).toBeNull();
    expect((await call('desk.ticket', { id: bad })).slaError).toMatch(/platinum/);
    const alerts = (await call('alerts.list', {})).active as { ticketId: string; kind: string; critical: boolean }[];
    expect(alerts).toContainEqual(expect.objectContaining({ ticketId: bad, kind: 'sla_unavailable', critical: true }));
  } finally {
    await services.dispose();
  }
});

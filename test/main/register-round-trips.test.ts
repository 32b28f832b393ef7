/**
 * desk.register waits for few store-worker round trips one after another (issue 19: its p99): the
 * customer's name for the answer is read with the contract, not after the ticket's alert plan, where
 * it sat in the worker's queue behind the scheduler's wake write; and the ticket it creates has no
 * alerts, so the plan reads none (alert-cache.ts `created`), while a retried intake, answering a
 * ticket the scheduler may not hold, reads them. The answer does not wait for the alert plan, which is
 * queued on the scheduler before it. Counted on the real services and store worker, not timed: a round
 * trip the answer waited for is sequential when it starts while no other of them is pending.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, expect, it, vi } from 'vitest';
import type { TicketSummary } from '../../core/api/desk.js';
import { StoreClient } from '../../db/client.js';
import { createServices } from '../../main/app/services.js';
import { MemoryNotifier } from '../../main/notify/notifier.js';
import { dispatchOk, exampleContract, imported, servicesPerTest } from '../helpers/services.js';

const h = servicesPerTest();
afterEach(() => vi.restoreAllMocks());

/** Records the store calls (but the sync service's, on its own timers) until `answered()`. */
function watchCalls() {
  const calls: string[] = [];
  const open = new Set<number>();
  const timeline: Array<{ start: boolean; n: number }> = [];
  const call = StoreClient.prototype.call;
  vi.spyOn(StoreClient.prototype, 'call').mockImplementation(function (this: StoreClient, path: string, args?: unknown[]) {
    if (/^(sync|attachments|oncall)\./.test(path)) return call.call(this, path, args);
    const n = calls.push(path) - 1;
    open.add(n);
    timeline.push({ start: true, n });
    return call.call(this, path, args).finally(() => {
      open.delete(n);
      timeline.push({ start: false, n });
    });
  });
  return {
    calls,
    /** At the answer: the calls it waited for, and how many of them ran one after another. */
    answered() {
      const waited = new Set(calls.map((_, n) => n).filter((n) => !open.has(n)));
      let pending = 0;
      let sequential = 0;
      for (const e of timeline.filter((x) => waited.has(x.n))) {
        if (e.start && pending++ === 0) sequential++;
        if (!e.start) pending--;
      }
      return { waitedFor: [...waited].map((n) => calls[n]!), sequential };
    },
  };
}

async function request(t = h.t.services) {
  const { contractId, customerId } = imported(await dispatchOk(t, 'desk.importContract', { file: exampleContract() }));
  const c = await dispatchOk(t, 'desk.contract', { contractId });
  const contactId = c.contacts.find((k: { name: string }) => k.name === 'Mette Holm')!.id;
  return {
    customerId,
    contractId,
    policy: 'high',
    critical: false,
    channel: 'phone' as const,
    authorisedBy: 'contact' as const,
    contactId,
    description: 'Lager-WMS nede',
    intake: { site_address: 'Kajgade 4' },
  };
}

it("desk.register answers after 2 round trips in a row: no alert read for the ticket it created, nor the scheduler's wake write", async () => {
  const req = await request();
  const w = watchCalls();
  const { ticket } = (await h.call('desk.register', req)) as { ticket: TicketSummary };
  const { waitedFor, sequential } = w.answered();
  expect(ticket.customerName).toBe(exampleContract().customer.name);
  expect(w.calls, w.calls.join(', ')).not.toContain('notifications.openOf');
  expect(w.calls.length, w.calls.join(', ')).toBeLessThanOrEqual(4);
  expect(sequential, waitedFor.join(', ')).toBeLessThanOrEqual(2);
  // The answer does not wait for the alert plan, nor for its wake write, which follows it.
  expect(waitedFor, `the answer waited for ${waitedFor.join(', ')}`).not.toContain('tickets.setWakeMany');
  // The plan was queued before the answer: the scheduler's queue, waited for now, holds it.
  await h.t.services.context.scheduler.idle();
  expect(w.calls).toContain('tickets.setWakeMany');
  expect(await h.t.services.context.store.tickets.unplannedWakes(null, 10)).toEqual([]);
});

it('a registration is answered while the scheduler is busy: its plan waits in the queue, the answer does not', async () => {
  const req = await request();
  const ctx = h.t.services.context;
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const call = StoreClient.prototype.call;
  vi.spyOn(StoreClient.prototype, 'call').mockImplementation(function (this: StoreClient, path: string, args?: unknown[]) {
    return path === 'notifications.openOf' ? held.then(() => call.call(this, path, args)) : call.call(this, path, args);
  });
  // A scheduler step reading a ticket's alerts, its reply held: the scheduler is busy until it is released.
  const busy = ctx.scheduler.recheck(['a-ticket-with-alerts']);
  const { ticket } = (await h.call('desk.register', req)) as { ticket: TicketSummary };
  expect(await ctx.store.tickets.unplannedWakes(null, 10)).toEqual([ticket.id]);
  release();
  await busy;
  await ctx.scheduler.idle();
  expect(await ctx.store.tickets.unplannedWakes(null, 10)).toEqual([]);
});

it("a ticket registered and changed at once is planned in that order: the plan left is the change's", async () => {
  const ctx = h.t.services.context;
  const { ticket } = (await h.call('desk.register', await request())) as { ticket: TicketSummary };
  const registered = await ctx.planner.plan(ticket.id, h.t.clock.now(), ctx.scheduler.settings());
  await h.call('desk.act', { ticketId: ticket.id, action: { type: 'resolve' } });
  await ctx.scheduler.idle();
  const resolved = await ctx.planner.plan(ticket.id, h.t.clock.now(), ctx.scheduler.settings());
  expect(resolved.nextAt).not.toBe(registered.nextAt);
  expect(ctx.scheduler.nextWakeAt).toBe(resolved.nextAt);
});

it('a retried intake answering a ticket this run of the scheduler does not hold reads its alerts, and acknowledges them', async () => {
  const req = { ...(await request()), critical: true, policy: 'critical', intakeId: randomUUID() };
  const first = (await h.call('desk.register', req)) as { ticket: TicketSummary };
  // The critical ticket's response comes due: its alert is raised and stored.
  h.t.clock.advance(3 * 60 * 60_000);
  await h.t.services.context.scheduler.replan('clock');
  await h.t.services.context.scheduler.idle();
  const raised = (await h.t.services.context.scheduler.activeAlerts()).filter((a) => a.ticketId === first.ticket.id);
  expect(raised.length).toBeGreaterThan(0);
  // A restart on the same store (its scheduler holds no ticket's alerts), then the intake retried.
  await h.t.services.dispose();
  const again = await createServices({ clock: h.t.clock, notifier: new MemoryNotifier(), dataDir: h.t.dataDir, host: 'browser', timezone: 'Europe/Copenhagen', clockWatch: false });
  try {
    await again.context.scheduler.idle();
    const w = watchCalls();
    const retry = await dispatchOk(again, 'desk.register', req);
    expect(retry.ticket.id).toBe(first.ticket.id);
    expect(w.calls).toContain('notifications.openOf');
    await again.context.scheduler.idle();
    expect(await again.context.scheduler.acknowledgeMany(raised.map((a) => a.key))).toBe(raised.length);
  } finally {
    await again.dispose();
  }
});

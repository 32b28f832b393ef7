/**
 * The Alerts panel at a desk's scale (issue 19): `alerts.list` answers a page with the total, and it and
 * "acknowledge all of this customer" cost a bounded number of store calls, not one or two per ticket.
 * Real services on real SQLite, the scheduler's own alerts.
 */
import { describe, expect, it } from 'vitest';
import { customerWithTickets as withTickets } from '../helpers/desk-records.js';
import { servicesPerTest } from '../helpers/services.js';

const services = servicesPerTest();
const { call, fail } = services;

const TICKETS_PER_CUSTOMER = 300;

const customerWithTickets = (name: string, agreementNumber: string) =>
  withTickets(
    call,
    name,
    agreementNumber,
    Array.from({ length: TICKETS_PER_CUSTOMER }, (_, i) => `Link ${i} down`),
  );

/** Counts the store worker's round trips made while `fn` runs. */
async function storeCalls<T>(fn: () => Promise<T>): Promise<{ result: T; paths: string[] }> {
  const store = services.t.services.context.store;
  const paths: string[] = [];
  const original = store.call;
  store.call = (path: string, args?: unknown[]) => {
    paths.push(path);
    return original.call(store, path, args);
  };
  try {
    return { result: await fn(), paths };
  } finally {
    store.call = original;
  }
}

describe('alerts: the panel at scale', () => {
  it('lists a page with the total in a bounded number of store calls, and acknowledges one customer’s alerts with one query', async () => {
    const a = await customerWithTickets('Hansen Transport A/S', 'HT-2026-01');
    const b = await customerWithTickets('Polderweg Zorg B.V.', 'PZ-2026-01');
    const { services: s, clock } = services.t;
    // Two days on, every ticket has its warnings and breaches: the scheduler's own alerts.
    clock.set(clock.now() + 2 * 24 * 3600_000);
    await s.context.scheduler.replan('clock');
    const stored = await s.context.store.notifications.active();
    const all = stored.length;
    expect(all).toBeGreaterThanOrEqual(2 * TICKETS_PER_CUSTOMER);

    const { result: first, paths } = await storeCalls(() => call('alerts.list', {}));
    expect(first.active).toHaveLength(200);
    expect(first.total).toBe(all);
    expect(first.critical).toBe(stored.filter((x) => x.critical).length);
    // One call for the page, its customers and the counts (it made one or two per ticket before).
    expect(paths.length).toBeLessThanOrEqual(2);
    const dues = first.active.map((x) => x.dueAt);
    expect(dues).toEqual([...dues].sort((x, y) => x - y));
    expect(first.active.every((x) => x.customerName === (x.customerId === a.customer.id ? 'Hansen Transport A/S' : 'Polderweg Zorg B.V.'))).toBe(true);

    const next = await call('alerts.list', { offset: 200, limit: 1000 });
    expect(next.active).toHaveLength(all - 200);
    expect(next.active[0]!.dueAt).toBeGreaterThanOrEqual(dues.at(-1)!);
    expect(new Set([...first.active, ...next.active].map((x) => x.key)).size).toBe(all);
    expect((await call('alerts.list', { offset: all - 50, limit: 1000 })).active).toHaveLength(50);

    expect((await fail('alerts.list', { limit: 1001 })).path).toBe('limit');
    expect((await fail('alerts.list', { limit: 0 })).path).toBe('limit');
    expect((await fail('alerts.list', { offset: -1 })).path).toBe('offset');

    const ofA = stored.filter((x) => a.tickets.some((t) => t.id === x.ticketId)).length;
    const { result: acked, paths: ackPaths } = await storeCalls(() => call('alerts.ackAll', { customerId: a.customer.id }));
    expect(acked).toEqual({ acknowledged: ofA });
    expect(ackPaths.length).toBeLessThanOrEqual(5);
    const rest = await call('alerts.list', { limit: 1000 });
    expect(rest.total).toBe(all - ofA);
    expect(rest.active.every((x) => x.customerId === b.customer.id)).toBe(true);
  }, 120_000);
});

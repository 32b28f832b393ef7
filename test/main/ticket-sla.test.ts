/**
 * The ticket-SLA service (issue 16 item 2, issue 19 items 2 and 3), counted through the real
 * services, store worker and engine: worker round trips (every StoreClient call) and engine runs
 * (every `evaluateTicket`), not time.
 */
import { describe, expect, it, vi } from 'vitest';
import type { TicketSummary } from '../../core/api/desk.js';
import type * as Sla from '../../core/sla/index.js';
import { exampleContract, servicesPerTest, imported } from '../helpers/services.js';

const engine = vi.hoisted(() => ({ runs: 0 }));
vi.mock('../../core/sla/index.js', async (importOriginal) => {
  const m = await importOriginal<typeof Sla>();
  return {
    ...m,
    evaluateTicket: (...a: Parameters<typeof m.evaluateTicket>) => {
      engine.runs++;
      return m.evaluateTicket(...a);
    },
  };
});

const h = servicesPerTest();
const { call } = h;

/**
 * Records the path of every worker round trip from now on, but those of the sync service, which reads
 * its status (sync.*, attachments.counts, oncall.me) on its own timers while a test runs.
 */
function countRoundTrips(): string[] {
  const store = h.t.services.context.store;
  const paths: string[] = [];
  const real = store.call.bind(store);
  store.call = (path: string, args?: unknown[]) => {
    if (!/^(sync|attachments|oncall)\./.test(path)) paths.push(path);
    return real(path, args);
  };
  return paths;
}

async function intake(by: 'contact' | 'code' = 'contact') {
  const { contractId, customerId } = imported(await call('desk.importContract', { file: exampleContract() }));
  const c = await call('desk.contract', { contractId });
  const mette = c.contacts.find((k: { name: string }) => k.name === 'Mette Holm')!.id;
  const who = by === 'contact' ? { authorisedBy: 'contact' as const, contactId: mette } : { authorisedBy: 'support_code' as const, supportCode: 'Fyrtaarn-2231' };
  return { customerId, contractId, policy: 'high', critical: false, channel: 'phone' as const, ...who, description: 'Lager-WMS nede', intake: { site_address: 'Kajgade 4' } };
}

describe('one ticket-SLA service', () => {
  it('desk.register makes at most 5 worker round trips, runs the engine once and stores the schedule with the ticket', async () => {
    const req = await intake();
    const trips = countRoundTrips();
    engine.runs = 0;
    const { ticket } = (await call('desk.register', req)) as { ticket: TicketSummary };
    expect(engine.runs).toBe(1);
    expect(trips.length, trips.join(', ')).toBeLessThanOrEqual(5);
    // the schedule and the SLA summary were written by the registration itself
    expect(trips).not.toContain('tickets.setSchedule');
    const stored = await h.t.services.context.store.tickets.get(ticket.id);
    const resolution = ticket.targets.find((x) => x.metric === 'resolution');
    expect(resolution?.dueAt).toEqual(expect.any(Number));
    expect(stored?.nextDueAt).toBe(ticket.nextDueAt);
    expect(stored?.sla && 'targets' in stored.sla ? stored.sla.targets.map((x) => [x.metric, x.dueAt]) : null).toEqual(ticket.targets.map((x) => [x.metric, x.dueAt]));
  });

  it('desk.act reads the ticket once, writes once, evaluates the change once and the page once; the scheduler takes the plan', async () => {
    const { ticket } = await call('desk.register', await intake());
    const trips = countRoundTrips();
    engine.runs = 0;
    const d = await call('desk.act', { ticketId: ticket.id, action: { type: 'pause', reason: 'waiting_on_customer' } });
    expect(d.status).toBe('waiting_on_customer');
    expect(trips.filter((p) => p === 'tickets.slaInputs')).toHaveLength(2); // the change, then the page as it left it
    expect(trips.filter((p) => p === 'batch')).toHaveLength(1);
    expect(trips.filter((p) => !['tickets.slaInputs', 'batch', 'tickets.setWakeMany', 'customers.getCustomer'].includes(p))).toEqual([]);
    expect(engine.runs).toBe(2);
    const stored = await h.t.services.context.store.tickets.get(ticket.id);
    expect(stored?.sla && 'targets' in stored.sla ? stored.sla.targets.find((x) => x.metric === 'resolution')?.state : null).toBe('paused');
  });

  it('planning after one change reads the ticket, its events and its contract in one round trip', async () => {
    const { ticket } = await call('desk.register', await intake());
    const trips = countRoundTrips();
    engine.runs = 0;
    await h.t.services.context.scheduler.ticketChanged(ticket.id);
    expect(trips.filter((p) => p !== 'tickets.setWakeMany')).toEqual(['tickets.slaInputs']);
    expect(engine.runs).toBe(1);
  });

  it('desk.queue builds its rows from the stored summaries: no engine, and a row breaches when the clock passes its due time with no change', async () => {
    const req = await intake();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(((await call('desk.register', { ...req, title: `sak ${i}` })) as { ticket: TicketSummary }).ticket.id);
    // The registrations' alert plans (queued, not waited for by their answers) are not the queue's round trips.
    await h.t.services.context.scheduler.idle();
    const trips = countRoundTrips();
    engine.runs = 0;
    const page = (await call('desk.queue', { limit: 200 })).items as TicketSummary[];
    expect(page.map((t) => t.id).sort()).toEqual([...ids].sort());
    expect(engine.runs).toBe(0);
    expect(trips.length, trips.join(', ')).toBeLessThanOrEqual(2);
    const response = page[0]?.targets.find((x) => x.metric === 'response');
    expect(response).toMatchObject({ state: 'running', breached: false });

    // nothing changes, the clock passes the response deadline: the row reads breached
    h.t.clock.set((response?.dueAt as number) + 60_000);
    const later = (await call('desk.queue', { limit: 200 })).items as TicketSummary[];
    expect(engine.runs).toBe(0);
    expect(later.find((t) => t.id === page[0]?.id)?.targets.find((x) => x.metric === 'response')).toMatchObject({ state: 'running', breached: true });
    // the ticket opened is evaluated, once, and agrees
    const detail = await call('desk.ticket', { id: page[0]!.id });
    expect(engine.runs).toBe(1);
    expect(detail.targets.find((x: { metric: string }) => x.metric === 'response')).toMatchObject({ breached: true });
  });
});

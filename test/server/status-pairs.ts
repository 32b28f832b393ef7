/**
 * Every pair of status transitions from two devices, in both arrival orders (issue 17 item 2): both
 * devices have seen the ticket at a start status; A changes it to s1, B (not having seen A's change)
 * to s2; one reaches the server first. After both have synced: every copy agrees, the first to arrive
 * applied, a stale change never undid a resolve or close (nor a resolve or close overrode a status it
 * had not seen, silently), and a refused change left no trace on its device or anywhere else.
 * A and B are model actors (test/server/model.ts): in-memory devices or real SQLite ones.
 */
import { expect } from 'vitest';
import { isClosedStatus, TICKET_STATUSES } from '../../core/domain/ticket-status.js';
import type { TicketStatus } from '../../core/domain/ticket-status.js';
import { makeDevice, syncOnce } from './helpers.js';
import { copyOf } from './model-checks.js';
import type { ModelActor, SentMutation } from './model-checks.js';
import type { ModelWorld } from './model.js';

/**
 * The expected outcome of the second change to arrive (the spec, docs/sync.md "Merging"). It is stale
 * when the first changed the status (its device had not seen that); `secondLater`: its HLC is later.
 */
function expected(start: TicketStatus, first: TicketStatus, second: TicketStatus, secondLater: boolean): { second: 'applied' | 'rejected'; final: TicketStatus } {
  const stale = first !== start;
  if (stale && second !== first && (isClosedStatus(first) || isClosedStatus(second))) return { second: 'rejected', final: first };
  return { second: 'applied', final: secondLater ? second : first }; // last writer wins by HLC
}

/** The device's last status change of the ticket, as it sent it. */
function lastStatusChange(a: ModelActor, ticketId: string): SentMutation {
  const m = a
    .sent()
    .filter((x) => {
      const p = x.payload as { ticketId?: string; event?: { type: string } };
      return x.name === 'ticket.event' && p.ticketId === ticketId && p.event?.type === 'status';
    })
    .at(-1);
  if (!m) throw new Error(`device ${a.deviceId} sent no status change of ${ticketId}`);
  return m;
}

/** `a` and `b`: two duty officers' devices of the world's tenant, its network without faults. */
export async function runStatusPairs(w: ModelWorld, [a, b]: [ModelActor, ModelActor]): Promise<{ scenarios: number; refused: number }> {
  const clock = w.clock;
  const observer = await makeDevice(w.app, w.adminToken, { clock });
  let scenarios = 0;
  let refused = 0;
  for (const start of TICKET_STATUSES) {
    for (const s1 of TICKET_STATUSES) {
      for (const s2 of TICKET_STATUSES) {
        for (const aFirst of [true, false]) {
          const what = `${start}: A -> ${s1}, B -> ${s2}, ${aFirst ? 'A' : 'B'} first`;
          clock.advance(60_000);
          const x = a.createTicket(what);
          if (start !== 'open') a.setStatus(x, start);
          await a.sync();
          await b.sync();
          clock.advance(1_000);
          a.setStatus(x, s1);
          clock.advance(1_000);
          b.setStatus(x, s2);
          const [first, second] = aFirst ? [a, b] : [b, a];
          await first.sync();
          await second.sync();
          for (const d of [first, second]) await d.sync();
          await syncOnce(observer);
          const mFirst = lastStatusChange(first, x);
          const mSecond = lastStatusChange(second, x);
          const want = expected(start, aFirst ? s1 : s2, aFirst ? s2 : s1, aFirst); // B changed it after A: B's HLC is later
          expect(mFirst.status, `${what}: the first to arrive applies`).toBe('applied');
          expect(mSecond.status, `${what}: the second`).toBe(want.second);
          if (want.second === 'rejected') {
            refused++;
            expect(mSecond.reason, what).toBe('ticket_closed');
          }
          const server = observer.store.tickets.get(x)!;
          expect(server.status, `${what}: the status that holds`).toBe(want.final);
          for (const d of [a, b]) {
            expect(await d.pending(), what).toBe(0);
            expect(d.whole ? d.ticket(x) : copyOf(d.ticket(x)), `${what}: every copy agrees`).toEqual(d.whole ? server : copyOf(server));
          }
          // A refused change left no trace: its event is on no copy.
          const refusedEvent = mSecond.status === 'rejected' ? (mSecond.payload as { event: { id: string } }).event.id : null;
          if (refusedEvent) for (const has of [a.hasEvent, b.hasEvent, (id: string) => observer.store.events.has(id)]) expect(has(refusedEvent), what).toBe(false);
          scenarios++;
        }
      }
    }
  }
  return { scenarios, refused };
}

/**
 * Every pair of status transitions from two devices, in both arrival orders (issue 17 item 2): both
 * devices have seen the ticket at a start status; A changes it to s1, B (not having seen A's change)
 * to s2; one reaches the server first. After both have synced: every copy agrees, the first to arrive
 * applied, a stale change never undid a resolve or close (nor a resolve or close overrode a status it
 * had not seen, silently), and a refused change left no trace on its device or anywhere else.
 */
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../server/db.js';
import { isClosedStatus, TICKET_STATUSES } from '../../core/domain/ticket-status.js';
import type { TicketStatus } from '../../core/domain/ticket-status.js';
import { makeDevice, newTenant, syncOnce } from './helpers.js';
import type { TestDevice } from './helpers.js';
import { modelClock } from './model.js';

/**
 * The expected outcome of the second change to arrive (the spec, docs/sync.md "Merging"). It is stale
 * when the first changed the status (its device had not seen that); `secondLater`: its HLC is later.
 */
function expected(start: TicketStatus, first: TicketStatus, second: TicketStatus, secondLater: boolean): { second: 'applied' | 'rejected'; final: TicketStatus } {
  const stale = first !== start;
  if (stale && second !== first && (isClosedStatus(first) || isClosedStatus(second))) return { second: 'rejected', final: first };
  return { second: 'applied', final: secondLater ? second : first }; // last writer wins by HLC
}

export async function runStatusPairs(app: FastifyInstance, db: Db): Promise<{ scenarios: number; refused: number }> {
  const clock = modelClock;
  const { adminToken } = await newTenant(db);
  const a = await makeDevice(app, adminToken, { clock });
  const b = await makeDevice(app, adminToken, { clock });
  const observer = await makeDevice(app, adminToken, { clock });
  let scenarios = 0;
  let refused = 0;
  for (const start of TICKET_STATUSES) {
    for (const s1 of TICKET_STATUSES) {
      for (const s2 of TICKET_STATUSES) {
        for (const aFirst of [true, false]) {
          const what = `${start}: A -> ${s1}, B -> ${s2}, ${aFirst ? 'A' : 'B'} first`;
          clock.advance(60_000);
          const x = a.store.createTicket({ description: what }).ticketId;
          if (start !== 'open') a.store.setStatus(x, start);
          await syncOnce(a);
          await syncOnce(b);
          clock.advance(1_000);
          const m1 = a.store.setStatus(x, s1);
          clock.advance(1_000);
          const m2 = b.store.setStatus(x, s2);
          const [first, second] = aFirst ? [a, b] : [b, a];
          const [mFirst, mSecond] = aFirst ? [m1, m2] : [m2, m1];
          await syncOnce(first);
          await syncOnce(second);
          for (const d of [first, second, observer] as TestDevice[]) await syncOnce(d);
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
            expect((await d.store.counts()).pending, what).toBe(0);
            expect(d.store.view(x), `${what}: every copy agrees`).toEqual(server);
          }
          // A refused change left no trace: its event is on no copy.
          const refusedEvent = mSecond.status === 'rejected' ? (mSecond.payload as { event: { id: string } }).event.id : null;
          for (const d of [a, b, observer]) expect(refusedEvent && d.store.events.has(refusedEvent), what).toBeFalsy();
          scenarios++;
        }
      }
    }
  }
  return { scenarios, refused };
}

/**
 * The queue's search (`desk.queue {filter.q}`, issue 15 item 4): a case number
 * (whole or in part, "0003"), a customer (name prefix) or agreement number
 * (their open tickets), and the full-text index (titles, descriptions,
 * reporters, customer references, notes, callbacks; db/search.ts).
 */
import { isOpenStatus } from '../../../core/domain/index.js';
import type { Ticket } from '../../../db/repos/tickets.js';
import type { AppContext } from '../../app/context.js';

const isOpen = (t: Ticket) => isOpenStatus(t.status);

/** Tickets matching `q`, at most `limit`: case numbers first, then customers' and agreements' open tickets, then text hits. */
export async function searchTickets(store: AppContext['store'], q: string, limit: number): Promise<Ticket[]> {
  const found = new Map<string, Ticket>();
  const add = (ts: Ticket[]) => {
    for (const t of ts) if (found.size < limit && !found.has(t.id)) found.set(t.id, t);
  };
  if (/^[A-Za-z0-9]{2,6}[- ]?[A-Za-z0-9-]{3,}$/.test(q) && /\d/.test(q)) {
    const t = await store.tickets.byCaseNumber(q).catch(() => null);
    if (t) add([t]);
  }
  if (/\d/.test(q)) add(await store.tickets.byCaseNumberPart(q, limit));
  const contracts = new Map<string, true>();
  const byNumber = await store.customers.contractByAgreementNumber(q);
  if (byNumber) contracts.set(byNumber.id, true);
  for (const cu of await store.customers.findCustomers(q, 20)) for (const c of await store.customers.contractsOf(cu.id)) contracts.set(c.id, true);
  for (const contractId of contracts.keys()) {
    if (found.size >= limit) break;
    add((await store.tickets.queueFiltered({ contractId, priority: null, status: null, assignee: null }, { limit, after: null })).items.filter(isOpen));
  }
  add((await store.tickets.search(q, limit)).map((h) => h.ticket));
  return [...found.values()];
}

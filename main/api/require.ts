/** The records a request names, or `not_found` at the request's field. */
import type { StoreClient } from '../../db/client.js';
import type { Contract } from '../../db/repos/customers.js';
import type { Ticket, TicketEvent } from '../../db/repos/tickets.js';
import { ApiFailure } from './dispatch.js';

export async function requireContract(store: StoreClient, contractId: string, path = 'contractId'): Promise<Contract> {
  const c = await store.customers.getContract(contractId);
  if (!c) throw new ApiFailure('not_found', `contract ${contractId} does not exist`, path);
  return c;
}

export async function requireTicket(store: StoreClient, id: string, path = 'id'): Promise<Ticket> {
  const t = await store.tickets.get(id);
  if (!t) throw new ApiFailure('not_found', `ticket ${id} does not exist`, path);
  return t;
}

/** The ticket with its events and contract (one store call, `tickets.slaInputs`), or `not_found` at the request's field. */
export async function requireTicketWithSla(store: StoreClient, id: string, path = 'id'): Promise<{ ticket: Ticket; events: TicketEvent[]; contract: Contract | null }> {
  const x = await store.tickets.slaInputs(id);
  if (!x) throw new ApiFailure('not_found', `ticket ${id} does not exist`, path);
  return x;
}

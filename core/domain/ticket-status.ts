/**
 * The ticket's statuses, once (SLA clock spec §5). Free of zod so the
 * renderer, SQL builders and the engine share the same values.
 */
export const TICKET_STATUSES = ['open', 'waiting_on_customer', 'waiting_on_vendor', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Statuses in which the ticket is still being worked on (the queue, alerts, callbacks). */
export const OPEN_TICKET_STATUSES = ['open', 'waiting_on_customer', 'waiting_on_vendor'] as const satisfies readonly TicketStatus[];
export type OpenTicketStatus = (typeof OPEN_TICKET_STATUSES)[number];

/** Statuses in which the work is done. */
export const CLOSED_TICKET_STATUSES = ['resolved', 'closed'] as const satisfies readonly TicketStatus[];

export function isTicketStatus(s: unknown): s is TicketStatus {
  return (TICKET_STATUSES as readonly unknown[]).includes(s);
}

/** Statuses in which a ticket is paused while someone else acts (a policy's pauseWhen, the pause action). */
export const WAITING_TICKET_STATUSES = ['waiting_on_customer', 'waiting_on_vendor'] as const satisfies readonly OpenTicketStatus[];

/** Waiting on the customer or a vendor. */
export function isWaitingStatus(s: unknown): s is (typeof WAITING_TICKET_STATUSES)[number] {
  return (WAITING_TICKET_STATUSES as readonly unknown[]).includes(s);
}

/** Resolved or closed: the clocks have stopped. */
export function isClosedStatus(s: unknown): s is (typeof CLOSED_TICKET_STATUSES)[number] {
  return (CLOSED_TICKET_STATUSES as readonly unknown[]).includes(s);
}

export function isOpenStatus(s: unknown): s is OpenTicketStatus {
  return (OPEN_TICKET_STATUSES as readonly unknown[]).includes(s);
}

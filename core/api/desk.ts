/**
 * Contract methods for the duty officer desk (intake, queue, ticket page,
 * callbacks, contracts). Grows with issue 5.
 */
import { z } from 'zod';

export const deskMethods = {} as const;

export const deskEvents = {
  /** Tickets changed (registered, an event appended, synced in): the queue refreshes. */
  'tickets.changed': z.object({ ticketIds: z.array(z.string()) }),
} as const;

/**
 * 0018: each ticket's SLA summary as of its last change (issue 19 item 3).
 *
 * `tickets.sla_summary` holds the engine's targets (metric, state, due and
 * stop instants, breached, minutes) or why the SLA cannot be computed, as JSON,
 * written with the schedule in the transaction of each change
 * (main/tickets/sla.ts). The queue's rows are built from it: the engine runs
 * only for the ticket that is opened. Derived, not synced; NULL: never
 * computed here (older rows, tickets without a contract): computed when
 * first listed.
 */
import type { Migration } from './types.js';

export const migration: Migration = {
  version: 18,
  name: 'ticket-sla-summary',
  up(db) {
    db.exec(/* sql */ `ALTER TABLE tickets ADD COLUMN sla_summary TEXT;`);
  },
};

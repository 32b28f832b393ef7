/**
 * 0007: the `photo` ticket event (issue 8 §1 "Photos attached"). Same rebuild
 * of ticket_events as 0006 (SQLite cannot alter a CHECK constraint): same
 * rows, index and append-only triggers, attachments.event_id set aside while
 * the old table is dropped and put back afterwards.
 */
import type { Migration } from './types.js';
import { rebuildTicketEvents } from './rebuild-ticket-events.js';
import { EVENT_TYPES_V6 } from './0006-field-events.js';

export const EVENT_TYPES_V7 = [...EVENT_TYPES_V6, 'photo'] as const;

export const migration: Migration = {
  version: 7,
  name: 'photo-events',
  up(db) {
    rebuildTicketEvents(db, 7, EVENT_TYPES_V7);
  },
};

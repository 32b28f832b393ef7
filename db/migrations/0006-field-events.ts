/**
 * 0006: the field technician's event types (issue 8 §1): `visit_step`,
 * `parts`, `checklist`, `acceptance`. SQLite cannot alter a CHECK constraint,
 * so ticket_events is rebuilt with the wider list (same rows, index and
 * append-only triggers). attachments.event_id points at ticket_events: it is
 * set aside while the old table is dropped and put back afterwards, so the
 * foreign key holds at commit (foreign_keys cannot be switched off inside the
 * migration transaction).
 */
import type { Migration } from './types.js';
import { rebuildTicketEvents } from './rebuild-ticket-events.js';

export const EVENT_TYPES_V6 = [
  'created',
  'responded',
  'status',
  'update_logged',
  'policy_changed',
  'note',
  'callback',
  'escalation',
  'time_entry',
  'visit',
  'assigned',
  'edited',
  'visit_step',
  'parts',
  'checklist',
  'acceptance',
] as const;

export const migration: Migration = {
  version: 6,
  name: 'field-events',
  up(db) {
    rebuildTicketEvents(db, 6, EVENT_TYPES_V6);
  },
};

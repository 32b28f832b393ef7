/**
 * The ticket's descriptive text fields, once: each field's name in requests
 * and sync mutations (`ticket.create@1`, `ticket.edit@1`), its column in the
 * local and the server database, the intake field a contract may require for
 * it, and the i18n key the timeline names it by. Two concurrent edits of one
 * of these are a conflict for a person to resolve (core/sync/merge.ts).
 */
import type { IntakeField } from './ticket-vocabulary.js';

export const TICKET_TEXT_FIELDS = ['title', 'description', 'customerRef', 'vendorRef', 'reporterName', 'reporterPhone'] as const;
export type TicketTextField = (typeof TICKET_TEXT_FIELDS)[number];

export interface TicketFieldInfo {
  /** The column in the tickets table (SQLite and PostgreSQL). */
  column: string;
  /** The intake field a contract may require that this field fills, if any. */
  intake: IntakeField | null;
  /** The i18n key of the field's label (timeline, form errors). */
  label: string;
}

export const TICKET_FIELDS: { readonly [F in TicketTextField]: TicketFieldInfo } = {
  title: { column: 'title', intake: null, label: 'errors.fields.title' },
  description: { column: 'description', intake: 'fault_description', label: 'errors.fields.description' },
  customerRef: { column: 'customer_ref', intake: 'customer_ref', label: 'errors.fields.customerRef' },
  vendorRef: { column: 'vendor_ref', intake: null, label: 'errors.fields.vendorRef' },
  reporterName: { column: 'reporter_name', intake: 'reporter_name', label: 'errors.fields.reporterName' },
  reporterPhone: { column: 'reporter_phone', intake: 'mobile_number', label: 'errors.fields.reporterPhone' },
};

export function isTicketTextField(f: unknown): f is TicketTextField {
  return (TICKET_TEXT_FIELDS as readonly unknown[]).includes(f);
}

/** The text field that fills intake field `f` (`mobile_number` → `reporterPhone`), or null. */
export function fieldForIntake(f: IntakeField): TicketTextField | null {
  return TICKET_TEXT_FIELDS.find((k) => TICKET_FIELDS[k].intake === f) ?? null;
}

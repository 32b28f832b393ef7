/**
 * The ticket's words besides its statuses, once: channels, SLA metrics, the
 * critical priority, intake fields and event types. Free of zod, so the
 * renderer, db, main and server share the same values.
 */

/** How a call came in (the intake's channel). */
export const TICKET_CHANNELS = ['phone', 'email', 'web', 'letter', 'onsite', 'other'] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];

/** How the customer is called back. */
export const CALLBACK_CHANNELS = ['phone', 'email'] as const satisfies readonly TicketChannel[];
export type CallbackChannel = (typeof CALLBACK_CHANNELS)[number];

/** The SLA clocks a policy sets targets for (SLA clock spec). */
export const SLA_METRICS = ['response', 'resolution', 'update'] as const;
export type Metric = (typeof SLA_METRICS)[number];

/** The priority that marks a critical fault (taken outside support hours; alerts are critical). */
export const CRITICAL_PRIORITY = 'critical';

/**
 * A ticket's priority: `critical` only for a critical fault on the contract's
 * critical policy (its `criticalPolicy`), else the policy id, so the queue
 * never shows "critical" on a non-critical clock (issue 15).
 */
export function ticketPriority(critical: boolean, policy: string, criticalPolicy: string | null): string {
  return critical && criticalPolicy !== null && policy === criticalPolicy ? CRITICAL_PRIORITY : policy;
}

/** The intake fields a contract may require. */
export const INTAKE_FIELDS = ['site_address', 'mobile_number', 'customer_ref', 'invoice_number', 'order_number', 'product', 'serial_number', 'fault_description', 'reporter_name'] as const;
export type IntakeField = (typeof INTAKE_FIELDS)[number];

/** The events of a ticket's append-only log. */
export const TICKET_EVENT_TYPES = [
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
  // The field technician's visit log (issue 8 §1).
  'visit_step',
  'parts',
  'checklist',
  'acceptance',
  // Photos of a visit (the bytes stay on the device that took them; see docs/field.md).
  'photo',
] as const;
export type TicketEventType = (typeof TICKET_EVENT_TYPES)[number];

/** The events the SLA engine reads; the others do not move a clock. */
export const SLA_EVENT_TYPES = ['created', 'responded', 'status', 'update_logged', 'policy_changed'] as const satisfies readonly TicketEventType[];

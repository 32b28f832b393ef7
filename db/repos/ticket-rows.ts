/** Ticket and event rows as the repo returns them, and the page shapes of its lists. */
import { parseJson } from '../context.js';
import { NotFoundError } from '../errors.js';
import type { Channel, EventType, SlaSummary, TicketStatus } from './ticket-schemas.js';

export interface TicketEvent {
  id: string;
  ticketId: string;
  type: EventType;
  at: number;
  recordedAt: number;
  author: string | null;
  data: Record<string, unknown>;
  deviceId: string;
  hlc: string;
  /** When the sync server received it, and the name of the device that sent it (null: not synced, or not known). */
  receivedAt?: number | null;
  deviceName?: string | null;
}

export interface Ticket {
  id: string;
  caseNumber: string;
  customerId: string;
  contractId: string | null;
  siteId: string | null;
  assetId: string | null;
  policy: string | null;
  status: TicketStatus;
  priority: string | null;
  channel: Channel;
  assignee: string | null;
  title: string | null;
  description: string | null;
  reporterName: string | null;
  reporterPhone: string | null;
  customerRef: string | null;
  vendorRef: string | null;
  escalationLevel: number;
  intake: Record<string, string>;
  nextDueAt: number | null;
  nextCallbackAt: number | null;
  createdAt: number;
  updatedAt: number;
  createdBy: string;
  version: number;
  /** The SLA as of the last change (tickets.sla_summary); absent: never computed on this device. */
  sla?: SlaSummary;
}

export interface QueueCursor {
  dueKey: number;
  id: string;
}
export interface Page<T, C> {
  items: T[];
  next: C | null;
}
export interface SearchHit {
  ticket: Ticket;
  /** 'ticket' when the description/title matched, otherwise the id of the matching event. */
  source: string;
}

export type Row = Record<string, unknown>;
export const TICKET_COLS = `t.*`;
export const toTicket = (r: Row): Ticket => ({
  id: r.id as string,
  caseNumber: r.case_number as string,
  customerId: r.customer_id as string,
  contractId: (r.contract_id as string | null) ?? null,
  siteId: (r.site_id as string | null) ?? null,
  assetId: (r.asset_id as string | null) ?? null,
  policy: (r.policy as string | null) ?? null,
  status: r.status as TicketStatus,
  priority: (r.priority as string | null) ?? null,
  channel: r.channel as Channel,
  assignee: (r.assignee as string | null) ?? null,
  title: (r.title as string | null) ?? null,
  description: (r.description as string | null) ?? null,
  reporterName: (r.reporter_name as string | null) ?? null,
  reporterPhone: (r.reporter_phone as string | null) ?? null,
  customerRef: (r.customer_ref as string | null) ?? null,
  vendorRef: (r.vendor_ref as string | null) ?? null,
  escalationLevel: r.escalation_level as number,
  intake: parseJson(r.intake as string, {}),
  nextDueAt: (r.next_due_at as number | null) ?? null,
  nextCallbackAt: (r.next_callback_at as number | null) ?? null,
  createdAt: r.created_at as number,
  updatedAt: r.updated_at as number,
  createdBy: r.created_by as string,
  version: r.version as number,
  ...(typeof r.sla_summary === 'string' ? { sla: parseJson<SlaSummary>(r.sla_summary, { at: 0, contractVersion: null, error: 'stored SLA summary unreadable' }) } : {}),
});
export const toEvent = (r: Row): TicketEvent => ({
  id: r.id as string,
  ticketId: r.ticket_id as string,
  type: r.type as EventType,
  at: r.at as number,
  recordedAt: r.recorded_at as number,
  author: (r.author as string | null) ?? null,
  data: parseJson(r.data as string, {}),
  deviceId: (r.sent_by as string | null | undefined) ?? (r.device_id as string),
  hlc: r.hlc as string,
  receivedAt: (r.received_at as number | null | undefined) ?? null,
  deviceName: (r.device_name as string | null | undefined) ?? null,
});

/** The ticket row, or NotFoundError naming it. */
export function requireTicketRow(get: { get(id: string): unknown }, id: string): Row {
  const t = get.get(id) as Row | undefined;
  if (!t) throw new NotFoundError(`ticket ${id} does not exist`);
  return t;
}

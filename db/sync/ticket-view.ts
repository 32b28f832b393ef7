/**
 * A pulled ticket as this device shows it: the server's merged fields with this device's pending
 * mutations replayed on top (as Replicache rebases), and the local columns that view becomes.
 */
import { maxHlc } from '../../core/sync/hlc.js';
import { replayMutation } from '../../core/sync/replay.js';
import type { SyncTicket, TicketStatus } from '../../core/sync/mutations.js';
import { json, parseJson } from '../context.js';

type Row = Record<string, unknown>;

/** What the local row shows: the server's ticket with pending mutations replayed (the merged fields only). */
export interface View {
  caseNumber: string;
  customerId: string;
  channel: string;
  title: string | null;
  description: string | null;
  customerRef: string | null;
  vendorRef: string | null;
  reporterName: string | null;
  reporterPhone: string | null;
  priority: string | null;
  assignee: string | null;
  status: TicketStatus;
  policy: string | null;
  createdAt: number;
  createdBy: string;
  fieldHlc: Record<string, string>;
  /** Intake values (a cleared one is null: dropped when written). */
  intake: Record<string, string | null>;
  version: number;
}

/** The server's ticket with this device's pending mutations replayed on top. */
export function ticketView(t: SyncTicket, pending: Row[], conflict: (id: string) => Row | undefined): View {
  const v: View = {
    caseNumber: t.caseNumber,
    customerId: t.customerId,
    channel: t.channel,
    title: t.title,
    description: t.description,
    customerRef: t.customerRef,
    vendorRef: t.vendorRef,
    reporterName: t.reporterName,
    reporterPhone: t.reporterPhone,
    priority: t.priority,
    assignee: t.assignee,
    status: t.status,
    policy: t.policy,
    createdAt: t.createdAt,
    createdBy: t.createdBy,
    fieldHlc: { ...t.fieldHlc },
    intake: { ...(t.intake ?? {}) },
    version: t.version,
  };
  // What each pending mutation does: core/sync/replay.ts, the one definition the server applies too.
  const conflictField = (id: string): string | undefined => conflict(id)?.field as string | undefined;
  let out = v;
  for (const m of pending) out = replayMutation(out, `${m.name as string}@${m.version as number}`, parseJson<Row>(m.payload as string, {}), m.hlc as string, conflictField);
  return out;
}

export function columns(v: View): Record<string, unknown> {
  let hlc: string | null = null;
  for (const h of Object.values(v.fieldHlc)) hlc = maxHlc(hlc, h);
  return {
    policy: v.policy,
    status: v.status,
    priority: v.priority,
    assignee: v.assignee,
    title: v.title,
    description: v.description,
    reporter_name: v.reporterName,
    reporter_phone: v.reporterPhone,
    customer_ref: v.customerRef,
    vendor_ref: v.vendorRef,
    server_version: v.version,
    field_hlc: json(v.fieldHlc),
    hlc: hlc ?? 'sync',
    intake: json(Object.fromEntries(Object.entries(v.intake).filter(([, x]) => x !== null))),
  };
}

/**
 * A pulled ticket as this device shows it: the server's merged fields with this device's pending
 * mutations replayed on top (as Replicache rebases), and the local columns that view becomes.
 */
import { maxHlc } from '../../core/sync/hlc.js';
import { isTicketTextField } from '../../core/domain/index.js';
import type { SyncTicket } from '../../core/sync/mutations.js';
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
  status: string;
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
    caseNumber: t.caseNumber, customerId: t.customerId, channel: t.channel, title: t.title, description: t.description, customerRef: t.customerRef,
    vendorRef: t.vendorRef, reporterName: t.reporterName, reporterPhone: t.reporterPhone, priority: t.priority, assignee: t.assignee,
    status: t.status, policy: t.policy, createdAt: t.createdAt, createdBy: t.createdBy, fieldHlc: { ...t.fieldHlc }, intake: { ...(t.intake ?? {}) }, version: t.version,
  };
  for (const m of pending) {
    const p = parseJson<Row>(m.payload as string, {});
    const hlc = m.hlc as string;
    switch (`${m.name as string}@${m.version as number}`) {
      case 'ticket.event@1': {
        const e = (p.event ?? {}) as { type?: string; data?: Row };
        if (e.type === 'status' && typeof e.data?.status === 'string') {
          v.status = e.data.status;
          v.fieldHlc.status = hlc;
        } else if (e.type === 'policy_changed' && typeof e.data?.policy === 'string') {
          v.policy = e.data.policy;
          v.fieldHlc.policy = hlc;
        }
        break;
      }
      case 'ticket.setPriority@1':
        v.priority = (p.priority as string | null) ?? null;
        v.fieldHlc.priority = hlc;
        break;
      case 'ticket.assign@1':
        v.assignee = (p.assignee as string | null) ?? null;
        v.fieldHlc.assignee = hlc;
        break;
      case 'ticket.setIntake@1':
        for (const [k, val] of Object.entries((p.values ?? {}) as Record<string, string | null>)) {
          v.intake[k] = val;
          v.fieldHlc[`intake.${k}`] = hlc;
        }
        break;
      case 'ticket.edit@1': {
        const f = p.field;
        if (isTicketTextField(f)) {
          v[f] = (p.value as string | null) ?? null;
          v.fieldHlc[f] = hlc;
        }
        break;
      }
      case 'conflict.resolve@1': {
        const c = conflict(p.conflictId as string);
        const f = c?.field;
        if (isTicketTextField(f)) {
          v[f] = (p.value as string | null) ?? null;
          v.fieldHlc[f] = hlc;
        }
        break;
      }
    }
  }
  return v;
}

export function columns(v: View): Record<string, unknown> {
  let hlc: string | null = null;
  for (const h of Object.values(v.fieldHlc)) hlc = maxHlc(hlc, h);
  return {
    policy: v.policy, status: v.status, priority: v.priority, assignee: v.assignee, title: v.title, description: v.description,
    reporter_name: v.reporterName, reporter_phone: v.reporterPhone, customer_ref: v.customerRef, vendor_ref: v.vendorRef,
    server_version: v.version, field_hlc: json(v.fieldHlc), hlc: hlc ?? 'sync',
    intake: json(Object.fromEntries(Object.entries(v.intake).filter(([, x]) => x !== null))),
  };
}

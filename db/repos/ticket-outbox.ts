/**
 * A ticket's sync mutations (the shapes core/sync/mutations.ts defines; the server applies them),
 * written in the transaction of the change, with the merged fields' HLCs as the server will record them.
 */
import { TICKET_FIELDS, TICKET_TEXT_FIELDS } from '../../core/domain/index.js';
import type { MutationPayload } from '../../core/sync/mutations.js';
import type { Ctx } from '../context.js';
import { json, parseJson } from '../context.js';
import type { Row, Ticket, TicketEvent } from './ticket-rows.js';
import type { Channel } from './ticket-schemas.js';

/** The columns of a newly registered ticket that its ticket.create@2 carries. */
export interface CreatedRow {
  id: string;
  case_number: string;
  customer_id: string;
  channel: Channel;
  created_at: number;
  contract_id: string | null;
  site_id: string | null;
  asset_id: string | null;
  intake: string;
  title: string | null;
  description: string | null;
  customer_ref: string | null;
  vendor_ref: string | null;
  reporter_name: string | null;
  reporter_phone: string | null;
  priority: string | null;
  assignee: string | null;
  policy: string | null;
}
type EventMutation = MutationPayload<'ticket.event@1'>['event'];

/** ticket.edit@1 fields and their columns (sync; core/domain/ticket-fields.ts). */
const SYNC_EDIT_FIELDS = TICKET_TEXT_FIELDS.map((f) => [f, TICKET_FIELDS[f].column] as const);
/** ticket.create@1 payload keys and their columns (sync). */
const SYNC_CREATE_FIELDS = [...SYNC_EDIT_FIELDS, ['priority', 'priority'], ['assignee', 'assignee'], ['policy', 'policy']] as const;

export class TicketOutbox {
  private readonly s;
  constructor(private readonly ctx: Ctx) {
    const db = ctx.db;
    this.s = {
      setFieldHlc: db.prepare(`UPDATE tickets SET field_hlc = ? WHERE id = ?`),
    };
  }

  /** ticket.create@2, and the merged fields' HLCs as the server will record them. */
  mutateCreate(row: CreatedRow, created: TicketEvent): void {
    const fieldHlc: Record<string, string> = { status: created.hlc };
    for (const [key, col] of SYNC_CREATE_FIELDS) if ((row as unknown as Record<string, unknown>)[col] != null && key !== 'policy') fieldHlc[key] = created.hlc;
    const intake = parseJson<Record<string, string>>(row.intake, {});
    // A field left empty is left out of the payload (undefined is not written).
    const payload: MutationPayload<'ticket.create@2'> = {
      ticketId: row.id,
      caseNumber: row.case_number,
      customerId: row.customer_id,
      channel: row.channel,
      createdAt: row.created_at,
      createdEventId: created.id,
      title: row.title ?? undefined,
      description: row.description ?? undefined,
      customerRef: row.customer_ref ?? undefined,
      vendorRef: row.vendor_ref ?? undefined,
      reporterName: row.reporter_name ?? undefined,
      reporterPhone: row.reporter_phone ?? undefined,
      priority: row.priority ?? undefined,
      assignee: row.assignee ?? undefined,
      policy: row.policy ?? undefined,
      author: created.author || undefined,
      // v2: the contract, site, asset and intake values, so other devices run the same SLA clock.
      contractId: row.contract_id ?? undefined,
      siteId: row.site_id ?? undefined,
      assetId: row.asset_id ?? undefined,
      intake: Object.keys(intake).length ? intake : undefined,
    };
    this.s.setFieldHlc.run(json(fieldHlc), row.id);
    this.ctx.mutate('ticket.create@2', payload, created.hlc);
  }

  /** One ticket.event@1 per event (+ ticket.assign@1 for an assignment); `t` is the ticket row before the change. */
  mutateEvents(t: Row, events: TicketEvent[]): void {
    const fieldHlc = parseJson<Record<string, string>>(t.field_hlc as string, {});
    const baseVersion = (t.server_version as number | undefined) ?? 0;
    for (const e of events) {
      // `created` goes with ticket.create@2, never here.
      const event: EventMutation = { id: e.id, type: e.type as EventMutation['type'], at: e.at, data: e.data, author: e.author || undefined };
      this.ctx.mutate('ticket.event@1', { ticketId: e.ticketId, event, baseVersion }, e.hlc);
      if (e.type === 'status') fieldHlc.status = e.hlc;
      if (e.type === 'policy_changed') fieldHlc.policy = e.hlc;
      if (e.type === 'assigned') {
        const h = this.ctx.hlc.now();
        this.ctx.mutate('ticket.assign@1', { ticketId: e.ticketId, assignee: (e.data.assignee as string | null | undefined) ?? null }, h);
        fieldHlc.assignee = h;
      }
    }
    this.s.setFieldHlc.run(json(fieldHlc), t.id);
  }

  /** ticket.edit@1 per changed text field (based on the field's HLC) and ticket.setPriority@1. */
  mutateEdits(t: Row, before: Ticket, after: Record<string, unknown>): void {
    const ticketId = t.id as string;
    const fieldHlc = parseJson<Record<string, string>>(t.field_hlc as string, {});
    for (const [field, col] of SYNC_EDIT_FIELDS) {
      const value = (after[col] as string | null) ?? null;
      if (value === before[field]) continue;
      const h = this.ctx.hlc.now();
      this.ctx.mutate('ticket.edit@1', { ticketId, field, value, baseHlc: fieldHlc[field] ?? null }, h);
      fieldHlc[field] = h;
    }
    if (((after.priority as string | null) ?? null) !== before.priority) {
      const h = this.ctx.hlc.now();
      this.ctx.mutate('ticket.setPriority@1', { ticketId, priority: (after.priority as string | null) ?? null }, h);
      fieldHlc.priority = h;
    }
    // Intake values: only the keys that changed (each is last-writer-wins on its own, see core/sync/mutations.ts).
    const nextIntake = parseJson<Record<string, string | null>>(after.intake as string, {});
    const values: Record<string, string | null> = {};
    for (const k of new Set([...Object.keys(before.intake ?? {}), ...Object.keys(nextIntake)])) {
      const v = nextIntake[k] ?? null;
      if (v !== ((before.intake ?? {})[k] ?? null)) values[k] = v;
    }
    if (Object.keys(values).length) {
      const h = this.ctx.hlc.now();
      this.ctx.mutate('ticket.setIntake@1', { ticketId, values }, h);
      for (const k of Object.keys(values)) fieldHlc[`intake.${k}`] = h;
    }
    this.s.setFieldHlc.run(json(fieldHlc), t.id);
  }
}

/** Tickets and their append-only event log, case numbers, the queue and search. */
import { z } from 'zod';
import { DESK_CHANNELS, OPEN_TICKET_STATUSES, TICKET_STATUSES } from '../../core/api/desk.js';
import { FIELD_STEPS, PHOTO_MAX_BYTES, PHOTO_MIMES, SHA256_PATTERN, SIGNATURE_MAX_CHARS, SIGNATURE_PATTERN } from '../../core/api/field.js';
import { CaseNumberError, parseCaseNumber } from '../../core/ids/case-number.js';
import { VISIT_PARTS } from '../../core/reports/time-entries.js';
import type { CaseNumberAllocator } from '../case-numbers.js';
import type { Ctx } from '../context.js';
import { json, parseInput, parseJson } from '../context.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { containsPattern, foldForSearch, searchFieldsChanged, ticketSearchText, toFtsQuery } from '../search.js';
import type { IntakeField, PolicySet } from './customers.js';
import { clampLimit } from './customers.js';
import { publishRecord } from '../sync-records.js';
import { checkCreatedAt, checkEnteredInstants } from './event-instants.js';

/** Statuses and channels: one list each, defined with the API contract. */
export const STATUSES = TICKET_STATUSES;
export type TicketStatus = (typeof STATUSES)[number];
export const OPEN_STATUSES: readonly TicketStatus[] = OPEN_TICKET_STATUSES;
export const CHANNELS = DESK_CHANNELS;
export type Channel = (typeof CHANNELS)[number];

const instant = z.number().int('must be epoch milliseconds (an integer)').min(0);
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);
const optText = (max: number) => text(max).nullish();

/** Event payloads by type. `created` is written by register() only. */
export const eventData = {
  created: z.object({ policy: z.string().nullable() }).strict(),
  responded: z.object({ text: optText(20000) }).strict(),
  status: z.object({ status: z.enum(STATUSES), text: optText(20000) }).strict(),
  update_logged: z.object({ text: optText(20000) }).strict(),
  policy_changed: z.object({ policy: text(100), reason: optText(2000) }).strict(),
  /** `quoteAccepted`: the customer accepted (true) or withdrew (false) the repair quote (docs/warranty.md). */
  note: z.object({ text: text(20000), quoteAccepted: z.boolean().nullish() }).strict(),
  callback: z
    .object({
      reached: text(200),
      channel: z.enum(CHANNELS),
      text: text(20000),
      /** When true (default) the callback also counts as a status update for the SLA. */
      countsAsUpdate: z.boolean().default(true),
      nextCallbackAt: instant.nullish(),
    })
    .strict(),
  escalation: z.object({ level: z.number().int().min(0).max(99), to: optText(200), reason: optText(2000) }).strict(),
  /** Billable time (docs/reports.md): level, kind and start/end are optional (older entries have only minutes). */
  time_entry: z
    .object({
      minutes: z.number().int().min(1).max(24 * 60),
      activity: optText(200),
      billable: z.boolean().default(true),
      text: optText(20000),
      level: z.string().regex(/^[A-Za-z0-9_-]{1,20}$/, 'letters, digits, _ and - only (e.g. L1)').nullish(),
      kind: z.enum(['phone', 'remote', 'onsite', 'travel']).nullish(),
      start: instant.nullish(),
      end: instant.nullish(),
      /** The field visit's proposal it confirms (core/reports/time-entries.ts). */
      fromVisit: z.enum(VISIT_PARTS).nullish(),
    })
    .strict(),
  /** `km` driven and fixed `fees` of the visit are invoiced (docs/reports.md). */
  visit: z
    .object({
      arrivedAt: instant,
      leftAt: instant.nullish(),
      technician: optText(200),
      text: optText(20000),
      km: z.number().min(0).max(100_000).nullish(),
      fees: z.array(z.object({ fee: text(100), waived: z.boolean().default(false) }).strict()).max(20).nullish(),
    })
    .strict(),
  assigned: z.object({ assignee: z.string().trim().max(200).nullable() }).strict(),
  /**
   * A step of a field visit (issue 8 §1) at `at` (the event's time). A later
   * step event with `replaces` corrects an earlier one's time; its `reason` is
   * mandatory. `km` driven go with the step (usually `depart`).
   */
  visit_step: z
    .object({
      step: z.enum(FIELD_STEPS),
      technician: optText(200),
      km: z.number().min(0).max(100_000).nullish(),
      replaces: z.string().min(1).max(100).nullish(),
      reason: optText(2000),
    })
    .strict()
    .refine((d) => !d.replaces || !!d.reason, { message: 'a corrected time needs a reason', path: ['reason'] }),
  /** Parts used on a visit: the product, the serial number put in and the one taken out. */
  parts: z
    .object({ parts: z.array(z.object({ product: text(200), serialIn: optText(100), serialOut: optText(100) }).strict()).min(1, 'at least one part').max(50) })
    .strict(),
  /** The inspection checklist as filled in (the items' keys and labels as they were asked). */
  checklist: z
    .object({
      items: z
        .array(z.object({ key: text(100), label: text(200), value: z.union([z.string().max(2000), z.boolean(), z.number()]).nullable() }).strict())
        .min(1, 'at least one item')
        .max(100),
    })
    .strict(),
  /** The customer's acceptance: their name and the signature drawn on the device (a PNG data URL). */
  acceptance: z
    .object({
      name: text(200),
      signature: z.string().max(SIGNATURE_MAX_CHARS, `at most ${SIGNATURE_MAX_CHARS} characters`).regex(SIGNATURE_PATTERN, 'must be a PNG data URL (data:image/png;base64,…)'),
    })
    .strict(),
  /** A photo of the visit: its bytes are stored content-addressed by `sha256` (see the `attachments` table). */
  photo: z
    .object({
      sha256: z.string().regex(SHA256_PATTERN, 'must be 64 lowercase hex digits'),
      name: text(200),
      mime: z.enum(PHOTO_MIMES),
      size: z.number().int().min(1).max(PHOTO_MAX_BYTES),
    })
    .strict(),
  edited: z.object({ fields: z.record(z.string(), z.unknown()) }).strict(),
} as const;
export type EventType = keyof typeof eventData;
export const EVENT_TYPES = Object.keys(eventData) as EventType[];
export type EventData<T extends EventType> = z.input<(typeof eventData)[T]>;
export type AppendEventInput = { [T in Exclude<EventType, 'created' | 'edited'>]: { type: T; at?: number; author?: string | null; data: EventData<T> } }[Exclude<EventType, 'created' | 'edited'>];

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
}

export const registerInput = z
  .object({
    customerId: z.string().min(1, 'is required'),
    /** A client's id for this intake (unique): a second register with it returns the first's ticket and stores nothing. */
    intakeId: z.string().min(1).max(100).nullish(),
    contractId: z.string().min(1).nullish(),
    siteId: z.string().min(1).nullish(),
    assetId: z.string().min(1).nullish(),
    /** Creates an asset for this customer (or reuses the one with the same serial number). */
    asset: z.object({ product: optText(200), serialNumber: optText(100) }).strict().nullish(),
    policy: optText(100),
    priority: optText(50),
    channel: z.enum(CHANNELS),
    assignee: optText(200),
    title: optText(300),
    description: optText(20000),
    reporterName: optText(200),
    reporterPhone: optText(40),
    customerRef: optText(100),
    vendorRef: optText(100),
    intake: z.record(z.string(), z.string().max(2000)).default({}),
    at: instant.optional(),
    author: optText(200),
    nextDueAt: instant.nullish(),
    nextCallbackAt: instant.nullish(),
  })
  .strict();
export type RegisterTicketInput = z.input<typeof registerInput>;

export const updateInput = z
  .object({
    priority: optText(50),
    title: optText(300),
    description: optText(20000),
    customerRef: optText(100),
    vendorRef: optText(100),
    reporterName: optText(200),
    reporterPhone: optText(40),
    intake: z.record(z.string(), z.string().max(2000)).optional(),
  })
  .strict();
export type UpdateTicketInput = z.input<typeof updateInput>;

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

/** ticket.create@1 payload keys and their columns (sync). */
const SYNC_CREATE_FIELDS = [
  ['title', 'title'], ['description', 'description'], ['customerRef', 'customer_ref'], ['vendorRef', 'vendor_ref'], ['reporterName', 'reporter_name'],
  ['reporterPhone', 'reporter_phone'], ['priority', 'priority'], ['assignee', 'assignee'], ['policy', 'policy'],
] as const;
/** ticket.edit@1 fields and their columns (sync; core/sync CONFLICT_FIELDS). */
const SYNC_EDIT_FIELDS = [
  ['title', 'title'], ['description', 'description'], ['customerRef', 'customer_ref'], ['vendorRef', 'vendor_ref'], ['reporterName', 'reporter_name'], ['reporterPhone', 'reporter_phone'],
] as const;

/** Sort key of tickets without a deadline: after every real instant. */
export const NO_DEADLINE = 9007199254740991;

type Row = Record<string, unknown>;
const TICKET_COLS = `t.*`;
const toTicket = (r: Row): Ticket => ({
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
});
const toEvent = (r: Row): TicketEvent => ({
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

/** The SQL of the queries the app runs (exported so tests can EXPLAIN them). */
export const QUERIES = {
  queueFirst: `SELECT ${TICKET_COLS}, ifnull(t.next_due_at, ${NO_DEADLINE}) AS due_key FROM tickets t
    WHERE t.status IN ('open','waiting_on_customer','waiting_on_vendor')
    ORDER BY ifnull(t.next_due_at, ${NO_DEADLINE}), t.id LIMIT ?`,
  queueAfter: `SELECT ${TICKET_COLS}, ifnull(t.next_due_at, ${NO_DEADLINE}) AS due_key FROM tickets t
    WHERE t.status IN ('open','waiting_on_customer','waiting_on_vendor')
      AND ifnull(t.next_due_at, ${NO_DEADLINE}) >= @due
      AND (ifnull(t.next_due_at, ${NO_DEADLINE}) > @due OR t.id > @id)
    ORDER BY ifnull(t.next_due_at, ${NO_DEADLINE}), t.id LIMIT @limit`,
  byCustomer: `SELECT ${TICKET_COLS} FROM tickets t WHERE t.customer_id = ? ORDER BY t.created_at DESC, t.id DESC LIMIT ?`,
  byCustomerBefore: `SELECT ${TICKET_COLS} FROM tickets t WHERE t.customer_id = ? AND (t.created_at, t.id) < (?, ?) ORDER BY t.created_at DESC, t.id DESC LIMIT ?`,
  byCaseNumber: `SELECT ${TICKET_COLS} FROM tickets t WHERE t.case_number = ?`,
  byCustomerRef: `SELECT ${TICKET_COLS} FROM tickets t WHERE t.customer_ref = ? COLLATE NOCASE ORDER BY t.created_at DESC LIMIT ?`,
  bySerial: `SELECT ${TICKET_COLS} FROM assets a JOIN tickets t ON t.asset_id = a.id WHERE a.serial_number = ? COLLATE NOCASE ORDER BY t.created_at DESC LIMIT ?`,
  callbacksDue: `SELECT ${TICKET_COLS} FROM tickets t WHERE t.next_callback_at IS NOT NULL AND t.next_callback_at <= ? ORDER BY t.next_callback_at LIMIT ?`,
  search: `SELECT ticket_id, source FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid DESC LIMIT ?`,
  /** Case numbers containing what was typed ("0003"): a scan of the case-number index only, newest first. */
  byCaseNumberPart: `SELECT ${TICKET_COLS} FROM tickets t WHERE t.rowid IN (SELECT rowid FROM tickets WHERE case_number LIKE ? ESCAPE '\\' LIMIT ?) ORDER BY t.created_at DESC`,
  /** A ticket's timeline; events whose sync mutation the server refused are left out (they are listed as rejected). */
  events: `SELECT e.*, r.received_at, r.device_name, r.device_id AS sent_by FROM ticket_events e LEFT JOIN sync_event_receipts r ON r.event_id = e.id
    WHERE e.ticket_id = ? AND e.id NOT IN (SELECT event_id FROM sync_rejected_events) ORDER BY e.at, e.hlc`,
  wakeTimes: `SELECT id, next_wake_at FROM tickets WHERE status NOT IN ('resolved','closed')`,
} as const;

/** Resolves which intake fields a registration has filled in (named columns or the free intake map). */
function filledIntake(v: z.output<typeof registerInput>, siteAddress: string | null, asset: { product: string | null; serial: string | null }): Record<IntakeField, boolean> {
  const has = (s: string | null | undefined) => s != null && s.trim() !== '';
  const i = v.intake;
  return {
    site_address: has(siteAddress) || has(i.site_address),
    mobile_number: has(v.reporterPhone) || has(i.mobile_number),
    customer_ref: has(v.customerRef) || has(i.customer_ref),
    invoice_number: has(i.invoice_number),
    order_number: has(i.order_number),
    product: has(asset.product) || has(i.product),
    serial_number: has(asset.serial) || has(i.serial_number),
    fault_description: has(v.description) || has(i.fault_description),
    reporter_name: has(v.reporterName) || has(i.reporter_name),
  };
}

export const queueFilterInput = z
  .object({
    contractId: z.string().min(1).nullish(),
    priority: z.string().min(1).nullish(),
    status: z.enum(['open', 'waiting_on_customer', 'waiting_on_vendor']).nullish(),
    assignee: z.string().min(1).nullish(),
  })
  .strict();
export type QueueFilterInput = z.input<typeof queueFilterInput>;

/** The SQL of a filtered queue page; `where` are extra conditions (exported so tests can EXPLAIN it). */
export function queueFilteredSql(where: string[]): string {
  return `SELECT ${TICKET_COLS}, ifnull(t.next_due_at, ${NO_DEADLINE}) AS due_key FROM tickets t
    WHERE t.status IN ('open','waiting_on_customer','waiting_on_vendor')${where.map((w) => ` AND ${w}`).join('')}
    ORDER BY ifnull(t.next_due_at, ${NO_DEADLINE}), t.id LIMIT @limit`;
}

export class TicketsRepo {
  private readonly s;
  private readonly filtered = new Map<string, ReturnType<Ctx['db']['prepare']>>();
  constructor(
    private readonly ctx: Ctx,
    private readonly caseNumbers: CaseNumberAllocator,
  ) {
    const db = ctx.db;
    this.s = {
      insTicket: db.prepare(
        `INSERT INTO tickets (id, case_number, customer_id, contract_id, site_id, asset_id, policy, status, priority, channel, assignee, title, description,
           reporter_name, reporter_phone, customer_ref, vendor_ref, intake, next_due_at, next_callback_at, created_at, updated_at, created_by, hlc, intake_id)
         VALUES (@id, @case_number, @customer_id, @contract_id, @site_id, @asset_id, @policy, 'open', @priority, @channel, @assignee, @title, @description,
           @reporter_name, @reporter_phone, @customer_ref, @vendor_ref, @intake, @next_due_at, @next_callback_at, @created_at, @created_at, @created_by, @hlc, @intake_id)`,
      ),
      byIntake: db.prepare(`SELECT * FROM tickets WHERE intake_id = ?`),
      insEvent: db.prepare(
        `INSERT INTO ticket_events (id, ticket_id, type, at, recorded_at, author, data, device_id, hlc) VALUES (@id, @ticket_id, @type, @at, @recorded_at, @author, @data, @device_id, @hlc)`,
      ),
      insFts: db.prepare(`INSERT INTO search_fts (body, ticket_id, source) VALUES (?, ?, ?)`),
      delFtsTicket: db.prepare(`DELETE FROM search_fts WHERE rowid IN (SELECT rowid FROM search_fts WHERE source = 'ticket' AND ticket_id = ?)`),
      get: db.prepare(`SELECT * FROM tickets WHERE id = ?`),
      customer: db.prepare(`SELECT id FROM customers WHERE id = ?`),
      contract: db.prepare(`SELECT id, customer_id, agreement_number, policy_set, default_policy, intake_fields FROM contracts WHERE id = ?`),
      site: db.prepare(`SELECT id, customer_id, address FROM sites WHERE id = ?`),
      asset: db.prepare(`SELECT id, customer_id, product, serial_number FROM assets WHERE id = ?`),
      assetBySerial: db.prepare(`SELECT id, customer_id, product, serial_number FROM assets WHERE customer_id = ? AND serial_number = ? COLLATE NOCASE LIMIT 1`),
      insAsset: db.prepare(`INSERT INTO assets (id, customer_id, site_id, product, serial_number, created_at, hlc) VALUES (@id, @customer_id, @site_id, @product, @serial_number, @now, @hlc)`),
      touch: db.prepare(`UPDATE tickets SET updated_at = ?, version = version + 1, hlc = ? WHERE id = ?`),
      setStatus: db.prepare(`UPDATE tickets SET status = ? WHERE id = ?`),
      setPolicy: db.prepare(`UPDATE tickets SET policy = ? WHERE id = ?`),
      setEscalation: db.prepare(`UPDATE tickets SET escalation_level = ? WHERE id = ?`),
      insAttachment: db.prepare(
        `INSERT INTO attachments (id, ticket_id, event_id, sha256, size, mime, name, created_at, device_id, hlc) VALUES (@id, @ticket_id, @event_id, @sha256, @size, @mime, @name, @created_at, @device_id, @hlc)`,
      ),
      attachmentBySha: db.prepare(`SELECT sha256, size, mime, name, ticket_id FROM attachments WHERE sha256 = ? ORDER BY created_at LIMIT 1`),
      setAssignee: db.prepare(`UPDATE tickets SET assignee = ? WHERE id = ?`),
      setCallback: db.prepare(`UPDATE tickets SET next_callback_at = ? WHERE id = ?`),
      setSchedule: db.prepare(`UPDATE tickets SET next_due_at = ?, next_callback_at = ? WHERE id = ?`),
      setDue: db.prepare(`UPDATE tickets SET next_due_at = ? WHERE id = ?`),
      setWake: db.prepare(`UPDATE tickets SET next_wake_at = ? WHERE id = ?`),
      setFieldHlc: db.prepare(`UPDATE tickets SET field_hlc = ? WHERE id = ?`),
      wakeTimes: db.prepare(QUERIES.wakeTimes).raw(),
      update: db.prepare(
        `UPDATE tickets SET priority = @priority, title = @title, description = @description, customer_ref = @customer_ref, vendor_ref = @vendor_ref,
           reporter_name = @reporter_name, reporter_phone = @reporter_phone, intake = @intake WHERE id = @id`,
      ),
      queueFirst: db.prepare(QUERIES.queueFirst),
      queueAfter: db.prepare(QUERIES.queueAfter),
      byCustomer: db.prepare(QUERIES.byCustomer),
      byCustomerBefore: db.prepare(QUERIES.byCustomerBefore),
      byCaseNumber: db.prepare(QUERIES.byCaseNumber),
      byCustomerRef: db.prepare(QUERIES.byCustomerRef),
      bySerial: db.prepare(QUERIES.bySerial),
      callbacksDue: db.prepare(QUERIES.callbacksDue),
      search: db.prepare(QUERIES.search),
      byCaseNumberPart: db.prepare(QUERIES.byCaseNumberPart),
      events: db.prepare(QUERIES.events),
    };
  }

  /**
   * Registers a ticket: assigns its case number, writes the ticket, its
   * `created` event and the outbox mutation in ONE transaction. With an
   * `intakeId` already registered, returns that ticket and writes nothing.
   */
  register(input: RegisterTicketInput): Ticket {
    const v = parseInput(registerInput, input, 'ticket');
    return this.ctx.tx(() => {
      const first = v.intakeId ? (this.s.byIntake.get(v.intakeId) as Row | undefined) : undefined;
      if (first) {
        if (first.customer_id !== v.customerId || first.contract_id !== (v.contractId ?? null)) {
          throw new ValidationError(`intake ${v.intakeId as string} already registered case ${first.case_number as string} for another customer or contract`, 'ticket.intakeId');
        }
        return toTicket(first);
      }
      const now = this.ctx.clock.now();
      const at = v.at ?? now;
      checkCreatedAt(at, now);
      if (!this.s.customer.get(v.customerId)) throw new ValidationError(`customer ${v.customerId} does not exist`, 'ticket.customerId');
      let policy = v.policy ?? null;
      let contractRow: Row | undefined;
      if (v.contractId) {
        contractRow = this.s.contract.get(v.contractId) as Row | undefined;
        if (!contractRow) throw new ValidationError(`contract ${v.contractId} does not exist`, 'ticket.contractId');
        if (contractRow.customer_id !== v.customerId) throw new ValidationError(`contract ${contractRow.agreement_number as string} belongs to another customer`, 'ticket.contractId');
        const ps = parseJson<PolicySet>(contractRow.policy_set as string, { calendars: {}, policies: {} });
        policy ??= (contractRow.default_policy as string | null) ?? null;
        if (policy !== null && !Object.hasOwn(ps.policies, policy)) {
          throw new ValidationError(`policy "${policy}" is not in contract ${contractRow.agreement_number as string} (has: ${Object.keys(ps.policies).join(', ') || 'none'})`, 'ticket.policy');
        }
      }
      let siteAddress: string | null = null;
      if (v.siteId) {
        const site = this.s.site.get(v.siteId) as Row | undefined;
        if (!site) throw new ValidationError(`site ${v.siteId} does not exist`, 'ticket.siteId');
        if (site.customer_id !== v.customerId) throw new ValidationError(`site ${v.siteId} belongs to another customer`, 'ticket.siteId');
        siteAddress = (site.address as string | null) ?? null;
      }
      let assetId = v.assetId ?? null;
      let assetInfo = { product: null as string | null, serial: null as string | null };
      const hlc = this.ctx.hlc.now();
      if (assetId) {
        const a = this.s.asset.get(assetId) as Row | undefined;
        if (!a) throw new ValidationError(`asset ${assetId} does not exist`, 'ticket.assetId');
        if (a.customer_id !== v.customerId) throw new ValidationError(`asset ${assetId} belongs to another customer`, 'ticket.assetId');
        assetInfo = { product: (a.product as string | null) ?? null, serial: (a.serial_number as string | null) ?? null };
      } else if (v.asset && (v.asset.serialNumber || v.asset.product)) {
        const existing = v.asset.serialNumber ? (this.s.assetBySerial.get(v.customerId, v.asset.serialNumber) as Row | undefined) : undefined;
        if (existing) assetId = existing.id as string;
        else {
          const row = { id: this.ctx.newId(), customer_id: v.customerId, site_id: v.siteId ?? null, product: v.asset.product ?? null, serial_number: v.asset.serialNumber ?? null, now, hlc };
          this.s.insAsset.run(row);
          publishRecord(this.ctx, 'asset', row.id, hlc);
          assetId = row.id;
        }
        assetInfo = { product: v.asset.product ?? null, serial: v.asset.serialNumber ?? null };
      }
      if (contractRow) {
        const required = parseJson<IntakeField[]>(contractRow.intake_fields as string, []);
        const filled = filledIntake(v, siteAddress, assetInfo);
        const missing = required.filter((f) => !filled[f]);
        if (missing.length) {
          throw new ValidationError(`contract ${contractRow.agreement_number as string} requires ${missing.join(', ')}`, `ticket.intake.${missing[0] as string}`);
        }
      }
      const id = this.ctx.newId();
      const caseNumber = this.caseNumbers.next();
      const row = {
        id,
        case_number: caseNumber,
        customer_id: v.customerId,
        contract_id: v.contractId ?? null,
        site_id: v.siteId ?? null,
        asset_id: assetId,
        policy,
        priority: v.priority ?? null,
        channel: v.channel,
        assignee: v.assignee ?? null,
        title: v.title ?? null,
        description: v.description ?? null,
        reporter_name: v.reporterName ?? null,
        reporter_phone: v.reporterPhone ?? null,
        customer_ref: v.customerRef ?? null,
        vendor_ref: v.vendorRef ?? null,
        intake: json(v.intake),
        next_due_at: v.nextDueAt ?? null,
        next_callback_at: v.nextCallbackAt ?? null,
        created_at: at,
        created_by: this.ctx.deviceId(),
        hlc,
        intake_id: v.intakeId ?? null,
      };
      this.s.insTicket.run(row);
      const event = this.insertEvent(id, 'created', at, v.author ?? null, { policy }, hlc, now);
      this.indexTicketText(id, row);
      this.mutateCreate(row, event);
      return toTicket({ ...row, status: 'open', escalation_level: 0, updated_at: at, version: 1 });
    });
  }

  // ---- sync mutations (the shapes core/sync/mutations.ts defines; the server applies them) ----

  /** ticket.create@2, and the merged fields' HLCs as the server will record them. */
  private mutateCreate(row: Record<string, unknown>, created: TicketEvent): void {
    const payload: Record<string, unknown> = { ticketId: row.id, caseNumber: row.case_number, customerId: row.customer_id, channel: row.channel, createdAt: row.created_at, createdEventId: created.id };
    const fieldHlc: Record<string, string> = { status: created.hlc };
    for (const [key, col] of SYNC_CREATE_FIELDS) {
      if (row[col] == null) continue;
      payload[key] = row[col];
      if (key !== 'policy') fieldHlc[key] = created.hlc;
    }
    if (created.author) payload.author = created.author;
    // v2: the contract, site, asset and intake values, so other devices run the same SLA clock.
    for (const [key, col] of [['contractId', 'contract_id'], ['siteId', 'site_id'], ['assetId', 'asset_id']] as const) if (row[col] != null) payload[key] = row[col];
    const intake = parseJson<Record<string, string>>(row.intake as string, {});
    if (Object.keys(intake).length) payload.intake = intake;
    this.s.setFieldHlc.run(json(fieldHlc), row.id);
    this.ctx.mutate('ticket.create', 2, payload, created.hlc);
  }

  /** One ticket.event@1 per event (+ ticket.assign@1 for an assignment); `t` is the ticket row before the change. */
  private mutateEvents(t: Row, events: TicketEvent[]): void {
    const fieldHlc = parseJson<Record<string, string>>(t.field_hlc as string, {});
    const baseVersion = (t.server_version as number | undefined) ?? 0;
    for (const e of events) {
      const event: Record<string, unknown> = { id: e.id, type: e.type, at: e.at, data: e.data };
      if (e.author) event.author = e.author;
      this.ctx.mutate('ticket.event', 1, { ticketId: e.ticketId, event, baseVersion }, e.hlc);
      if (e.type === 'status') fieldHlc.status = e.hlc;
      if (e.type === 'policy_changed') fieldHlc.policy = e.hlc;
      if (e.type === 'assigned') {
        const h = this.ctx.hlc.now();
        this.ctx.mutate('ticket.assign', 1, { ticketId: e.ticketId, assignee: (e.data.assignee as string | null | undefined) ?? null }, h);
        fieldHlc.assignee = h;
      }
    }
    this.s.setFieldHlc.run(json(fieldHlc), t.id);
  }

  /** ticket.edit@1 per changed text field (based on the field's HLC) and ticket.setPriority@1. */
  private mutateEdits(t: Row, before: Ticket, after: Record<string, unknown>): void {
    const fieldHlc = parseJson<Record<string, string>>(t.field_hlc as string, {});
    for (const [field, col] of SYNC_EDIT_FIELDS) {
      const value = (after[col] as string | null) ?? null;
      if (value === before[field]) continue;
      const h = this.ctx.hlc.now();
      this.ctx.mutate('ticket.edit', 1, { ticketId: t.id, field, value, baseHlc: fieldHlc[field] ?? null }, h);
      fieldHlc[field] = h;
    }
    if (((after.priority as string | null) ?? null) !== before.priority) {
      const h = this.ctx.hlc.now();
      this.ctx.mutate('ticket.setPriority', 1, { ticketId: t.id, priority: (after.priority as string | null) ?? null }, h);
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
      this.ctx.mutate('ticket.setIntake', 1, { ticketId: t.id, values }, h);
      for (const k of Object.keys(values)) fieldHlc[`intake.${k}`] = h;
    }
    this.s.setFieldHlc.run(json(fieldHlc), t.id);
  }

  private insertEvent(ticketId: string, type: EventType, at: number, author: string | null, data: unknown, hlc: string, now: number): TicketEvent {
    const row = { id: this.ctx.newId(), ticket_id: ticketId, type, at, recorded_at: now, author, data: json(data), device_id: this.ctx.deviceId(), hlc };
    this.s.insEvent.run(row);
    return toEvent(row);
  }

  private indexTicketText(id: string, row: { title: string | null; description: string | null; reporter_name: string | null; customer_ref: string | null }): void {
    const body = ticketSearchText({ title: row.title, description: row.description, reporterName: row.reporter_name, customerRef: row.customer_ref });
    if (body) this.s.insFts.run(body, id, 'ticket');
  }

  private requireTicket(id: string): Row {
    const t = this.s.get.get(id) as Row | undefined;
    if (!t) throw new NotFoundError(`ticket ${id} does not exist`);
    return t;
  }

  /**
   * Appends an event (and applies what it changes on the ticket: status,
   * policy, escalation level, assignee, next callback), with its outbox
   * mutation, in one transaction. Returns the stored event(s): a callback that
   * counts as an update also writes an `update_logged` event.
   */
  appendEvent(ticketId: string, input: AppendEventInput): TicketEvent[] {
    const type = (input as { type?: unknown }).type;
    if (typeof type !== 'string' || !(type in eventData) || type === 'created' || type === 'edited') {
      throw new ValidationError(`unknown event type "${String(type)}" (allowed: ${EVENT_TYPES.filter((t) => t !== 'created' && t !== 'edited').join(', ')})`, 'event.type');
    }
    const schema = eventData[type as EventType];
    const data = parseInput(schema, input.data, 'event.data') as Record<string, unknown>;
    if (input.at !== undefined) parseInput(instant, input.at, 'event.at');
    return this.ctx.tx(() => {
      const t = this.requireTicket(ticketId);
      const now = this.ctx.clock.now();
      const at = input.at ?? now;
      const author = input.author ?? null;
      checkEnteredInstants(type, at, data, t.created_at as number, now);
      if (type === 'policy_changed' && t.contract_id) {
        const c = this.s.contract.get(t.contract_id) as Row;
        const ps = parseJson<PolicySet>(c.policy_set as string, { calendars: {}, policies: {} });
        if (!Object.hasOwn(ps.policies, data.policy as string)) throw new ValidationError(`policy "${String(data.policy)}" is not in contract ${c.agreement_number as string}`, 'event.data.policy');
      }
      const hlc = this.ctx.hlc.now();
      const out: TicketEvent[] = [this.insertEvent(ticketId, type as EventType, at, author, data, hlc, now)];
      switch (type) {
        case 'status':
          this.s.setStatus.run(data.status, ticketId);
          break;
        case 'policy_changed':
          this.s.setPolicy.run(data.policy, ticketId);
          break;
        case 'escalation':
          this.s.setEscalation.run(data.level, ticketId);
          break;
        case 'assigned':
          this.s.setAssignee.run(data.assignee ?? null, ticketId);
          break;
        case 'callback':
          if (data.nextCallbackAt !== undefined) this.s.setCallback.run(data.nextCallbackAt ?? null, ticketId);
          if (data.countsAsUpdate) out.push(this.insertEvent(ticketId, 'update_logged', at, author, { text: null }, this.ctx.hlc.now(), now));
          break;
        case 'photo':
          // The attachment's metadata, linked to its event (the bytes live in <dataDir>/attachments/<sha256>).
          this.s.insAttachment.run({ id: this.ctx.newId(), ticket_id: ticketId, event_id: out[0]?.id ?? null, sha256: data.sha256, size: data.size, mime: data.mime, name: data.name, created_at: now, device_id: this.ctx.deviceId(), hlc });
          break;
      }
      if ((type === 'note' || type === 'callback') && typeof data.text === 'string') this.s.insFts.run(foldForSearch(data.text), ticketId, out[0]?.id ?? '');
      this.s.touch.run(now, hlc, ticketId);
      this.mutateEvents(t, out);
      return out;
    });
  }

  /** The metadata of an attachment stored by content hash (the first one recorded), or null. */
  attachment(sha256: string): { sha256: string; size: number; mime: string; name: string; ticketId: string } | null {
    const r = this.s.attachmentBySha.get(sha256) as { sha256: string; size: number; mime: string; name: string; ticket_id: string } | undefined;
    return r ? { sha256: r.sha256, size: r.size, mime: r.mime, name: r.name, ticketId: r.ticket_id } : null;
  }

  /** Edits the ticket's descriptive fields; recorded as an `edited` event. */
  update(ticketId: string, patch: UpdateTicketInput, author?: string | null): Ticket {
    const v = parseInput(updateInput, patch, 'ticket');
    return this.ctx.tx(() => {
      const t = toTicket(this.requireTicket(ticketId));
      const next = {
        id: ticketId,
        priority: v.priority !== undefined ? v.priority : t.priority,
        title: v.title !== undefined ? v.title : t.title,
        description: v.description !== undefined ? v.description : t.description,
        customer_ref: v.customerRef !== undefined ? v.customerRef : t.customerRef,
        vendor_ref: v.vendorRef !== undefined ? v.vendorRef : t.vendorRef,
        reporter_name: v.reporterName !== undefined ? v.reporterName : t.reporterName,
        reporter_phone: v.reporterPhone !== undefined ? v.reporterPhone : t.reporterPhone,
        intake: json(v.intake ?? t.intake),
      };
      this.s.update.run(next);
      const now = this.ctx.clock.now();
      const hlc = this.ctx.hlc.now();
      const ev = this.insertEvent(ticketId, 'edited', now, author ?? null, { fields: v }, hlc, now);
      if (searchFieldsChanged(t, { title: next.title, description: next.description, reporterName: next.reporter_name, customerRef: next.customer_ref })) {
        this.s.delFtsTicket.run(ticketId);
        this.indexTicketText(ticketId, next);
      }
      this.s.touch.run(now, hlc, ticketId);
      this.mutateEvents(this.requireTicket(ticketId), [ev]);
      this.mutateEdits(this.requireTicket(ticketId), t, next);
      return this.get(ticketId) as Ticket;
    });
  }

  /**
   * Stores the denormalised schedule computed by the SLA engine (derived
   * state: each device computes it from the events, so it is not synced).
   */
  setSchedule(ticketId: string, schedule: { nextDueAt?: number | null; nextCallbackAt?: number | null }): void {
    const v = parseInput(z.object({ nextDueAt: instant.nullish(), nextCallbackAt: instant.nullish() }).strict(), schedule, 'schedule');
    const t = this.requireTicket(ticketId);
    this.s.setSchedule.run(
      v.nextDueAt !== undefined ? v.nextDueAt : (t.next_due_at ?? null),
      v.nextCallbackAt !== undefined ? v.nextCallbackAt : (t.next_callback_at ?? null),
      ticketId,
    );
  }

  /** Sets many next_due_at values in one transaction (the SLA engine's periodic refresh). */
  /** Stores the alert scheduler's next instant per ticket (tickets.next_wake_at). */
  setWakeMany(items: { ticketId: string; wakeAt: number | null }[]): number {
    return this.ctx.tx(() => {
      let n = 0;
      for (const it of items) n += this.s.setWake.run(it.wakeAt, it.ticketId).changes;
      return n;
    });
  }

  /**
   * Every ticket the scheduler must watch, with its stored next instant: those
   * not resolved or closed. A null instant (never planned) is returned as 0, so
   * the scheduler plans it at once.
   */
  wakeTimes(): Array<[string, number]> {
    return (this.s.wakeTimes.all() as Array<[string, number | null]>).map(([id, at]) => [id, at ?? 0]);
  }

  setNextDueMany(items: { ticketId: string; nextDueAt: number | null }[]): number {
    return this.ctx.tx(() => {
      let n = 0;
      for (const it of items) n += this.s.setDue.run(it.nextDueAt, it.ticketId).changes;
      return n;
    });
  }

  get(id: string): Ticket | null {
    const r = this.s.get.get(id) as Row | undefined;
    return r ? toTicket(r) : null;
  }

  events(ticketId: string): TicketEvent[] {
    return (this.s.events.all(ticketId) as Row[]).map(toEvent);
  }

  /** Open tickets (open / waiting_*), earliest next deadline first; tickets without one last. Keyset paging. */
  queue(opts: { limit?: number; after?: QueueCursor | null } = {}): Page<Ticket, QueueCursor> {
    const limit = clampLimit(opts.limit ?? 50);
    const rows = (opts.after ? this.s.queueAfter.all({ due: opts.after.dueKey, id: opts.after.id, limit }) : this.s.queueFirst.all(limit)) as Row[];
    const last = rows[rows.length - 1];
    return { items: rows.map(toTicket), next: rows.length === limit && last ? { dueKey: last.due_key as number, id: last.id as string } : null };
  }

  /**
   * The open queue narrowed by contract, priority, status and/or assignee
   * (same order and cursor as queue()). Walks the tickets_queue index and
   * filters (no index per filter yet: see docs/desk.md).
   */
  queueFiltered(filter: QueueFilterInput, opts: { limit?: number; after?: QueueCursor | null } = {}): Page<Ticket, QueueCursor> {
    const f = parseInput(queueFilterInput, filter, 'filter');
    const limit = clampLimit(opts.limit ?? 50);
    const where: string[] = [];
    const params: Record<string, unknown> = { limit };
    if (f.contractId) (where.push('t.contract_id = @contract'), (params.contract = f.contractId));
    if (f.priority) (where.push('t.priority = @priority'), (params.priority = f.priority));
    if (f.status) (where.push('t.status = @status'), (params.status = f.status));
    if (f.assignee) (where.push('t.assignee = @assignee'), (params.assignee = f.assignee));
    if (opts.after) {
      where.push(`ifnull(t.next_due_at, ${NO_DEADLINE}) >= @due AND (ifnull(t.next_due_at, ${NO_DEADLINE}) > @due OR t.id > @id)`);
      params.due = opts.after.dueKey;
      params.id = opts.after.id;
    }
    const key = where.join(' AND ');
    let stmt = this.filtered.get(key);
    if (!stmt) {
      stmt = this.ctx.db.prepare(queueFilteredSql(where));
      this.filtered.set(key, stmt);
    }
    const rows = stmt.all(params) as Row[];
    const last = rows[rows.length - 1];
    return { items: rows.map(toTicket), next: rows.length === limit && last ? { dueKey: last.due_key as number, id: last.id as string } : null };
  }

  /** The people known on this device: every assignee and every author of a ticket event, by name. */
  people(limit = 500): string[] {
    const sql = `SELECT v FROM (SELECT assignee AS v FROM tickets WHERE assignee IS NOT NULL UNION SELECT author FROM ticket_events WHERE author IS NOT NULL)
                 WHERE trim(v) <> '' ORDER BY v COLLATE NOCASE LIMIT ?`;
    return (this.ctx.db.prepare(sql).all(clampLimit(limit)) as { v: string }[]).map((r) => r.v);
  }

  /** Distinct assignees and priorities of open tickets (for the queue's filter lists). */
  queueFacets(): { assignees: string[]; priorities: string[] } {
    const col = (c: string) =>
      (this.ctx.db.prepare(`SELECT DISTINCT ${c} AS v FROM tickets WHERE status IN ('open','waiting_on_customer','waiting_on_vendor') AND ${c} IS NOT NULL ORDER BY 1 LIMIT 200`).all() as { v: string }[]).map((r) => r.v);
    return { assignees: col('assignee'), priorities: col('priority') };
  }

  /** A customer's tickets, newest first. */
  byCustomer(customerId: string, opts: { limit?: number; before?: { createdAt: number; id: string } | null } = {}): Page<Ticket, { createdAt: number; id: string }> {
    const limit = clampLimit(opts.limit ?? 50);
    const rows = (opts.before ? this.s.byCustomerBefore.all(customerId, opts.before.createdAt, opts.before.id, limit) : this.s.byCustomer.all(customerId, limit)) as Row[];
    const items = rows.map(toTicket);
    const last = items[items.length - 1];
    return { items, next: items.length === limit && last ? { createdAt: last.createdAt, id: last.id } : null };
  }

  /** Looks a ticket up by case number as typed or heard (aliases, case, spacing forgiven); a wrong check character is a ValidationError. */
  byCaseNumber(input: string): Ticket | null {
    let canonical: string;
    try {
      canonical = parseCaseNumber(input).canonical;
    } catch (e) {
      if (e instanceof CaseNumberError) throw new ValidationError(e.message, 'caseNumber');
      throw e;
    }
    const r = this.s.byCaseNumber.get(canonical) as Row | undefined;
    return r ? toTicket(r) : null;
  }

  byCustomerRef(ref: string, limit = 20): Ticket[] {
    return (this.s.byCustomerRef.all(ref.trim(), clampLimit(limit)) as Row[]).map(toTicket);
  }

  bySerialNumber(serial: string, limit = 20): Ticket[] {
    return (this.s.bySerial.all(serial.trim(), clampLimit(limit)) as Row[]).map(toTicket);
  }

  /** Tickets whose callback is due at or before `t`, earliest first. */
  callbacksDue(t: number, limit = 100): Ticket[] {
    parseInput(instant, t, 't');
    return (this.s.callbacksDue.all(t, clampLimit(limit)) as Row[]).map(toTicket);
  }

  /** Tickets whose case number contains `part` (at least 3 symbols; hyphens and spaces ignored, case-insensitive). */
  byCaseNumberPart(part: string, limit = 20): Ticket[] {
    const p = part.replace(/[\s-]/g, '').toUpperCase();
    if (p.length < 3 || !/^[0-9A-Z]+$/.test(p)) return [];
    return (this.s.byCaseNumberPart.all(containsPattern(p), clampLimit(limit)) as Row[]).map(toTicket);
  }

  /** Full-text search over titles, descriptions, reporters, customer references, notes and callbacks; best match first, one hit per ticket. */
  search(query: string, limit = 20): SearchHit[] {
    const q = toFtsQuery(query);
    if (!q) return [];
    const lim = clampLimit(limit);
    const rows = this.s.search.all(q, lim * 4) as { ticket_id: string; source: string }[];
    const seen = new Set<string>();
    const hits: SearchHit[] = [];
    for (const r of rows) {
      if (seen.has(r.ticket_id)) continue;
      seen.add(r.ticket_id);
      const t = this.get(r.ticket_id);
      if (t) hits.push({ ticket: t, source: r.source });
      if (hits.length >= lim) break;
    }
    return hits;
  }
}

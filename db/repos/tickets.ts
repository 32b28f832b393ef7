/**
 * Tickets and their append-only event log: registration, events and edits, each with its outbox
 * mutations in one transaction. The parts: input schemas (ticket-schemas.ts), rows (ticket-rows.ts),
 * lists and look-ups (ticket-queries.ts), sync mutations (ticket-outbox.ts), the derived schedule
 * (ticket-schedule.ts), the checks of what a ticket refers to (ticket-refs.ts); this class is their one face (`store.tickets.*`).
 */
import type { CaseNumberAllocator } from '../case-numbers.js';
import type { Ctx } from '../context.js';
import { json } from '../context.js';
import { ValidationError } from '../errors.js';
import { foldForSearch, searchFieldsChanged, ticketSearchText } from '../search.js';
import type { Contract } from './customers.js';
import { checkCreatedAt, checkEnteredInstants } from './event-instants.js';
import { TicketOutbox } from './ticket-outbox.js';
import { TicketRefs } from './ticket-refs.js';
import { TicketQueries } from './ticket-queries.js';
import type { HandoverLists } from './ticket-queries.js';
import { requireTicketRow, toEvent, toTicket } from './ticket-rows.js';
import type { Page, QueueCursor, Row, SearchHit, Ticket, TicketEvent } from './ticket-rows.js';
import { TicketSchedule } from './ticket-schedule.js';
import { EVENT_TYPES, eventData } from './ticket-schemas.js';
import type { AppendEventInput, EventType, QueueFilterInput, RegisterTicketInput, ScheduleInput, UpdateTicketInput } from './ticket-schemas.js';

export { CHANNELS, EVENT_TYPES, OPEN_STATUSES, STATUSES, eventData, queueFilterInput, registerInput, updateInput } from './ticket-schemas.js';
export type {
  AppendEventInput,
  Channel,
  EventData,
  EventType,
  QueueFilterInput,
  RegisterTicketInput,
  ScheduleInput,
  SlaSummary,
  StoredTarget,
  TicketStatus,
  UpdateTicketInput,
} from './ticket-schemas.js';
export type { Page, QueueCursor, SearchHit, Ticket, TicketEvent } from './ticket-rows.js';
export { NO_DEADLINE, QUERIES, queueFilteredSql } from './ticket-queries.js';

export class TicketsRepo {
  private readonly s;
  private readonly queries: TicketQueries;
  private readonly schedule: TicketSchedule;
  private readonly outbox: TicketOutbox;
  private readonly refs: TicketRefs;
  constructor(
    private readonly ctx: Ctx,
    private readonly caseNumbers: CaseNumberAllocator,
    /** The contract as `store.customers.getContract` answers it (for `slaInputs`). */
    private readonly contractOf: (id: string) => Contract | null = () => null,
  ) {
    const db = ctx.db;
    this.queries = new TicketQueries(ctx);
    this.schedule = new TicketSchedule(ctx);
    this.outbox = new TicketOutbox(ctx);
    this.refs = new TicketRefs(ctx);
    this.s = {
      get: db.prepare(`SELECT * FROM tickets WHERE id = ?`),
      insTicket: db.prepare(
        `INSERT INTO tickets (id, case_number, customer_id, contract_id, site_id, asset_id, policy, status, priority, channel, assignee, title, description,
           reporter_name, reporter_phone, customer_ref, vendor_ref, intake, next_due_at, next_callback_at, sla_summary, created_at, updated_at, created_by, hlc, intake_id)
         VALUES (@id, @case_number, @customer_id, @contract_id, @site_id, @asset_id, @policy, 'open', @priority, @channel, @assignee, @title, @description,
           @reporter_name, @reporter_phone, @customer_ref, @vendor_ref, @intake, @next_due_at, @next_callback_at, @sla_summary, @created_at, @created_at, @created_by, @hlc, @intake_id)`,
      ),
      byIntake: db.prepare(`SELECT * FROM tickets WHERE intake_id = ?`),
      insEvent: db.prepare(
        `INSERT INTO ticket_events (id, ticket_id, type, at, recorded_at, author, data, device_id, hlc) VALUES (@id, @ticket_id, @type, @at, @recorded_at, @author, @data, @device_id, @hlc)`,
      ),
      insFts: db.prepare(`INSERT INTO search_fts (body, ticket_id, source) VALUES (?, ?, ?)`),
      delFtsTicket: db.prepare(`DELETE FROM search_fts WHERE rowid IN (SELECT rowid FROM search_fts WHERE source = 'ticket' AND ticket_id = ?)`),
      touch: db.prepare(`UPDATE tickets SET updated_at = ?, version = version + 1, hlc = ? WHERE id = ?`),
      setStatus: db.prepare(`UPDATE tickets SET status = ? WHERE id = ?`),
      setPolicy: db.prepare(`UPDATE tickets SET policy = ? WHERE id = ?`),
      setEscalation: db.prepare(`UPDATE tickets SET escalation_level = ? WHERE id = ?`),
      insAttachment: db.prepare(
        `INSERT INTO attachments (id, ticket_id, event_id, sha256, size, mime, name, created_at, device_id, hlc) VALUES (@id, @ticket_id, @event_id, @sha256, @size, @mime, @name, @created_at, @device_id, @hlc)`,
      ),
      setAssignee: db.prepare(`UPDATE tickets SET assignee = ? WHERE id = ?`),
      setCallback: db.prepare(`UPDATE tickets SET next_callback_at = ? WHERE id = ?`),
      update: db.prepare(
        `UPDATE tickets SET priority = @priority, title = @title, description = @description, customer_ref = @customer_ref, vendor_ref = @vendor_ref,
           reporter_name = @reporter_name, reporter_phone = @reporter_phone, intake = @intake WHERE id = @id`,
      ),
    };
  }

  /**
   * Registers a ticket: assigns its case number, writes the ticket, its
   * `created` event and the outbox mutation in ONE transaction. With an
   * `intakeId` already registered, returns that ticket and writes nothing.
   */
  register(v: RegisterTicketInput): Ticket {
    return this.ctx.tx(() => {
      const first = v.intakeId ? (this.s.byIntake.get(v.intakeId) as Row | undefined) : undefined;
      if (first) {
        if (first.customer_id !== v.customerId || first.contract_id !== (v.contractId ?? null)) {
          throw new ValidationError(`intake ${v.intakeId as string} already registered case ${first.case_number as string} for another customer or contract`, 'ticket.intakeId');
        }
        return toTicket(first);
      }
      const same = v.id ? (this.s.get.get(v.id) as Row | undefined) : undefined;
      if (same) return toTicket(same);
      const now = this.ctx.clock.now();
      const at = v.at ?? now;
      checkCreatedAt(at, now);
      const { policy, assetId, hlc } = this.refs.registration(v, now);
      const id = v.id ?? this.ctx.newId();
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
        intake: json(v.intake ?? {}),
        next_due_at: v.nextDueAt ?? null,
        next_callback_at: v.nextCallbackAt ?? null,
        sla_summary: v.sla ? json(v.sla) : null,
        created_at: at,
        created_by: this.ctx.deviceId(),
        hlc,
        intake_id: v.intakeId ?? null,
      };
      this.s.insTicket.run(row);
      const event = this.insertEvent(id, 'created', at, v.author ?? null, { policy }, hlc, now, v.createdEventId);
      this.indexTicketText(id, row);
      this.outbox.mutateCreate(row, event);
      return toTicket({ ...row, status: 'open', escalation_level: 0, updated_at: at, version: 1 });
    });
  }

  private insertEvent(ticketId: string, type: EventType, at: number, author: string | null, data: unknown, hlc: string, now: number, id?: string): TicketEvent {
    const row = { id: id ?? this.ctx.newId(), ticket_id: ticketId, type, at, recorded_at: now, author, data: json(data), device_id: this.ctx.deviceId(), hlc };
    this.s.insEvent.run(row);
    return toEvent(row);
  }

  private indexTicketText(id: string, row: { title: string | null; description: string | null; reporter_name: string | null; customer_ref: string | null }): void {
    const body = ticketSearchText({ title: row.title, description: row.description, reporterName: row.reporter_name, customerRef: row.customer_ref });
    if (body) this.s.insFts.run(body, id, 'ticket');
  }

  private requireTicket(id: string): Row {
    return requireTicketRow(this.s.get, id);
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
    const data = input.data as Record<string, unknown>;
    return this.ctx.tx(() => {
      const t = this.requireTicket(ticketId);
      const now = this.ctx.clock.now();
      const at = input.at ?? now;
      const author = input.author ?? null;
      checkEnteredInstants(type, at, data, t.created_at as number, now);
      if (type === 'policy_changed' && t.contract_id) this.refs.checkPolicyChange(t.contract_id as string, data.policy);
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
          this.s.insAttachment.run({
            id: this.ctx.newId(),
            ticket_id: ticketId,
            event_id: out[0]?.id ?? null,
            sha256: data.sha256,
            size: data.size,
            mime: data.mime,
            name: data.name,
            created_at: now,
            device_id: this.ctx.deviceId(),
            hlc,
          });
          break;
      }
      if ((type === 'note' || type === 'callback') && typeof data.text === 'string') this.s.insFts.run(foldForSearch(data.text), ticketId, out[0]?.id ?? '');
      this.s.touch.run(now, hlc, ticketId);
      this.outbox.mutateEvents(t, out);
      return out;
    });
  }

  /** Edits the ticket's descriptive fields; recorded as an `edited` event. */
  update(ticketId: string, v: UpdateTicketInput, author?: string | null): Ticket {
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
      this.outbox.mutateEvents(this.requireTicket(ticketId), [ev]);
      this.outbox.mutateEdits(this.requireTicket(ticketId), t, next);
      return toTicket(this.requireTicket(ticketId));
    });
  }

  // ---- reads (ticket-queries.ts) and the schedule (ticket-schedule.ts) ----

  get(id: string): Ticket | null {
    return this.queries.get(id);
  }

  events(ticketId: string): TicketEvent[] {
    return this.queries.events(ticketId);
  }

  /**
   * What the SLA of one ticket is computed from, in ONE call (one worker round trip): the ticket, its events, its
   * contract (null: none, or not on this device) and its customer's name (an alert's pop-up names it). Null: no such ticket.
   */
  slaInputs(id: string): { ticket: Ticket; events: TicketEvent[]; contract: Contract | null; customer: string | null } | null {
    const ticket = this.queries.get(id);
    if (!ticket) return null;
    return { ticket, events: this.queries.events(id), contract: ticket.contractId ? this.contractOf(ticket.contractId) : null, customer: this.queries.customerName(ticket.customerId) };
  }

  /** The metadata of an attachment stored by content hash (the first one recorded), or null. */
  attachment(sha256: string): { sha256: string; size: number; mime: string; name: string; ticketId: string } | null {
    return this.queries.attachment(sha256);
  }

  /** Open tickets, earliest next deadline first; tickets without one last. Keyset paging. */
  queue(opts: { limit?: number; after?: QueueCursor | null } = {}): Page<Ticket, QueueCursor> {
    return this.queries.queue(opts);
  }

  /** The open queue narrowed by contract, priority, status and/or assignee. */
  queueFiltered(filter: QueueFilterInput, opts: { limit?: number; after?: QueueCursor | null } = {}): Page<Ticket, QueueCursor> {
    return this.queries.queueFiltered(filter, opts);
  }

  /** The people known on this device: every assignee and every author of a ticket event, by name. */
  people(limit = 500): string[] {
    return this.queries.people(limit);
  }

  /** Distinct assignees and priorities of open tickets (for the queue's filter lists). */
  queueFacets(): { assignees: string[]; priorities: string[] } {
    return this.queries.queueFacets();
  }

  /** A customer's tickets, newest first. */
  byCustomer(customerId: string, opts: { limit?: number; before?: { createdAt: number; id: string } | null } = {}): Page<Ticket, { createdAt: number; id: string }> {
    return this.queries.byCustomer(customerId, opts);
  }

  /** Looks a ticket up by case number as typed or heard; a wrong check character is a ValidationError. */
  byCaseNumber(input: string): Ticket | null {
    return this.queries.byCaseNumber(input);
  }

  byCustomerRef(ref: string, limit = 20): Ticket[] {
    return this.queries.byCustomerRef(ref, limit);
  }

  bySerialNumber(serial: string, limit = 20): Ticket[] {
    return this.queries.bySerialNumber(serial, limit);
  }

  /** Tickets whose callback is due at or before `t`, earliest first. */
  callbacksDue(t: number, limit = 100): Ticket[] {
    return this.queries.callbacksDue(t, limit);
  }

  /** The handover's lists: the first `limit` open tickets of `priority` and callbacks in [from, to), each with its count. */
  handover(priority: string, from: number, to: number, limit: number): HandoverLists {
    return this.queries.handover(priority, from, to, limit);
  }

  /** Tickets whose case number contains `part` (at least 3 symbols). */
  byCaseNumberPart(part: string, limit = 20): Ticket[] {
    return this.queries.byCaseNumberPart(part, limit);
  }

  /** Full-text search; best match first, one hit per ticket. */
  search(query: string, limit = 20): SearchHit[] {
    return this.queries.search(query, limit);
  }

  /** Stores the schedule and SLA summary computed by the SLA engine (derived state, not synced). */
  setSchedule(ticketId: string, schedule: ScheduleInput): void {
    this.schedule.setSchedule(ticketId, schedule);
  }

  /** Stores the alert scheduler's next instant per ticket (tickets.next_wake_at). */
  setWakeMany(items: { ticketId: string; wakeAt: number | null }[]): number {
    return this.schedule.setWakeMany(items);
  }

  /** Every ticket the scheduler must watch (not resolved or closed), with its stored next instant (0: never planned). */
  wakeTimes(): Array<[string, number]> {
    return this.schedule.wakeTimes();
  }

  /** Open tickets never planned or changed since (the scheduler's start), by id after `afterId`. */
  unplannedWakes(afterId: string | null, limit: number): string[] {
    return this.schedule.unplannedWakes(afterId, limit);
  }

  /** Marks every open ticket to be planned again (unplannedWakes lists them until planned). */
  replanAll(): number {
    return this.schedule.replanAll();
  }

  /** Stored next instants in order after the cursor, a page at a time (the scheduler's window). */
  wakePage(after: { at: number; id: string } | null, limit: number): Array<[string, number]> {
    return this.schedule.wakePage(after, limit);
  }

  /** Sets many next_due_at values in one transaction (the SLA engine's periodic refresh). */
  setNextDueMany(items: { ticketId: string; nextDueAt: number | null }[]): number {
    return this.schedule.setNextDueMany(items);
  }
}

/** The ticket lists and look-ups: the open queue (keyset paging), by customer, case number, reference or serial, callbacks due, search. */
import type BetterSqlite3 from 'better-sqlite3';
import { CaseNumberError, parseCaseNumber } from '../../core/ids/case-number.js';
import type { Ctx } from '../context.js';
import { ValidationError } from '../errors.js';
import { containsPattern, toFtsQuery } from '../search.js';
import { clampLimit } from '../paging.js';
import { CLOSED_STATUSES_SQL as CLOSED, OPEN_STATUSES_SQL as OPEN, SQL_OPEN_STATUSES, forSqlite, sql, sqlId, sqlJoin, sqlNumber } from '../sql.js';
import type { Sql } from '../sql.js';
import { TICKET_COLS, toEvent, toTicket } from './ticket-rows.js';
import type { Page, QueueCursor, Row, SearchHit, Ticket, TicketEvent } from './ticket-rows.js';
import type { QueueFilterInput } from './ticket-schemas.js';

/** Sort key of tickets without a deadline: after every real instant. */
export const NO_DEADLINE = 9007199254740991;

/** The SQL of the queries the app runs (exported so tests can EXPLAIN them). */
export const QUERIES = {
  queueFirst: `SELECT ${TICKET_COLS}, ifnull(t.next_due_at, ${NO_DEADLINE}) AS due_key FROM tickets t
    WHERE t.status IN (${OPEN})
    ORDER BY ifnull(t.next_due_at, ${NO_DEADLINE}), t.id LIMIT ?`,
  queueAfter: `SELECT ${TICKET_COLS}, ifnull(t.next_due_at, ${NO_DEADLINE}) AS due_key FROM tickets t
    WHERE t.status IN (${OPEN})
      AND ifnull(t.next_due_at, ${NO_DEADLINE}) >= @due
      AND (ifnull(t.next_due_at, ${NO_DEADLINE}) > @due OR t.id > @id)
    ORDER BY ifnull(t.next_due_at, ${NO_DEADLINE}), t.id LIMIT @limit`,
  byCustomer: `SELECT ${TICKET_COLS} FROM tickets t WHERE t.customer_id = ? ORDER BY t.created_at DESC, t.id DESC LIMIT ?`,
  byCustomerBefore: `SELECT ${TICKET_COLS} FROM tickets t WHERE t.customer_id = ? AND (t.created_at, t.id) < (?, ?) ORDER BY t.created_at DESC, t.id DESC LIMIT ?`,
  byCaseNumber: `SELECT ${TICKET_COLS} FROM tickets t WHERE t.case_number = ?`,
  byCustomerRef: `SELECT ${TICKET_COLS} FROM tickets t WHERE t.customer_ref = ? COLLATE NOCASE ORDER BY t.created_at DESC LIMIT ?`,
  bySerial: `SELECT ${TICKET_COLS} FROM assets a JOIN tickets t ON t.asset_id = a.id WHERE a.serial_number = ? COLLATE NOCASE ORDER BY t.created_at DESC LIMIT ?`,
  callbacksDue: `SELECT ${TICKET_COLS} FROM tickets t WHERE t.next_callback_at IS NOT NULL AND t.next_callback_at <= ? ORDER BY t.next_callback_at LIMIT ?`,
  /** How many open tickets have this priority (the handover's count; tickets_queue_priority). */
  openOfPriorityCount: `SELECT count(*) AS n FROM tickets t WHERE t.status IN (${OPEN}) AND t.priority = ?`,
  /** Callbacks in [from, to), earliest first, and how many (the handover's shift; tickets_callback). */
  callbacksIn: `SELECT ${TICKET_COLS} FROM tickets t WHERE t.next_callback_at IS NOT NULL AND t.next_callback_at >= ? AND t.next_callback_at < ? ORDER BY t.next_callback_at LIMIT ?`,
  callbacksInCount: `SELECT count(*) AS n FROM tickets t WHERE t.next_callback_at IS NOT NULL AND t.next_callback_at >= ? AND t.next_callback_at < ?`,
  search: `SELECT ticket_id, source FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid DESC LIMIT ?`,
  /** Case numbers containing what was typed ("0003"): a scan of the case-number index only, newest first. */
  byCaseNumberPart: `SELECT ${TICKET_COLS} FROM tickets t WHERE t.rowid IN (SELECT rowid FROM tickets WHERE case_number LIKE ? ESCAPE '\\' LIMIT ?) ORDER BY t.created_at DESC`,
  /** A ticket's timeline; events whose sync mutation the server refused are left out (they are listed as rejected). */
  events: `SELECT e.*, r.received_at, r.device_name, r.device_id AS sent_by FROM ticket_events e LEFT JOIN sync_event_receipts r ON r.event_id = e.id
    WHERE e.ticket_id = ? AND e.id NOT IN (SELECT event_id FROM sync_rejected_events) ORDER BY e.at, e.hlc`,
  wakeTimes: `SELECT id, next_wake_at, wake_planned FROM tickets WHERE status NOT IN (${CLOSED})`,
  /** The scheduler's start: open tickets to plan now (the tickets_wake_unplanned index), by id. */
  wakeUnplanned: `SELECT id FROM tickets WHERE wake_planned = 0 AND status NOT IN (${CLOSED}) AND id > ? ORDER BY id LIMIT ?`,
  /** The scheduler's next page of stored instants (the tickets_wake index), keyset after (instant, id). */
  wakePage: `SELECT id, next_wake_at FROM tickets WHERE status NOT IN (${CLOSED}) AND next_wake_at IS NOT NULL
    AND (next_wake_at, id) > (?, ?) ORDER BY next_wake_at, id LIMIT ?`,
} as const;

/** A ticket's place in the queue (the tickets_queue* indexes are on this expression, so it is literal). */
const DUE_KEY = sql`ifnull(t.next_due_at, ${sqlNumber(NO_DEADLINE)})`;

/** Queue conditions: a filter, or the keyset cursor (after `after` in deadline order). */
export const QUEUE_WHERE = {
  contract: (id: string): Sql => sql`t.contract_id = ${id}`,
  priority: (p: string): Sql => sql`t.priority = ${p}`,
  status: (s: string): Sql => sql`t.status = ${s}`,
  assignee: (a: string): Sql => sql`t.assignee = ${a}`,
  after: (c: QueueCursor): Sql => sql`${DUE_KEY} >= ${c.dueKey} AND (${DUE_KEY} > ${c.dueKey} OR t.id > ${c.id})`,
};

/** A filtered queue page; `where` are extra conditions (exported so tests can EXPLAIN it). */
export function queueFilteredSql(where: Sql[], limit: number): Sql {
  return sql`SELECT t.*, ${DUE_KEY} AS due_key FROM tickets t
    WHERE t.status IN (${SQL_OPEN_STATUSES})${sqlJoin(
      where.map((w) => sql` AND ${w}`),
      sql``,
    )}
    ORDER BY ${DUE_KEY}, t.id LIMIT ${limit}`;
}

/** Each list: its first tickets, and how many there are in all. */
export interface HandoverLists {
  priority: { items: Ticket[]; total: number };
  callbacks: { items: Ticket[]; total: number };
}

export class TicketQueries {
  private readonly s;
  private readonly filtered = new Map<string, BetterSqlite3.Statement<unknown[]>>();
  constructor(private readonly ctx: Ctx) {
    const db = ctx.db;
    this.s = {
      get: db.prepare(`SELECT * FROM tickets WHERE id = ?`),
      customerName: db.prepare(`SELECT name FROM customers WHERE id = ?`),
      events: db.prepare(QUERIES.events),
      queueFirst: db.prepare(QUERIES.queueFirst),
      queueAfter: db.prepare(QUERIES.queueAfter),
      byCustomer: db.prepare(QUERIES.byCustomer),
      byCustomerBefore: db.prepare(QUERIES.byCustomerBefore),
      byCaseNumber: db.prepare(QUERIES.byCaseNumber),
      byCustomerRef: db.prepare(QUERIES.byCustomerRef),
      bySerial: db.prepare(QUERIES.bySerial),
      callbacksDue: db.prepare(QUERIES.callbacksDue),
      openOfPriorityCount: db.prepare(QUERIES.openOfPriorityCount),
      callbacksIn: db.prepare(QUERIES.callbacksIn),
      callbacksInCount: db.prepare(QUERIES.callbacksInCount),
      search: db.prepare(QUERIES.search),
      byCaseNumberPart: db.prepare(QUERIES.byCaseNumberPart),
      attachmentBySha: db.prepare(`SELECT sha256, size, mime, name, ticket_id FROM attachments WHERE sha256 = ? ORDER BY created_at LIMIT 1`),
    };
  }

  get(id: string): Ticket | null {
    const r = this.s.get.get(id) as Row | undefined;
    return r ? toTicket(r) : null;
  }

  /** The customer's name (what a ticket's alert pop-up names), or null. */
  customerName(customerId: string): string | null {
    return (this.s.customerName.pluck().get(customerId) as string | undefined) ?? null;
  }

  events(ticketId: string): TicketEvent[] {
    return (this.s.events.all(ticketId) as Row[]).map(toEvent);
  }

  /** The metadata of an attachment stored by content hash (the first one recorded), or null. */
  attachment(sha256: string): { sha256: string; size: number; mime: string; name: string; ticketId: string } | null {
    const r = this.s.attachmentBySha.get(sha256) as { sha256: string; size: number; mime: string; name: string; ticket_id: string } | undefined;
    return r ? { sha256: r.sha256, size: r.size, mime: r.mime, name: r.name, ticketId: r.ticket_id } : null;
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
  queueFiltered(f: QueueFilterInput, opts: { limit?: number; after?: QueueCursor | null } = {}): Page<Ticket, QueueCursor> {
    const limit = clampLimit(opts.limit ?? 50);
    const where: Sql[] = [];
    if (f.contractId) where.push(QUEUE_WHERE.contract(f.contractId));
    if (f.priority) where.push(QUEUE_WHERE.priority(f.priority));
    if (f.status) where.push(QUEUE_WHERE.status(f.status));
    if (f.assignee) where.push(QUEUE_WHERE.assignee(f.assignee));
    if (opts.after) where.push(QUEUE_WHERE.after(opts.after));
    const q = forSqlite(queueFilteredSql(where, limit));
    // one prepared statement per combination of conditions (at most 32)
    let stmt = this.filtered.get(q.text);
    if (!stmt) {
      stmt = this.ctx.db.prepare<unknown[]>(q.text);
      this.filtered.set(q.text, stmt);
    }
    const rows = stmt.all(...(q.params as unknown[])) as Row[];
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
    const col = (c: 'assignee' | 'priority') => {
      const q = forSqlite(sql`SELECT DISTINCT ${sqlId(c)} AS v FROM tickets WHERE status IN (${SQL_OPEN_STATUSES}) AND ${sqlId(c)} IS NOT NULL ORDER BY 1 LIMIT ${200}`);
      return (this.ctx.db.prepare(q.text).all(...(q.params as unknown[])) as { v: string }[]).map((r) => r.v);
    };
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
    return (this.s.callbacksDue.all(t, clampLimit(limit)) as Row[]).map(toTicket);
  }

  /**
   * The handover pop-up's lists (docs/alerts.md "Handover"), each the first `limit` and how many in
   * all, counted from its index: open tickets of `priority` in queue order, and callbacks in [from, to).
   */
  handover(priority: string, from: number, to: number, limit: number): HandoverLists {
    const lim = clampLimit(limit);
    const count = (stmt: BetterSqlite3.Statement<unknown[]>, ...args: unknown[]) => (stmt.get(...args) as { n: number }).n;
    return {
      priority: { items: this.queueFiltered({ priority }, { limit: lim }).items, total: count(this.s.openOfPriorityCount, priority) },
      callbacks: { items: (this.s.callbacksIn.all(from, to, lim) as Row[]).map(toTicket), total: count(this.s.callbacksInCount, from, to) },
    };
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

/**
 * Pulled changes into the SQLite store (db/sync-store.ts): one page in ONE transaction with the new
 * cursor and the absorbed HLC. Events are a union keyed by event id; a ticket's merged fields are the
 * server's, kept as `sync_tickets.row`, shown with this device's pending mutations replayed on top
 * (db/sync/ticket-view.ts). Reference records go first (db/sync-records-apply.ts), so tickets in the
 * page find their contract. Tickets changed are queued for re-planning (`sync_replan`).
 */
import { HlcError } from '../../core/ids/hlc.js';
import type { Change, SyncAlertAck, SyncConflict, SyncEvent, SyncTicket, SyncUserSettings } from '../../core/sync/mutations.js';
import type { Ctx } from '../context.js';
import { json, parseJson } from '../context.js';
import { ValidationError } from '../errors.js';
import { foldForSearch, searchFieldsChanged, ticketSearchText } from '../search.js';
import { clampLimit } from '../paging.js';
import { RecordApplier } from '../sync-records-apply.js';
import { recordPulledPhoto } from '../repos/attachments.js';
import { BulkLoad } from './bulk.js';
import { BATCH, EventBatch } from './event-batch.js';
import { columns, ticketView } from './ticket-view.js';
import type { View } from './ticket-view.js';

export interface PulledPageInput {
  changes: Change[];
  cursor: string;
  hlc: string | null;
  /** The server has more after this page: the first page of a store that never pulled starts a bulk load (bulk.ts). */
  more?: boolean;
}

/** What a page did: the tickets changed (to re-plan now) and the kinds of records applied. */
export interface PulledPageResult {
  ticketIds: string[];
  recordKinds: string[];
  /**
   * Part of a bulk load (bulk.ts): 'loading', its tickets wait in `sync_replan` for its end; 'loaded', it
   * ended with this page and the app re-plans what waits there (toReplan), a batch at a time.
   */
  bulk?: 'loading' | 'loaded';
}

type Row = Record<string, unknown>;

/** Per page, for its new tickets: whether any pulled event waits for its ticket (none: no look-up), the customers known here. */
interface TicketPass {
  orphans: boolean;
  customers: Set<string>;
}

export class PullApplier {
  private readonly s;
  /** Whether any mutation is pending (set per call: with none, pulled rows are taken as they are). */
  replay = true;
  readonly records: RecordApplier;
  private readonly bulk: BulkLoad;
  private readonly batch: EventBatch;
  constructor(
    private readonly ctx: Ctx,
    /** Stores a pulled ack or snooze of an alert (db/repos/oncall.ts). */
    private readonly applyAck: (a: SyncAlertAck) => void,
    /** Stores this user's pulled settings (db/sync/user-settings.ts); true when the alert scope in force changed. */
    private readonly applyUserSettings: (u: SyncUserSettings) => boolean = () => false,
  ) {
    const db = ctx.db;
    this.records = new RecordApplier(ctx);
    this.bulk = new BulkLoad(ctx);
    this.batch = new EventBatch(db);
    this.s = {
      needReplan: db.prepare('INSERT OR IGNORE INTO sync_replan (ticket_id) VALUES (?)'),
      toReplan: db.prepare('SELECT ticket_id FROM sync_replan LIMIT ?'),
      replanned: db.prepare('DELETE FROM sync_replan WHERE ticket_id = ?'),
      anyPending: db.prepare(`SELECT 1 FROM outbox WHERE status = 'pending' AND seq IS NOT NULL LIMIT 1`),
      state: db.prepare(`SELECT * FROM sync_state WHERE id = 1`),
      setCursor: db.prepare(`UPDATE sync_state SET pull_cursor = ?, last_pull_at = ? WHERE id = 1`),
      saveHlc: db.prepare(`UPDATE device_state SET hlc = ? WHERE id = 1`),
      ticket: db.prepare(`SELECT * FROM tickets WHERE id = ?`),
      byCase: db.prepare(`SELECT id FROM tickets WHERE case_number = ?`),
      renameCase: db.prepare(`UPDATE tickets SET case_number = ? WHERE id = ?`),
      customer: db.prepare(`SELECT 1 FROM customers WHERE id = ?`),
      insCustomer: db.prepare(`INSERT INTO customers (id, name, created_at, updated_at, hlc) VALUES (?, ?, ?, ?, ?)`),
      shadow: db.prepare(`SELECT row FROM sync_tickets WHERE id = ?`),
      setShadow: db.prepare(`INSERT INTO sync_tickets (id, version, row) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET version = excluded.version, row = excluded.row`),
      insTicket: db.prepare(
        `INSERT INTO tickets (id, case_number, customer_id, policy, status, priority, channel, assignee, title, description, reporter_name, reporter_phone,
           customer_ref, vendor_ref, created_at, updated_at, created_by, hlc, server_version, field_hlc, contract_id, site_id, asset_id, intake)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      updTicket: db.prepare(
        `UPDATE tickets SET policy = @policy, status = @status, priority = @priority, assignee = @assignee, title = @title, description = @description,
           reporter_name = @reporter_name, reporter_phone = @reporter_phone, customer_ref = @customer_ref, vendor_ref = @vendor_ref,
           server_version = @server_version, field_hlc = @field_hlc, intake = @intake, hlc = @hlc, updated_at = @now, version = version + 1 WHERE id = @id`,
      ),
      pendingFor: db.prepare(
        `SELECT name, version, hlc, payload FROM outbox WHERE status = 'pending' AND seq IS NOT NULL
           AND (json_extract(payload, '$.ticketId') = @id OR json_extract(payload, '$.conflictId') IN (SELECT id FROM sync_conflicts WHERE ticket_id = @id))
         ORDER BY seq`,
      ),
      ticketExists: db.prepare(`SELECT 1 FROM tickets WHERE id = ?`),
      insOrphan: db.prepare(`INSERT OR IGNORE INTO sync_orphan_events (id, ticket_id, event) VALUES (?, ?, ?)`),
      orphans: db.prepare(`SELECT event FROM sync_orphan_events WHERE ticket_id = ?`),
      anyOrphan: db.prepare(`SELECT 1 FROM sync_orphan_events LIMIT 1`),
      delOrphans: db.prepare(`DELETE FROM sync_orphan_events WHERE ticket_id = ?`),
      // The latest such event that holds: a refused one (sync_rejected_events) is not on the timeline.
      latestEscalation: db.prepare(
        `SELECT data FROM ticket_events WHERE ticket_id = ? AND type = 'escalation' AND id NOT IN (SELECT event_id FROM sync_rejected_events) ORDER BY at DESC, hlc DESC LIMIT 1`,
      ),
      latestCallback: db.prepare(
        `SELECT data FROM ticket_events WHERE ticket_id = ? AND type = 'callback' AND id NOT IN (SELECT event_id FROM sync_rejected_events) ORDER BY at DESC, hlc DESC LIMIT 1`,
      ),
      setEscalation: db.prepare(`UPDATE tickets SET escalation_level = ? WHERE id = ?`),
      setCallback: db.prepare(`UPDATE tickets SET next_callback_at = ? WHERE id = ?`),
      insFts: db.prepare(`INSERT INTO search_fts (body, ticket_id, source) VALUES (?, ?, ?)`),
      delFtsTicket: db.prepare(`DELETE FROM search_fts WHERE rowid IN (SELECT rowid FROM search_fts WHERE source = 'ticket' AND ticket_id = ?)`),
      conflict: db.prepare(`SELECT * FROM sync_conflicts WHERE id = ?`),
      upsertConflict: db.prepare(
        `INSERT INTO sync_conflicts (id, ticket_id, field, candidates, status, resolution, version, resolving, updated_at)
         VALUES (@id, @ticket_id, @field, @candidates, @status, @resolution, @version, NULL, @now)
         ON CONFLICT(id) DO UPDATE SET candidates = excluded.candidates, status = excluded.status, resolution = excluded.resolution, version = excluded.version,
           resolving = CASE WHEN excluded.status = 'resolved' THEN NULL ELSE sync_conflicts.resolving END, updated_at = excluded.updated_at`,
      ),
    };
    // A bulk load the process did not live to end: its indexes back before anything reads.
    this.bulk.recover();
  }

  /**
   * Applies a page of pulled changes, absorbs the server's HLC and stores the
   * cursor, all in ONE transaction. Returns the tickets that changed and the kinds of records applied.
   */
  applyPulled(page: PulledPageInput): PulledPageResult {
    if (typeof page.cursor !== 'string' || !page.cursor) throw new ValidationError('a pull page needs a cursor', 'cursor');
    // The last page of a bulk load builds its indexes: SQLite's memory bounded while it sorts (bulk.ts).
    return this.bulk.ending(page) ? this.bulk.bounded(() => this.apply(page)) : this.apply(page);
  }

  private apply(page: PulledPageInput): PulledPageResult {
    return this.ctx.tx(() => {
      const now = this.ctx.clock.now();
      // The first page of a store that never pulled, with more to come: indexes are built at the end.
      let bulk = this.bulk.active();
      if (!bulk && page.more === true && this.cursor() === '0') {
        this.bulk.begin();
        bulk = true;
      }
      const changed = new Set<string>();
      this.replay = this.s.anyPending.get() !== undefined;
      // Records first (a ticket names its contract), then tickets: an event or conflict in the same page may belong to a ticket in it.
      const kinds = new Set<string>();
      for (const c of page.changes) if (c.kind === 'record' && this.records.apply(c.record, now, changed)) kinds.add(c.record.kind);
      // What every new ticket of the page would look up, once: whether any event waits for its ticket, the customers seen.
      const pass: TicketPass = { orphans: this.s.anyOrphan.get() !== undefined, customers: new Set() };
      for (const c of page.changes) if (c.kind === 'ticket') this.applyTicket(c.ticket, now, changed, pass);
      this.applyEvents(
        page.changes.flatMap((c) => (c.kind === 'event' ? [c.event] : [])),
        now,
        changed,
      );
      for (const c of page.changes) if (c.kind === 'conflict') this.applyConflict(c.conflict, now, changed);
      // Acks after tickets (their ticket is re-planned: an alert acknowledged elsewhere stops escalating here).
      for (const c of page.changes)
        if (c.kind === 'ack') {
          this.applyAck(c.ack);
          kinds.add('ack');
          if (this.s.ticket.get(c.ack.ticketId)) changed.add(c.ack.ticketId);
        }
      // This user's alert scope, changed on another of their devices: the app plans every open ticket again.
      for (const c of page.changes) if (c.kind === 'userSettings' && this.applyUserSettings(c.userSettings)) kinds.add('userSettings');
      if (page.hlc) {
        try {
          this.s.saveHlc.run(this.ctx.hlc.receive(page.hlc));
        } catch (e) {
          // A server HLC far ahead of our clock is not absorbed (the server refuses such mutations anyway).
          if (!(e instanceof HlcError)) throw e;
        }
      }
      this.s.setCursor.run(page.cursor, now);
      for (const id of changed) this.s.needReplan.run(id);
      if (!bulk) return { ticketIds: [...changed], recordKinds: [...kinds] };
      if (page.more) return { ticketIds: [], recordKinds: [...kinds], bulk: 'loading' };
      this.bulk.finish();
      return { ticketIds: [], recordKinds: [...kinds], bulk: 'loaded' };
    });
  }

  /**
   * Tickets changed by pulls (or by the server's answers) whose schedule and
   * alerts the app has not re-planned yet: after each pull, and at start for
   * what a crash left.
   */
  toReplan(limit = 1000): string[] {
    return (this.s.toReplan.all(clampLimit(limit, 10_000)) as { ticket_id: string }[]).map((r) => r.ticket_id);
  }

  /** The app re-planned these tickets. */
  replanned(ticketIds: string[]): void {
    this.ctx.tx(() => {
      for (const id of ticketIds) this.s.replanned.run(id);
    });
  }

  /** The stored pull cursor ("0" before the first pull). */
  cursor(): string {
    return ((this.s.state.get() as Row).pull_cursor as string | null) ?? '0';
  }

  private applyTicket(t: SyncTicket, now: number, changed: Set<string>, pass: TicketPass): void {
    this.s.setShadow.run(t.id, t.version, json(t));
    const existing = this.s.ticket.get(t.id) as Row | undefined;
    if (!existing) {
      // Another local ticket holds this case number: this device's create lost (the server keeps the first).
      const clash = this.s.byCase.get(t.caseNumber) as Row | undefined;
      if (clash) this.s.renameCase.run(`${t.caseNumber}~${(clash.id as string).slice(-6)}`, clash.id);
      if (!pass.customers.has(t.customerId) && !this.s.customer.get(t.customerId)) {
        // The customer's record has not arrived (or was refused): a placeholder keeps the reference valid until it does.
        this.s.insCustomer.run(t.customerId, `Customer ${t.customerId.slice(-8)} (synced)`, now, now, t.fieldHlc.status ?? 'sync');
      }
      pass.customers.add(t.customerId);
      const v = this.view(t);
      // A contract, site or asset not here yet is linked when its record arrives (sync-records-apply.ts).
      const link = (kind: 'contract' | 'site' | 'asset', id: string | null | undefined) => (this.records.has(kind, id) ? (id as string) : null);
      const c = columns(v);
      // Positional, as the events (docs/sync-bench.md: named binding costs a fifth more); the order of the column list.
      this.s.insTicket.run(
        t.id,
        v.caseNumber,
        v.customerId,
        c.policy,
        c.status,
        c.priority,
        v.channel,
        c.assignee,
        c.title,
        c.description,
        c.reporter_name,
        c.reporter_phone,
        c.customer_ref,
        c.vendor_ref,
        v.createdAt,
        now,
        v.createdBy,
        c.hlc,
        c.server_version,
        c.field_hlc,
        link('contract', t.contractId),
        link('site', t.siteId),
        link('asset', t.assetId),
        c.intake,
      );
      this.indexText(t.id, v, false);
      const orphans = pass.orphans ? (this.s.orphans.all(t.id) as Row[]) : [];
      if (orphans.length) {
        this.insertEvents(
          orphans.map((o) => parseJson<SyncEvent>(o.event as string, null as unknown as SyncEvent)),
          now,
        );
        this.s.delOrphans.run(t.id);
        this.refreshDerived(t.id);
      }
    } else {
      // The server's case number holds (this device's create of the same ticket was merged into another device's: a planned visit).
      if (existing.case_number !== t.caseNumber) {
        const clash = this.s.byCase.get(t.caseNumber) as Row | undefined;
        if (clash) this.s.renameCase.run(`${t.caseNumber}~${(clash.id as string).slice(-6)}`, clash.id);
        this.s.renameCase.run(t.caseNumber, t.id);
      }
      this.writeView(t.id, existing, this.view(t), now);
    }
    changed.add(t.id);
  }

  /** The page's events, in order, BATCH at a time in multi-row statements (event-batch.ts). */
  private applyEvents(events: SyncEvent[], now: number, changed: Set<string>): void {
    const present = new Set<string>(); // tickets known to be here (looked up once per page)
    for (let i = 0; i < events.length; i += BATCH) {
      const chunk = events.length <= BATCH ? events : events.slice(i, i + BATCH);
      this.batch.receipt(chunk);
      const rows: SyncEvent[] = [];
      for (const e of chunk) {
        if (changed.has(e.ticketId) || present.has(e.ticketId) || this.s.ticketExists.get(e.ticketId)) {
          present.add(e.ticketId);
          rows.push(e);
        } else this.s.insOrphan.run(e.id, e.ticketId, json(e));
      }
      for (const e of this.insertEvents(rows, now)) changed.add(e.ticketId);
      // This device's own events, already on the timeline: it shows their receipts now.
      for (const e of rows) if (e.receivedAt != null) changed.add(e.ticketId);
    }
  }

  /** Inserts the events not on the timeline yet (union by event id), with their search text, photo and derived fields; returns those. */
  private insertEvents(events: SyncEvent[], now: number): SyncEvent[] {
    if (!events.length) return [];
    const ids = this.batch.insert(events, now);
    const inserted: SyncEvent[] = [];
    const search: (string | null)[] = [];
    const derived = new Set<string>();
    for (const e of events) {
      if (!ids.delete(e.id)) continue; // not inserted, or its first copy was
      inserted.push(e);
      if ((e.type === 'note' || e.type === 'callback') && typeof e.data?.text === 'string') search.push(foldForSearch(e.data.text), e.ticketId, e.id);
      // A photo taken elsewhere: its metadata, and its bytes queued for download (db/repos/attachments.ts).
      if (e.type === 'photo') recordPulledPhoto(this.ctx, e, now);
      if (e.type === 'escalation' || e.type === 'callback') derived.add(e.ticketId);
    }
    this.batch.index(search);
    for (const id of derived) this.refreshDerived(id);
    return inserted;
  }

  private applyConflict(c: SyncConflict, now: number, changed: Set<string>): void {
    this.s.upsertConflict.run({ id: c.id, ticket_id: c.ticketId, field: c.field, candidates: json(c.candidates), status: c.status, resolution: c.resolution ?? null, version: c.version, now });
    changed.add(c.ticketId);
  }

  /**
   * Escalation level and next callback follow the latest such event that holds (local appendEvent sets
   * them the same way). `rebuilt`: none left (a refused one was the only one) resets them, level 0 and
   * no callback; the re-plan that follows (sync_replan) puts back what the SLA schedule says.
   */
  private refreshDerived(ticketId: string, rebuilt = false): void {
    const esc = this.s.latestEscalation.get(ticketId) as Row | undefined;
    if (esc) {
      const level = parseJson<Row>(esc.data as string, {}).level;
      if (typeof level === 'number' && Number.isInteger(level) && level >= 0) this.s.setEscalation.run(level, ticketId);
    } else if (rebuilt) this.s.setEscalation.run(0, ticketId);
    const cb = this.s.latestCallback.get(ticketId) as Row | undefined;
    if (cb) {
      const d = parseJson<Row>(cb.data as string, {});
      if (d.nextCallbackAt !== undefined) this.s.setCallback.run(typeof d.nextCallbackAt === 'number' ? d.nextCallbackAt : null, ticketId);
    } else if (rebuilt) this.s.setCallback.run(null, ticketId);
  }

  /** Rebuilds a ticket's local row from the server copy and what is still pending; false when there is no server copy yet. */
  rebuild(ticketId: string, now: number): boolean {
    const sh = this.s.shadow.get(ticketId) as Row | undefined;
    const existing = this.s.ticket.get(ticketId) as Row | undefined;
    if (!sh || !existing) return false;
    this.writeView(ticketId, existing, this.view(parseJson<SyncTicket>(sh.row as string, null as unknown as SyncTicket)), now);
    this.refreshDerived(ticketId, true); // what a refused event had set goes with it
    return true;
  }

  private writeView(id: string, existing: Row, v: View, now: number): void {
    const cols = columns(v);
    this.s.updTicket.run({ id, ...cols, now });
    const before = {
      title: existing.title as string | null,
      description: existing.description as string | null,
      reporterName: existing.reporter_name as string | null,
      customerRef: existing.customer_ref as string | null,
    };
    if (searchFieldsChanged(before, v)) this.indexText(id, v, true);
  }

  private indexText(id: string, v: View, replace: boolean): void {
    if (replace) this.s.delFtsTicket.run(id);
    const body = ticketSearchText(v);
    if (body) this.s.insFts.run(body, id, 'ticket');
  }

  /** The server's ticket with this device's pending mutations replayed on top. */
  private view(t: SyncTicket): View {
    const pending = (this.replay ? this.s.pendingFor.all({ id: t.id }) : []) as Row[];
    return ticketView(t, pending, (id) => this.s.conflict.get(id) as Row | undefined);
  }
}

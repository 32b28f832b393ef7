/**
 * The client side of sync over the SQLite store (runs in the store's worker
 * thread; the app reaches it as `store.sync.*`). It is the `LocalSyncStore`
 * the sync worker (main/sync/worker.ts) drives, plus enrolment and conflicts.
 *
 * - The outbox rows with a wire `seq` (server mutations, see ctx.mutate) are
 *   pushed in seq order; the server's answers are recorded (`markResults`):
 *   rejected ones are kept with their reason, never dropped.
 * - Pulled rows (`applyPulled`) are applied in ONE transaction together with
 *   the new pull cursor and the absorbed HLC: events are a union keyed by event
 *   id; a ticket's merged fields are the server's (the server merges, see
 *   core/sync/merge.ts), kept as `sync_tickets.row`, with this device's
 *   pending mutations replayed on top (as Replicache rebases) so an offline
 *   edit stays visible until the server has answered it.
 * - After an answer, tickets touched by it are rebuilt from the server copy
 *   plus what is still pending, so a rejected or superseded change does not
 *   linger locally.
 * - Reference records (customers, contracts, contacts, sites, assets) are
 *   applied by db/sync-records-apply.ts, first in each page, so tickets in the
 *   page find their contract.
 * A pulled ticket takes its contract, site, asset and intake from the server
 * (ticket.create@2); the SLA schedule stays local (the planner computes it).
 */
import { HlcError } from '../core/ids/hlc.js';
import { adoptHlcNode, rewindHlc } from './hlc-node.js';
import { maxHlc } from '../core/sync/hlc.js';
import { CONFLICT_FIELDS } from '../core/sync/mutations.js';
import { SUPERSEDED } from '../core/sync/protocol.js';
import type { Change, ConflictField, MutationResult, SyncAlertAck, SyncConflict, SyncEvent, SyncTicket } from '../core/sync/mutations.js';
import type { PrefixInfo } from './case-numbers.js';
import type { Ctx } from './context.js';
import { json, parseJson } from './context.js';
import { NotFoundError, ValidationError } from './errors.js';
import { foldForSearch, searchFieldsChanged, ticketSearchText } from './search.js';
import { clampLimit } from './repos/customers.js';
import { RecordApplier } from './sync-records-apply.js';
import { recordPulledPhoto } from './repos/attachments.js';

/** A mutation as it goes on the wire (same shape as main/sync/types.ts PendingMutation). */
export interface WireMutation {
  id: string;
  seq: number;
  name: string;
  version: number;
  hlc: string;
  payload: unknown;
}

export interface PulledPageInput {
  changes: Change[];
  cursor: string;
  hlc: string | null;
}

export interface SyncCounts {
  pending: number;
  rejected: number;
  conflicts: number;
}

export interface Enrolment {
  serverUrl: string;
  tenantId: string;
  /** The device id the server assigned (its tokens, its mutation log). */
  deviceId: string;
  role: string;
  casePrefix: string;
  enrolledAt: number;
  /** The user the device is enrolled as (who "I" am in an on-call rota); null for enrolments older than that. */
  userId?: string | null;
}

export interface RejectedMutation {
  id: string;
  seq: number | null;
  name: string;
  version: number;
  reason: string;
  message: string | null;
  ticketId: string | null;
  caseNumber: string | null;
  /** For a refused record.put: which record, with a name a person recognises. */
  record: { kind: string; id: string; name: string | null } | null;
  payload: unknown;
  createdAt: number;
  updatedAt: number;
}

export interface LocalConflict {
  id: string;
  ticketId: string;
  caseNumber: string | null;
  field: ConflictField;
  candidates: { value: string | null; hlc: string; deviceId: string }[];
  status: 'open' | 'resolved';
  resolution: string | null;
  /** This device has sent a resolution the server has not answered yet. */
  resolving: boolean;
}

type Row = Record<string, unknown>;

const FIELD_KEY: Record<ConflictField, keyof SyncTicket> = {
  title: 'title',
  description: 'description',
  customerRef: 'customerRef',
  vendorRef: 'vendorRef',
  reporterName: 'reporterName',
  reporterPhone: 'reporterPhone',
};

/** What the local row shows: the server's ticket with pending mutations replayed (the merged fields only). */
interface View {
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

export class SyncRepo {
  private readonly s;
  /** Whether any mutation is pending (set per call: with none, pulled rows are taken as they are). */
  private replay = true;
  private readonly records: RecordApplier;
  constructor(
    private readonly ctx: Ctx,
    private readonly enrolPrefix: (prefix: string) => PrefixInfo,
    /** Stores a pulled ack or snooze of an alert (db/repos/oncall.ts). */
    private readonly applyAck: (a: SyncAlertAck) => void = () => {},
  ) {
    const db = ctx.db;
    this.records = new RecordApplier(ctx);
    this.s = {
      needReplan: db.prepare('INSERT OR IGNORE INTO sync_replan (ticket_id) VALUES (?)'),
      toReplan: db.prepare('SELECT ticket_id FROM sync_replan LIMIT ?'),
      replanned: db.prepare('DELETE FROM sync_replan WHERE ticket_id = ?'),
      pending: db.prepare(`SELECT id, seq, name, version, hlc, payload FROM outbox WHERE status = 'pending' AND seq IS NOT NULL ORDER BY seq LIMIT ?`),
      get: db.prepare(`SELECT * FROM outbox WHERE id = ?`),
      mark: db.prepare(`UPDATE outbox SET status = @status, reason = @reason, message = @message, conflict_id = @conflict_id, updated_at = @now WHERE id = @id AND status = 'pending'`),
      countPending: db.prepare(`SELECT count(*) AS n FROM outbox WHERE status = 'pending' AND seq IS NOT NULL`),
      anyPending: db.prepare(`SELECT 1 FROM outbox WHERE status = 'pending' AND seq IS NOT NULL LIMIT 1`),
      countRejected: db.prepare(`SELECT count(*) AS n FROM outbox WHERE status = 'rejected'`),
      countConflicts: db.prepare(`SELECT count(*) AS n FROM sync_conflicts WHERE status = 'open' AND resolving IS NULL`),
      rejected: db.prepare(`SELECT * FROM outbox WHERE status = 'rejected' ORDER BY device_seq DESC LIMIT ?`),
      state: db.prepare(`SELECT * FROM sync_state WHERE id = 1`),
      setCursor: db.prepare(`UPDATE sync_state SET pull_cursor = ?, last_pull_at = ? WHERE id = 1`),
      setPushed: db.prepare(`UPDATE sync_state SET last_push_at = ? WHERE id = 1`),
      setEnrolment: db.prepare(
        `UPDATE sync_state SET server_url = @server_url, tenant_id = @tenant_id, device_id = @device_id, role = @role, case_prefix = @case_prefix, enrolled_at = @enrolled_at, user_id = @user_id WHERE id = 1`,
      ),
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
         VALUES (@id, @case_number, @customer_id, @policy, @status, @priority, @channel, @assignee, @title, @description, @reporter_name, @reporter_phone,
           @customer_ref, @vendor_ref, @created_at, @now, @created_by, @hlc, @server_version, @field_hlc, @contract_id, @site_id, @asset_id, @intake)`,
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
      insEvent: db.prepare(
        // Union by event id: an id seen again is skipped; any other constraint (CHECK) fails the whole page.
        `INSERT INTO ticket_events (id, ticket_id, type, at, recorded_at, author, data, device_id, hlc) VALUES (@id, @ticket_id, @type, @at, @now, @author, @data, @device_id, @hlc)
         ON CONFLICT(id) DO NOTHING`,
      ),
      // When the server received the event and from which device (migration 0011); the server's word, so it replaces.
      receipt: db.prepare(`INSERT OR REPLACE INTO sync_event_receipts (event_id, received_at, device_id, device_name) VALUES (?, ?, ?, ?)`),
      insOrphan: db.prepare(`INSERT OR IGNORE INTO sync_orphan_events (id, ticket_id, event) VALUES (?, ?, ?)`),
      orphans: db.prepare(`SELECT event FROM sync_orphan_events WHERE ticket_id = ?`),
      delOrphans: db.prepare(`DELETE FROM sync_orphan_events WHERE ticket_id = ?`),
      latestEscalation: db.prepare(`SELECT data FROM ticket_events WHERE ticket_id = ? AND type = 'escalation' ORDER BY at DESC, hlc DESC LIMIT 1`),
      latestCallback: db.prepare(`SELECT data FROM ticket_events WHERE ticket_id = ? AND type = 'callback' ORDER BY at DESC, hlc DESC LIMIT 1`),
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
      setResolving: db.prepare(`UPDATE sync_conflicts SET resolving = ? WHERE id = ?`),
      rejectEvent: db.prepare(`INSERT OR IGNORE INTO sync_rejected_events (event_id, mutation_id) VALUES (?, ?)`),
      clearResolving: db.prepare(`UPDATE sync_conflicts SET resolving = NULL WHERE resolving = ?`),
      conflicts: db.prepare(
        `SELECT c.*, t.case_number FROM sync_conflicts c LEFT JOIN tickets t ON t.id = c.ticket_id WHERE c.status = 'open' ORDER BY c.updated_at DESC, c.id LIMIT ?`,
      ),
    };
  }

  // ---- LocalSyncStore ----

  /** Up to `limit` pending server mutations, oldest (lowest seq) first. */
  pendingMutations(limit: number): WireMutation[] {
    return (this.s.pending.all(clampLimit(limit, 5000)) as Row[]).map((r) => ({
      id: r.id as string,
      seq: r.seq as number,
      name: r.name as string,
      version: r.version as number,
      hlc: r.hlc as string,
      payload: parseJson(r.payload as string, null),
    }));
  }

  /**
   * Records the server's answers (one transaction). `applied` / duplicate of
   * applied -> applied; `rejected` / duplicate of rejected -> rejected with the
   * reason (kept). Answers for unknown or already answered mutations are ignored.
   * Returns the tickets whose local copy was rebuilt.
   */
  markResults(results: MutationResult[]): { ticketIds: string[] } {
    return this.ctx.tx(() => {
      const now = this.ctx.clock.now();
      const touched = new Set<string>();
      let clockAhead = false;
      for (const r of results) {
        const row = this.s.get.get(r.id) as Row | undefined;
        if (!row || row.status !== 'pending') continue;
        const outcome = r.status === 'duplicate' ? (r.outcome ?? 'applied') : r.status;
        const reason = outcome === 'rejected' ? (r.reason ?? 'rejected') : null;
        this.s.mark.run({ id: r.id, status: outcome, reason, message: r.message ?? null, conflict_id: r.conflictId ?? null, now });
        if (reason === 'clock_ahead') clockAhead = true;
        const p = parseJson<Row>(row.payload as string, {});
        if (typeof p.ticketId === 'string') touched.add(p.ticketId);
        const eventId = (p.event as Row | undefined)?.id;
        if (outcome === 'rejected' && row.name === 'ticket.event' && typeof eventId === 'string') this.s.rejectEvent.run(eventId, r.id);
        // A refused record change, or one that lost to a later change: the server's copy is what holds.
        if (row.name === 'record.put' && typeof p.id === 'string' && (outcome === 'rejected' || r.message === SUPERSEDED)) this.records.restoreServerCopy(p.id, now, touched);
        if (typeof p.conflictId === 'string') {
          const c = this.s.conflict.get(p.conflictId) as Row | undefined;
          if (c) touched.add(c.ticket_id as string);
          if (outcome === 'rejected') this.s.clearResolving.run(r.id);
        }
      }
      if (results.length) this.s.setPushed.run(now);
      if (clockAhead) rewindHlc(this.ctx); // once the clock is set right, the next change is not refused too
      this.replay = this.s.anyPending.get() !== undefined;
      const rebuilt: string[] = [];
      for (const id of touched) if (this.rebuild(id, now)) rebuilt.push(id);
      for (const id of rebuilt) this.s.needReplan.run(id);
      return { ticketIds: rebuilt };
    });
  }

  /**
   * Applies a page of pulled changes, absorbs the server's HLC and stores the
   * cursor, all in ONE transaction. Returns the tickets that changed and the kinds of records applied.
   */
  applyPulled(page: PulledPageInput): { ticketIds: string[]; recordKinds: string[] } {
    if (typeof page.cursor !== 'string' || !page.cursor) throw new ValidationError('a pull page needs a cursor', 'cursor');
    return this.ctx.tx(() => {
      const now = this.ctx.clock.now();
      const changed = new Set<string>();
      this.replay = this.s.anyPending.get() !== undefined;
      // Records first (a ticket names its contract), then tickets: an event or conflict in the same page may belong to a ticket in it.
      const kinds = new Set<string>();
      for (const c of page.changes) if (c.kind === 'record' && this.records.apply(c.record, now, changed)) kinds.add(c.record.kind);
      for (const c of page.changes) if (c.kind === 'ticket') this.applyTicket(c.ticket, now, changed);
      for (const c of page.changes) if (c.kind === 'event') this.applyEvent(c.event, now, changed);
      for (const c of page.changes) if (c.kind === 'conflict') this.applyConflict(c.conflict, now, changed);
      // Acks after tickets (their ticket is re-planned: an alert acknowledged elsewhere stops escalating here).
      for (const c of page.changes) if (c.kind === 'ack') {
        this.applyAck(c.ack);
        kinds.add('ack');
        if (this.s.ticket.get(c.ack.ticketId)) changed.add(c.ack.ticketId);
      }
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
      return { ticketIds: [...changed], recordKinds: [...kinds] };
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

  counts(): SyncCounts {
    const n = (st: { get(): unknown }) => (st.get() as { n: number }).n;
    return { pending: n(this.s.countPending), rejected: n(this.s.countRejected), conflicts: n(this.s.countConflicts) };
  }

  // ---- enrolment, status, lists ----

  /**
   * Records the enrolment the server answered and switches new case numbers to
   * the server's short prefix. The token is not kept here (see main/sync/token-store.ts).
   */
  enrol(e: Omit<Enrolment, 'enrolledAt'>): Enrolment {
    if (!/^https?:\/\//.test(e.serverUrl)) throw new ValidationError('must be an http(s) URL', 'serverUrl');
    return this.ctx.tx(() => {
      const current = this.enrolment();
      if (current && current.casePrefix === e.casePrefix) {
        // the same enrolment again (a retry after a crash): the prefix is already active
      } else {
        this.enrolPrefix(e.casePrefix);
      }
      const enrolledAt = this.ctx.clock.now();
      this.s.setEnrolment.run({ server_url: e.serverUrl, tenant_id: e.tenantId, device_id: e.deviceId, role: e.role, case_prefix: e.casePrefix, enrolled_at: enrolledAt, user_id: e.userId ?? null });
      adoptHlcNode(this.ctx, e.deviceId); // the server refuses changes stamped with another id
      return { ...e, enrolledAt, userId: e.userId ?? null };
    });
  }

  enrolment(): Enrolment | null {
    const r = this.s.state.get() as Row;
    if (!r.server_url || !r.device_id) return null;
    return {
      serverUrl: r.server_url as string,
      tenantId: (r.tenant_id as string | null) ?? '',
      deviceId: r.device_id as string,
      role: (r.role as string | null) ?? '',
      casePrefix: (r.case_prefix as string | null) ?? '',
      enrolledAt: (r.enrolled_at as number | null) ?? 0,
      userId: (r.user_id as string | null) ?? null,
    };
  }

  lastSync(): { lastPullAt: number | null; lastPushAt: number | null } {
    const r = this.s.state.get() as Row;
    return { lastPullAt: (r.last_pull_at as number | null) ?? null, lastPushAt: (r.last_push_at as number | null) ?? null };
  }

  /** Mutations the server refused, newest first, with the reason. */
  rejected(limit = 100): RejectedMutation[] {
    return (this.s.rejected.all(clampLimit(limit, 1000)) as Row[]).map((r) => {
      const payload = parseJson<Row>(r.payload as string, {});
      const ticketId = typeof payload.ticketId === 'string' ? payload.ticketId : null;
      const t = ticketId ? (this.s.ticket.get(ticketId) as Row | undefined) : undefined;
      return {
        id: r.id as string,
        seq: (r.seq as number | null) ?? null,
        name: r.name as string,
        version: r.version as number,
        reason: (r.reason as string | null) ?? 'rejected',
        message: (r.message as string | null) ?? null,
        ticketId,
        caseNumber: (t?.case_number as string | undefined) ?? (typeof payload.caseNumber === 'string' ? payload.caseNumber : null),
        record: r.name === 'record.put' ? recordSubject(payload) : null,
        payload,
        createdAt: r.created_at as number,
        updatedAt: r.updated_at as number,
      };
    });
  }

  /** Open conflicts, newest first. */
  conflicts(limit = 100): LocalConflict[] {
    return (this.s.conflicts.all(clampLimit(limit, 1000)) as Row[]).map(toConflict);
  }

  /**
   * Resolves a conflict with `value`: writes conflict.resolve@1 to the outbox
   * and shows the value locally until the server answers.
   */
  resolveConflict(conflictId: string, value: string | null): LocalConflict {
    return this.ctx.tx(() => {
      const c = this.s.conflict.get(conflictId) as Row | undefined;
      if (!c) throw new NotFoundError(`conflict ${conflictId} does not exist`);
      if (c.status !== 'open') throw new ValidationError('is already resolved', 'conflictId');
      const hlc = this.ctx.hlc.now();
      const id = this.ctx.mutate('conflict.resolve', 1, { conflictId, value }, hlc);
      this.s.setResolving.run(id, conflictId);
      this.replay = true;
      this.rebuild(c.ticket_id as string, this.ctx.clock.now());
      const t = this.s.ticket.get(c.ticket_id as string) as Row | undefined;
      return toConflict({ ...(this.s.conflict.get(conflictId) as Row), case_number: t?.case_number ?? null });
    });
  }

  // ---- applying ----

  private applyTicket(t: SyncTicket, now: number, changed: Set<string>): void {
    this.s.setShadow.run(t.id, t.version, json(t));
    const existing = this.s.ticket.get(t.id) as Row | undefined;
    if (!existing) {
      // Another local ticket holds this case number: this device's create lost (the server keeps the first).
      const clash = this.s.byCase.get(t.caseNumber) as Row | undefined;
      if (clash) this.s.renameCase.run(`${t.caseNumber}~${(clash.id as string).slice(-6)}`, clash.id);
      if (!this.s.customer.get(t.customerId)) {
        // The customer's record has not arrived (or was refused): a placeholder keeps the reference valid until it does.
        this.s.insCustomer.run(t.customerId, `Customer ${t.customerId.slice(-8)} (synced)`, now, now, t.fieldHlc.status ?? 'sync');
      }
      const v = this.view(t);
      // A contract, site or asset not here yet is linked when its record arrives (sync-records-apply.ts).
      const link = (kind: 'contract' | 'site' | 'asset', id: string | null | undefined) => (this.records.has(kind, id) ? (id as string) : null);
      this.s.insTicket.run({
        id: t.id, ...columns(v), case_number: v.caseNumber, customer_id: v.customerId, channel: v.channel, created_at: v.createdAt, created_by: v.createdBy, now,
        contract_id: link('contract', t.contractId), site_id: link('site', t.siteId), asset_id: link('asset', t.assetId),
      });
      this.indexText(t.id, v, false);
      const orphans = this.s.orphans.all(t.id) as Row[];
      if (orphans.length) {
        for (const o of orphans) this.insertEvent(parseJson<SyncEvent>(o.event as string, null as unknown as SyncEvent), now);
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

  private applyEvent(e: SyncEvent, now: number, changed: Set<string>): void {
    if (e.receivedAt != null) this.s.receipt.run(e.id, e.receivedAt, e.deviceId, e.deviceName ?? null);
    if (!changed.has(e.ticketId) && !this.s.ticketExists.get(e.ticketId)) {
      this.s.insOrphan.run(e.id, e.ticketId, json(e));
      return;
    }
    if (!this.insertEvent(e, now)) {
      if (e.receivedAt != null) changed.add(e.ticketId); // this device's own event: its timeline shows the receipt now
      return; // union by event id
    }
    if (e.type === 'escalation' || e.type === 'callback') this.refreshDerived(e.ticketId);
    changed.add(e.ticketId);
  }

  /** False when the event was already on the timeline. */
  private insertEvent(e: SyncEvent, now: number): boolean {
    const r = this.s.insEvent.run({ id: e.id, ticket_id: e.ticketId, type: e.type, at: e.at, now, author: e.author ?? null, data: json(e.data ?? {}), device_id: e.deviceId, hlc: e.hlc });
    if (r.changes && (e.type === 'note' || e.type === 'callback') && typeof e.data?.text === 'string') this.s.insFts.run(foldForSearch(e.data.text), e.ticketId, e.id);
    // A photo taken elsewhere: its metadata, and its bytes queued for download (db/repos/attachments.ts).
    if (r.changes && e.type === 'photo') recordPulledPhoto(this.ctx, e, now);
    return r.changes > 0;
  }

  private applyConflict(c: SyncConflict, now: number, changed: Set<string>): void {
    this.s.upsertConflict.run({ id: c.id, ticket_id: c.ticketId, field: c.field, candidates: json(c.candidates), status: c.status, resolution: c.resolution ?? null, version: c.version, now });
    changed.add(c.ticketId);
  }

  /** Escalation level and next callback follow the latest such event (local appendEvent sets them the same way). */
  private refreshDerived(ticketId: string): void {
    const esc = this.s.latestEscalation.get(ticketId) as Row | undefined;
    if (esc) {
      const level = parseJson<Row>(esc.data as string, {}).level;
      if (typeof level === 'number' && Number.isInteger(level) && level >= 0) this.s.setEscalation.run(level, ticketId);
    }
    const cb = this.s.latestCallback.get(ticketId) as Row | undefined;
    if (cb) {
      const d = parseJson<Row>(cb.data as string, {});
      if (d.nextCallbackAt !== undefined) this.s.setCallback.run(typeof d.nextCallbackAt === 'number' ? d.nextCallbackAt : null, ticketId);
    }
  }

  /** Rebuilds a ticket's local row from the server copy and what is still pending; false when there is no server copy yet. */
  private rebuild(ticketId: string, now: number): boolean {
    const sh = this.s.shadow.get(ticketId) as Row | undefined;
    const existing = this.s.ticket.get(ticketId) as Row | undefined;
    if (!sh || !existing) return false;
    this.writeView(ticketId, existing, this.view(parseJson<SyncTicket>(sh.row as string, null as unknown as SyncTicket)), now);
    return true;
  }

  private writeView(id: string, existing: Row, v: View, now: number): void {
    const cols = columns(v);
    this.s.updTicket.run({ id, ...cols, now });
    const before = { title: existing.title as string | null, description: existing.description as string | null, reporterName: existing.reporter_name as string | null, customerRef: existing.customer_ref as string | null };
    if (searchFieldsChanged(before, v)) this.indexText(id, v, true);
  }

  private indexText(id: string, v: View, replace: boolean): void {
    if (replace) this.s.delFtsTicket.run(id);
    const body = ticketSearchText(v);
    if (body) this.s.insFts.run(body, id, 'ticket');
  }

  /** The server's ticket with this device's pending mutations replayed on top. */
  private view(t: SyncTicket): View {
    const v: View = {
      caseNumber: t.caseNumber, customerId: t.customerId, channel: t.channel, title: t.title, description: t.description, customerRef: t.customerRef,
      vendorRef: t.vendorRef, reporterName: t.reporterName, reporterPhone: t.reporterPhone, priority: t.priority, assignee: t.assignee,
      status: t.status, policy: t.policy, createdAt: t.createdAt, createdBy: t.createdBy, fieldHlc: { ...t.fieldHlc }, intake: { ...(t.intake ?? {}) }, version: t.version,
    };
    for (const m of (this.replay ? this.s.pendingFor.all({ id: t.id }) : []) as Row[]) {
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
          const f = p.field as ConflictField;
          if ((CONFLICT_FIELDS as readonly string[]).includes(f)) {
            (v as unknown as Record<string, unknown>)[FIELD_KEY[f]] = (p.value as string | null) ?? null;
            v.fieldHlc[f] = hlc;
          }
          break;
        }
        case 'conflict.resolve@1': {
          const c = this.s.conflict.get(p.conflictId as string) as Row | undefined;
          const f = c?.field as ConflictField | undefined;
          if (f && FIELD_KEY[f]) {
            (v as unknown as Record<string, unknown>)[FIELD_KEY[f]] = (p.value as string | null) ?? null;
            v.fieldHlc[f] = hlc;
          }
          break;
        }
      }
    }
    return v;
  }
}

function columns(v: View): Record<string, unknown> {
  let hlc: string | null = null;
  for (const h of Object.values(v.fieldHlc)) hlc = maxHlc(hlc, h);
  return {
    policy: v.policy, status: v.status, priority: v.priority, assignee: v.assignee, title: v.title, description: v.description,
    reporter_name: v.reporterName, reporter_phone: v.reporterPhone, customer_ref: v.customerRef, vendor_ref: v.vendorRef,
    server_version: v.version, field_hlc: json(v.fieldHlc), hlc: hlc ?? 'sync',
    intake: json(Object.fromEntries(Object.entries(v.intake).filter(([, x]) => x !== null))),
  };
}

function recordSubject(p: Row): { kind: string; id: string; name: string | null } {
  const d = (p.data ?? {}) as Row;
  const name = d.agreementNumber ?? d.name ?? d.serialNumber ?? d.product ?? null;
  return { kind: String(p.kind), id: String(p.id), name: typeof name === 'string' ? name : null };
}

function toConflict(r: Row): LocalConflict {
  return {
    id: r.id as string,
    ticketId: r.ticket_id as string,
    caseNumber: (r.case_number as string | null) ?? null,
    field: r.field as ConflictField,
    candidates: parseJson(r.candidates as string, []),
    status: r.status as 'open' | 'resolved',
    resolution: (r.resolution as string | null) ?? null,
    resolving: r.resolving != null,
  };
}

/**
 * Push: applies a device's mutations exactly once, in one transaction per push
 * (docs/sync.md "Push: exactly once").
 *
 * 1. The device row is locked (two resends of one push are serialised) and the
 *    `mutations` log entries the push needs are read, in one round trip.
 * 2. Each mutation in seq order: seq <= last_seq was processed before and comes
 *    back `duplicate` with its first outcome; seq = last_seq + 1 is checked (its
 *    zod schema, then server/checks.ts: instants against the supported range and
 *    the server's clock, records against the app's checks, before anything is
 *    stored) and applied or rejected with a reason; a gap (seq > last_seq + 1)
 *    stops the push there and the client resends from its oldest pending. A
 *    mutation's writes wait until it has passed every check, so a rejected one
 *    writes nothing; they carry the push's own pending (negative) version.
 * 3. The SLA state of each ticket whose events or contract changed is
 *    re-derived (server/sla.ts); its updates go with the last statement.
 * 4. One last statement, sent with COMMIT: take the tenant's version (row lock
 *    only until that COMMIT, so pushes of a tenant run in parallel until then
 *    and versions commit in order, which pull.ts relies on), stamp the push's
 *    rows with it, log the mutations and advance `last_seq`.
 *
 * Should PostgreSQL refuse a write the checks let through, the push runs again
 * carefully, each mutation under a savepoint, so only the failing one is
 * rejected (applyPush).
 */
import { decodeHlc } from '../core/ids/hlc.js';
import { parseCaseNumber, prefixKind } from '../core/ids/case-number.js';
import type { Clock } from '../core/clock.js';
import { REJECT_TEXT, SUPERSEDED } from '../core/sync/protocol.js';
import type { RejectReason } from '../core/sync/protocol.js';
import { MUTATIONS, RECORD_DATA, isKnownMutation, mutationKey } from '../core/sync/mutations.js';
import type { ConflictField, MutationEnvelope, MutationPayload, MutationResult, PushResponse, TicketStatus } from '../core/sync/mutations.js';
import { decideFieldEdit, decideStatus, lwwWins } from '../core/sync/merge.js';
import { compareHlcStrings, maxHlc } from '../core/sync/hlc.js';
import type { Principal } from './auth.js';
import type { Db, QueryResult, TxQueryable } from './db.js';
import { pgCode } from './db.js';
import type { SlaDeriver } from './sla.js';
import { hlcProblem, mutationProblem, schemaProblem } from './checks.js';
import { eventTimeProblem } from './event-times.js';
import { roleProblem } from './roles.js';
import { alertAckWrite } from './alert-acks.js';

/** JSON with object keys sorted (jsonb keeps its own key order, so stored and sent copies compare equal). */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v ?? null);
}

export class Rejection extends Error {
  constructor(readonly reason: RejectReason, message?: string) {
    super(message ?? REJECT_TEXT[reason]);
  }
}

export interface PushContext {
  db: Db;
  clock: Clock;
  deriveSla: SlaDeriver;
  /** Test hook: called inside the transaction after the mutations, before commit. */
  beforeCommit?: () => Promise<void>;
}

const FIELD_COLUMN: Record<ConflictField, string> = {
  title: 'title',
  description: 'description',
  customerRef: 'customer_ref',
  vendorRef: 'vendor_ref',
  reporterName: 'reporter_name',
  reporterPhone: 'reporter_phone',
};

interface TicketRow {
  id: string;
  status: TicketStatus;
  field_hlc: Record<string, string>;
  closed_version: number | null;
  policy: string | null;
  priority: string | null;
  assignee: string | null;
  [k: string]: unknown;
}

interface Applied {
  conflictId?: string;
  message?: string;
}

class Apply {
  /** The tenant's SLA contract (undefined: not read yet). */
  contract: unknown = undefined;
  private readonly touched = new Set<string>();
  constructor(
    private readonly tx: TxQueryable,
    private readonly p: Principal,
    private readonly version: number,
    private readonly now: number,
  ) {}

  /**
   * A mutation's writes wait here until it has passed every check, then are queued on the
   * transaction (sent with the next statement): a rejected mutation writes nothing, with or
   * without a savepoint (see applyPush).
   */
  private writes: { sql: string; params: unknown[] }[] = [];
  private async write(sql: string, params: unknown[]): Promise<void> {
    this.writes.push({ sql, params });
  }
  async queueWrites(): Promise<void> {
    for (const w of this.writes.splice(0)) await this.tx.defer(w.sql, w.params);
  }
  dropWrites(): void {
    this.writes = [];
  }

  /** The ticket, row-locked. Reads (one round trip each) go now; writes wait (see write). */
  async ticket(id: string): Promise<TicketRow> {
    const r = await this.tx.query<TicketRow>('SELECT * FROM tickets WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [this.p.tenantId, id]);
    const t = r.rows[0];
    if (!t) throw new Rejection('unknown_ticket');
    return t;
  }

  private async bump(ticketId: string, set: string, params: unknown[]): Promise<void> {
    const sets = set ? `${set}, version = $3` : 'version = $3';
    await this.write(`UPDATE tickets SET ${sets} WHERE tenant_id = $1 AND id = $2`, [this.p.tenantId, ticketId, this.version, ...params]);
    this.touched.add(ticketId);
  }

  private async insertEvent(ticketId: string, e: { id: string; type: string; at: number; author?: string | null | undefined; data: Record<string, unknown> }, hlc: string): Promise<void> {
    await this.write(
      `INSERT INTO ticket_events (tenant_id, id, ticket_id, type, at, author, data, device_id, hlc, version, received_at, device_name)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12) ON CONFLICT (tenant_id, id) DO NOTHING`,
      [this.p.tenantId, e.id, ticketId, e.type, e.at, e.author ?? null, JSON.stringify(e.data), this.p.deviceId, hlc, this.version, this.now, this.p.deviceName],
    );
  }

  async run(key: string, payload: unknown, hlc: string): Promise<Applied> {
    switch (key) {
      case 'ticket.create@1':
      case 'ticket.create@2':
        return this.create(payload as MutationPayload<'ticket.create@2'>, hlc);
      case 'ticket.event@1':
        return this.event(payload as MutationPayload<'ticket.event@1'>, hlc);
      case 'ticket.setPriority@1': {
        const m = payload as MutationPayload<'ticket.setPriority@1'>;
        return this.lww(m.ticketId, 'priority', m.priority, hlc);
      }
      case 'ticket.assign@1': {
        const m = payload as MutationPayload<'ticket.assign@1'>;
        return this.lww(m.ticketId, 'assignee', m.assignee, hlc);
      }
      case 'ticket.edit@1':
        return this.edit(payload as MutationPayload<'ticket.edit@1'>, hlc);
      case 'conflict.resolve@1':
        return this.resolve(payload as MutationPayload<'conflict.resolve@1'>, hlc);
      case 'ticket.setIntake@1':
        return this.intake(payload as MutationPayload<'ticket.setIntake@1'>, hlc);
      case 'record.put@1':
        return this.record(payload as MutationPayload<'record.put@1'>, hlc);
      case 'alert.ack@1': {
        const m = payload as MutationPayload<'alert.ack@1'>;
        await this.ticket(m.ticketId);
        const w = alertAckWrite(m, this.p, hlc, this.version, this.now);
        await this.write(w.sql, w.params);
        return {};
      }
      default:
        throw new Rejection('unknown_mutation');
    }
  }

  private async create(m: MutationPayload<'ticket.create@2'>, hlc: string): Promise<Applied> {
    const { prefix } = parseCaseNumber(m.caseNumber);
    const canonical = parseCaseNumber(m.caseNumber).canonical;
    // The prefix's owner, and whether the id or the number is taken, in one round trip.
    const found = await this.tx.query<{ owner: string | null; id_taken: boolean; number_taken: boolean; same_create: boolean }>(
      `SELECT (SELECT device_id FROM case_prefixes WHERE tenant_id = $1 AND prefix = $2) AS owner,
              EXISTS (SELECT 1 FROM tickets WHERE tenant_id = $1 AND id = $3) AS id_taken,
              EXISTS (SELECT 1 FROM tickets WHERE tenant_id = $1 AND case_number = $4) AS number_taken,
              EXISTS (SELECT 1 FROM ticket_events WHERE tenant_id = $1 AND id = $5 AND ticket_id = $3 AND type = 'created') AS same_create`,
      [this.p.tenantId, prefix, m.ticketId, canonical, m.createdEventId],
    );
    const f = found.rows[0];
    if (!f?.owner) {
      // A provisional prefix (issued before enrolment) nobody claimed yet: it becomes this device's.
      if (prefixKind(prefix) !== 'provisional') throw new Rejection('case_prefix_not_yours');
      await this.write(`INSERT INTO case_prefixes (tenant_id, prefix, device_id, kind, created_at) VALUES ($1, $2, $3, 'provisional', $4)`, [this.p.tenantId, prefix, this.p.deviceId, this.now]);
    } else if (f.owner !== this.p.deviceId) {
      throw new Rejection('case_prefix_not_yours');
    }
    const late = eventTimeProblem({ at: m.createdAt, path: 'createdAt', ticket: { createdAt: m.createdAt, createdBy: this.p.deviceId }, device: { id: this.p.deviceId, lastPullAt: this.lastPullAt } });
    if (late) throw new Rejection(late.reason, late.message);
    // The same ticket and created event ids: the same create made on another device (a planned visit, derived ids): it is there.
    if (f?.id_taken && f.same_create) return { message: 'the same ticket was created by another device' };
    if (f?.id_taken) throw new Rejection('ticket_exists');
    if (f?.number_taken) throw new Rejection('case_number_taken', `Case number ${canonical} is already used by another ticket.`);
    const fieldHlc: Record<string, string> = { status: hlc };
    for (const f of ['priority', 'assignee', 'title', 'description', 'customerRef', 'vendorRef', 'reporterName', 'reporterPhone'] as const) {
      if (m[f] != null) fieldHlc[f] = hlc;
    }
    await this.write(
      `INSERT INTO tickets (tenant_id, id, case_number, customer_id, channel, title, description, customer_ref, vendor_ref,
         reporter_name, reporter_phone, priority, assignee, status, policy, field_hlc, created_at, created_by, version,
         contract_id, site_id, asset_id, intake)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,'open',$14,$15::jsonb,$16,$17,$18,$19,$20,$21,$22::jsonb)`,
      [
        this.p.tenantId, m.ticketId, canonical, m.customerId, m.channel, m.title ?? null, m.description ?? null, m.customerRef ?? null,
        m.vendorRef ?? null, m.reporterName ?? null, m.reporterPhone ?? null, m.priority ?? null, m.assignee ?? null, m.policy ?? null,
        JSON.stringify(fieldHlc), m.createdAt, this.p.deviceId, this.version,
        m.contractId ?? null, m.siteId ?? null, m.assetId ?? null, m.intake ? JSON.stringify(m.intake) : null,
      ],
    );
    this.touched.add(m.ticketId);
    await this.insertEvent(m.ticketId, { id: m.createdEventId, type: 'created', at: m.createdAt, author: m.author ?? null, data: m.policy ? { policy: m.policy } : {} }, hlc);
    return {};
  }

  private async event(m: MutationPayload<'ticket.event@1'>, hlc: string): Promise<Applied> {
    const e = m.event;
    // The ticket (locked) and whether the event is on its timeline already, in one round trip.
    const r = await this.tx.query<TicketRow & { event_seen: boolean }>(
      'SELECT t.*, EXISTS (SELECT 1 FROM ticket_events WHERE tenant_id = $1 AND id = $3) AS event_seen FROM tickets t WHERE t.tenant_id = $1 AND t.id = $2 FOR UPDATE OF t',
      [this.p.tenantId, m.ticketId, e.id],
    );
    const t = r.rows[0];
    if (!t) throw new Rejection('unknown_ticket');
    if (t.event_seen) return { message: 'event already on the timeline' }; // union by event id
    const late = eventTimeProblem({ at: e.at, ticket: { createdAt: Number(t.created_at), createdBy: String(t.created_by) }, device: { id: this.p.deviceId, lastPullAt: this.lastPullAt } });
    if (late) throw new Rejection(late.reason, late.message);
    const sets: string[] = [];
    const params: unknown[] = [];
    const fh = { ...t.field_hlc };
    const set = (col: string, v: unknown): void => {
      params.push(v);
      sets.push(`${col} = $${params.length + 3}`);
    };
    if (e.type === 'status') {
      const status = e.data.status as TicketStatus;
      const d = decideStatus({ status: t.status, statusHlc: t.field_hlc.status ?? null, closedVersion: t.closed_version }, { status, hlc, baseVersion: m.baseVersion });
      if (d === 'reject_closed') throw new Rejection('ticket_closed');
      if (d === 'apply') {
        set('status', status);
        set('closed_version', status === 'closed' ? (t.status === 'closed' ? t.closed_version : this.version) : null);
        fh.status = hlc;
      }
    }
    if (e.type === 'policy_changed' && lwwWins(t.field_hlc.policy, hlc)) {
      set('policy', e.data.policy);
      fh.policy = hlc;
    }
    set('field_hlc', JSON.stringify(fh));
    sets[sets.length - 1] += '::jsonb';
    await this.insertEvent(m.ticketId, e, hlc);
    await this.bump(m.ticketId, sets.join(', '), params);
    return {};
  }

  /**
   * When set, last-writer-wins fields are written late: the ticket is read without a lock and the
   * conditional UPDATE goes with the push's last statement, so a ticket many devices change at once
   * is row-locked for well under a millisecond per push, not for the whole push. Only for pushes
   * that lock no other existing ticket (no lock-order deadlock, see applyPush). A newer value that
   * commits in between wins in the UPDATE's condition; the result then says applied, not superseded.
   */
  lateLww = false;
  private readonly late: { ticketId: string; field: 'priority' | 'assignee'; value: string | null; hlc: string }[] = [];

  private async lww(ticketId: string, field: 'priority' | 'assignee', value: string | null, hlc: string): Promise<Applied> {
    if (this.lateLww) {
      const r = await this.tx.query<{ h: string | null }>('SELECT field_hlc->>$3 AS h FROM tickets WHERE tenant_id = $1 AND id = $2', [this.p.tenantId, ticketId, field]);
      const row = r.rows[0];
      if (!row) throw new Rejection('unknown_ticket');
      if (!lwwWins(row.h, hlc)) return { message: SUPERSEDED };
      this.late.push({ ticketId, field, value, hlc });
      return {};
    }
    const t = await this.ticket(ticketId);
    if (!lwwWins(t.field_hlc[field], hlc)) return { message: SUPERSEDED };
    const fh = { ...t.field_hlc, [field]: hlc };
    // A priority or assignee does not move SLA deadlines: no re-derivation (not `touched`).
    await this.write(`UPDATE tickets SET ${field} = $4, field_hlc = $5::jsonb, version = $3 WHERE tenant_id = $1 AND id = $2`, [this.p.tenantId, ticketId, this.version, value, JSON.stringify(fh)]);
    return {};
  }

  /** Intake values: each key last-writer-wins on its own (`field_hlc["intake.<key>"]`). */
  private async intake(m: MutationPayload<'ticket.setIntake@1'>, hlc: string): Promise<Applied> {
    const t = await this.ticket(m.ticketId);
    const intake = { ...((t.intake as Record<string, string | null> | null) ?? {}) };
    const fh = { ...t.field_hlc };
    let won = 0;
    for (const [k, v] of Object.entries(m.values)) {
      if (!lwwWins(fh[`intake.${k}`], hlc)) continue;
      intake[k] = v;
      fh[`intake.${k}`] = hlc;
      won++;
    }
    if (won === 0) return { message: SUPERSEDED };
    // Intake values do not move SLA deadlines: no re-derivation (not `touched`).
    await this.write(`UPDATE tickets SET intake = $4::jsonb, field_hlc = $5::jsonb, version = $3 WHERE tenant_id = $1 AND id = $2`, [this.p.tenantId, m.ticketId, this.version, JSON.stringify(intake), JSON.stringify(fh)]);
    return won < Object.keys(m.values).length ? { message: 'some fields were changed later on another device; those kept the later value' } : {};
  }

  /** Queues the late last-writer-wins writes (in ticket id order) to go with the push's last statement. */
  async deferLate(): Promise<void> {
    const byTicket = [...this.late].sort((a, b) => (a.ticketId < b.ticketId ? -1 : a.ticketId > b.ticketId ? 1 : 0));
    for (const w of byTicket) {
      await this.tx.defer(
        `UPDATE tickets SET ${w.field} = $4, field_hlc = jsonb_set(field_hlc, ARRAY[$5::text], to_jsonb($6::text)), version = $3
          WHERE tenant_id = $1 AND id = $2 AND (field_hlc->>$5 IS NULL OR field_hlc->>$5 COLLATE "C" < $6::text COLLATE "C")`,
        [this.p.tenantId, w.ticketId, this.version, w.value, w.field, w.hlc],
      );
    }
  }

  private async edit(m: MutationPayload<'ticket.edit@1'>, hlc: string): Promise<Applied> {
    const t = await this.ticket(m.ticketId);
    const col = FIELD_COLUMN[m.field];
    const current = { value: (t[col] as string | null) ?? null, hlc: t.field_hlc[m.field] ?? null };
    const d = decideFieldEdit(current, { value: m.value, baseHlc: m.baseHlc, hlc });
    if (d === 'noop') return {};
    if (d === 'apply') {
      await this.bump(m.ticketId, `${col} = $4, field_hlc = $5::jsonb`, [m.value, JSON.stringify({ ...t.field_hlc, [m.field]: hlc })]);
      return {};
    }
    // Concurrent edits with different values: a conflict for a person to resolve. The field keeps its value.
    const mine = { value: m.value, hlc, deviceId: this.p.deviceId };
    const open = await this.tx.query<{ id: string; candidates: { value: string | null; hlc: string; deviceId: string }[] }>(
      `SELECT id, candidates FROM conflicts WHERE tenant_id = $1 AND ticket_id = $2 AND field = $3 AND status = 'open'`,
      [this.p.tenantId, m.ticketId, m.field],
    );
    const c = open.rows[0];
    if (c) {
      const cands = c.candidates.some((x) => x.value === mine.value) ? c.candidates : [...c.candidates, mine];
      await this.write('UPDATE conflicts SET candidates = $3::jsonb, version = $4 WHERE tenant_id = $1 AND id = $2', [this.p.tenantId, c.id, JSON.stringify(cands), this.version]);
      return { conflictId: c.id };
    }
    const id = this.mutationId;
    const theirs = { value: current.value, hlc: current.hlc as string, deviceId: current.hlc ? decodeHlc(current.hlc).node : 'unknown' };
    await this.write(
      `INSERT INTO conflicts (tenant_id, id, ticket_id, field, candidates, status, created_at, version) VALUES ($1,$2,$3,$4,$5::jsonb,'open',$6,$7)`,
      [this.p.tenantId, id, m.ticketId, m.field, JSON.stringify([theirs, mine]), this.now, this.version],
    );
    return { conflictId: id };
  }

  mutationId = '';
  /** The server's clock at the pushing device's last pull (server/event-times.ts); null: never pulled. */
  lastPullAt: number | null = null;

  /**
   * A reference record: the whole record, last writer (HLC) wins. Its parent
   * (the contract's customer, the contact's contract, ...) must be on the
   * server; an agreement number belongs to one contract. A contract change
   * re-derives the SLA state of the contract's open tickets.
   */
  private async record(m: MutationPayload<'record.put@1'>, hlc: string): Promise<Applied> {
    const data = RECORD_DATA[m.kind].parse(m.data) as Record<string, unknown>;
    const cur = await this.tx.query<{ kind: string; hlc: string; data: Record<string, unknown> }>('SELECT kind, hlc, data FROM records WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [this.p.tenantId, m.id]);
    const c = cur.rows[0];
    if (c && c.kind !== m.kind) throw new Rejection('invalid_payload', `id: record ${m.id} is a ${c.kind}, not a ${m.kind}`);
    const parents: [string, unknown][] = m.kind === 'contact' ? [['contract', data.contractId]] : m.kind === 'customer' || m.kind === 'rota' ? [] : [['customer', data.customerId]];
    if (m.kind === 'asset' && data.siteId) parents.push(['site', data.siteId]);
    for (const [kind, id] of parents) {
      const r = await this.tx.query('SELECT 1 FROM records WHERE tenant_id = $1 AND id = $2 AND kind = $3 AND NOT deleted', [this.p.tenantId, id, kind]);
      if (!r.rows.length) throw new Rejection('unknown_record', `The ${kind} ${String(id)} of this ${m.kind} is not on the server (its creation may have been rejected).`);
    }
    if (c && !lwwWins(c.hlc, hlc)) return { message: SUPERSEDED };
    if (m.kind === 'contract') {
      const taken = await this.tx.query(`SELECT 1 FROM records WHERE tenant_id = $1 AND kind = 'contract' AND data->>'agreementNumber' = $2 AND id <> $3`, [this.p.tenantId, data.agreementNumber, m.id]);
      if (taken.rows.length) throw new Rejection('agreement_taken', `Agreement ${String(data.agreementNumber)} is already on the server as another contract (registered on another device).`);
    }
    await this.write(
      `INSERT INTO records (tenant_id, id, kind, data, deleted, hlc, device_id, version) VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8)
       ON CONFLICT (tenant_id, id) DO UPDATE SET data = excluded.data, deleted = excluded.deleted, hlc = excluded.hlc, device_id = excluded.device_id, version = excluded.version`,
      [this.p.tenantId, m.id, m.kind, JSON.stringify(data), m.deleted, hlc, this.p.deviceId, this.version],
    );
    // Only what the SLA clock reads moves deadlines (not the rate card, wording, checklist or support code).
    const slaInputs = (d: Record<string, unknown> | undefined) => canonicalJson([d?.policySet ?? null, d?.defaultPolicy ?? null]);
    if (m.kind === 'contract' && c && slaInputs(c.data) !== slaInputs(data)) {
      const open = await this.tx.query<{ id: string }>(
        `SELECT id FROM tickets WHERE tenant_id = $1 AND contract_id = $2 AND status NOT IN ('resolved', 'closed') ORDER BY id FOR UPDATE`,
        [this.p.tenantId, m.id],
      );
      for (const t of open.rows) await this.bump(t.id, '', []);
    }
    return {};
  }

  private async resolve(m: MutationPayload<'conflict.resolve@1'>, hlc: string): Promise<Applied> {
    const r = await this.tx.query<{ ticket_id: string; field: ConflictField; status: string }>('SELECT ticket_id, field, status FROM conflicts WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [this.p.tenantId, m.conflictId]);
    const c = r.rows[0];
    if (!c) throw new Rejection('unknown_conflict');
    const t = await this.ticket(c.ticket_id);
    if (c.status === 'open') {
      await this.write(`UPDATE conflicts SET status = 'resolved', resolution = $3, version = $4 WHERE tenant_id = $1 AND id = $2`, [this.p.tenantId, m.conflictId, m.value, this.version]);
    }
    if (lwwWins(t.field_hlc[c.field], hlc)) {
      await this.bump(c.ticket_id, `${FIELD_COLUMN[c.field]} = $4, field_hlc = $5::jsonb`, [m.value, JSON.stringify({ ...t.field_hlc, [c.field]: hlc })]);
    }
    return { conflictId: m.conflictId };
  }

  /**
   * Re-derives the SLA state of every ticket this push touched: one round trip reads each ticket's
   * contract and SLA events; the updates go with the push's last statement (deferred).
   */
  async deriveSla(derive: SlaDeriver): Promise<void> {
    if (this.touched.size === 0) return;
    if (this.contract === undefined) {
      const r = await this.tx.query<{ sla_contract: unknown }>('SELECT sla_contract FROM tenants WHERE id = $1', [this.p.tenantId]);
      this.contract = r.rows[0]?.sla_contract ?? null;
    }
    // The ticket's own contract (a synced record) when it has one, else the tenant's ($3: whether it has one).
    // Ticket and record ids are COLLATE "C", ticket_events.ticket_id and tickets.contract_id are not: the
    // COLLATE clauses let each join and lookup use its index (without them: sequential scans).
    const r = await this.tx.query<{ id: string; ps: unknown; events: { type: string; at: number; data: Record<string, unknown>; hlc: string }[] | null }>(
      `SELECT t.id, r.data->'policySet' AS ps,
              CASE WHEN r.data->'policySet' IS NOT NULL OR $3::boolean THEN
                coalesce((SELECT json_agg(json_build_object('type', e.type, 'at', e.at, 'data', e.data, 'hlc', e.hlc)) FROM ticket_events e
                           WHERE e.tenant_id = t.tenant_id AND e.ticket_id = t.id COLLATE "default" AND e.type IN ('created','responded','status','update_logged','policy_changed')), '[]'::json)
              END AS events
         FROM tickets t LEFT JOIN records r ON r.tenant_id = t.tenant_id AND r.id = t.contract_id COLLATE "C"
        WHERE t.tenant_id = $1 AND t.id = ANY($2::text[] COLLATE "C") ORDER BY t.id`,
      [this.p.tenantId, [...this.touched].sort(), this.contract != null],
    );
    for (const row of r.rows) {
      const contract = row.ps ?? this.contract;
      if (!contract || !row.events) continue;
      const events = row.events.sort((a, b) => a.at - b.at || compareHlcStrings(a.hlc, b.hlc));
      const out = derive({ contract, events, now: this.now });
      await this.tx.defer('UPDATE tickets SET sla = $3::jsonb, next_due_at = $4 WHERE tenant_id = $1 AND id = $2', [this.p.tenantId, row.id, JSON.stringify(out.sla), out.nextDueAt]);
    }
  }
}

export interface PushStats {
  applied: number;
  duplicate: number;
  rejected: number;
}

/**
 * The tables whose rows carry the tenant version of their last change (pull.ts reads them).
 * A push writes its rows with its own negative pending version and stamps them in its last statement.
 */
const VERSIONED = ['tickets', 'ticket_events', 'conflicts', 'records', 'alert_acks'] as const;

/**
 * The push's last statement, sent with COMMIT in one round trip (`queryAndCommit`): take the tenant
 * version (row lock until COMMIT), stamp this push's rows (found by its own pending version through
 * the `*_pull (tenant_id, version, id)` indexes), write the mutations log, advance `last_seq`.
 * $1 tenant, $2 max HLC, $3 pending version, $4 device, $5 last_seq, then 12 values per log row
 * (every column but applied_version, which is the version taken here).
 */
function finalStatement(logRows: number): string {
  const cols = 12;
  const values = Array.from({ length: logRows }, (_, r) => {
    const b = 5 + r * cols;
    const ps = Array.from({ length: cols }, (_, c) => `$${b + c + 1}`);
    // applied_version is the version this statement takes
    return `(${ps.slice(0, 11).join(', ')}, (SELECT version FROM v), ${ps[11]})`;
  });
  const stamps = VERSIONED.map((t) =>
    t === 'tickets'
      ? `s_${t} AS (UPDATE tickets SET version = (SELECT version FROM v), closed_version = CASE WHEN closed_version = $3 THEN (SELECT version FROM v) ELSE closed_version END WHERE tenant_id = $1 AND version = $3)`
      : `s_${t} AS (UPDATE ${t} SET version = (SELECT version FROM v) WHERE tenant_id = $1 AND version = $3)`,
  );
  return `WITH v AS (
      UPDATE tenants SET version = version + 1,
        max_hlc = CASE WHEN $2::text IS NOT NULL AND (max_hlc IS NULL OR $2::text COLLATE "C" > max_hlc COLLATE "C") THEN $2::text ELSE max_hlc END
       WHERE id = $1 RETURNING version),
    ${stamps.join(',\n    ')},
    d AS (UPDATE devices SET last_seq = $5 WHERE id = $4),
    log AS (INSERT INTO mutations (device_id, seq, id, tenant_id, name, version, hlc, status, reason, message, conflict_id, applied_version, received_at)
      VALUES ${values.join(', ')} ON CONFLICT DO NOTHING)
    SELECT version FROM v`;
}

/** A version no committed row has, unique to this push (rows it writes carry it until the last statement). */
function pendingVersion(): number {
  return -1 - Math.floor(Math.random() * 2 ** 52);
}

type LoggedMutation = { id: string; status: 'applied' | 'rejected'; reason: string | null; message: string | null; conflict_id: string | null };

/**
 * Applies a push. First without savepoints: a mutation's writes are queued only once it has passed
 * its checks (a rejection writes nothing) and go with the next statement, so a push of n mutations
 * takes about n + 3 round trips. Should PostgreSQL refuse a write (a unique key another push took
 * meanwhile, a value the checks let through), the transaction is rolled back and the push runs
 * again carefully: each mutation under a savepoint with its writes sent before the next, so the
 * failing one is rejected with a reason and the rest apply (never a push that fails for ever).
 */
export async function applyPush(ctx: PushContext, p: Principal, mutations: MutationEnvelope[]): Promise<PushResponse & { stats: PushStats }> {
  try {
    return await attemptPush(ctx, p, mutations, false);
  } catch (e) {
    if (!/^[0-9A-Z]{5}$/.test(pgCode(e) ?? '')) throw e;
    return attemptPush(ctx, p, mutations, true);
  }
}

async function attemptPush(ctx: PushContext, p: Principal, mutations: MutationEnvelope[], careful: boolean): Promise<PushResponse & { stats: PushStats }> {
  const sorted = [...mutations].sort((a, b) => a.seq - b.seq);
  const stats: PushStats = { applied: 0, duplicate: 0, rejected: 0 };
  const now = ctx.clock.now();
  const out = await ctx.db.transaction(async (tx) => {
    // Serialise pushes of the same device (two resends of one push) without blocking the tenant.
    // (Sent in one round trip with BEGIN; the tenant's SLA contract comes along, unlocked.)
    // The log entries this push needs come in the same round trip, read after the device lock (their
    // statement has its own snapshot, so a resend that committed meanwhile is seen): its seqs already
    // processed, and its mutation ids used before. BEGIN goes along too (see db.ts).
    const [dev, logged] = (await tx.queryAll([
      {
        sql: 'SELECT d.last_seq, d.last_pull_at, t.sla_contract FROM devices d JOIN tenants t ON t.id = d.tenant_id WHERE d.id = $1 AND d.tenant_id = $2 FOR UPDATE OF d',
        params: [p.deviceId, p.tenantId],
      },
      {
        sql: `SELECT device_id, seq, id, status, reason, message, conflict_id FROM mutations
               WHERE (device_id = $1 AND seq = ANY($2::bigint[])) OR (tenant_id = $3 AND id = ANY($4::text[]))`,
        params: [p.deviceId, sorted.map((m) => m.seq), p.tenantId, sorted.map((m) => m.id)],
      },
    ])) as [QueryResult<{ last_seq: number; last_pull_at: string | number | null; sla_contract: unknown }>, QueryResult<LoggedMutation & { seq: number; device_id: string }>];
    let lastSeq = dev.rows[0]?.last_seq ?? 0;
    const firstSeq = lastSeq;
    let maxSeen: string | null = null;
    const bySeq = new Map<number, LoggedMutation>();
    const usedIds = new Set<string>();
    for (const r of logged.rows) {
      if (r.device_id === p.deviceId) bySeq.set(r.seq, r);
      usedIds.add(r.id);
    }
    // Rows are written with this push's pending version and stamped with the tenant version at the end.
    const version = pendingVersion();
    const results: MutationResult[] = [];
    const log: unknown[] = [];
    const apply = new Apply(tx, p, version, now);
    apply.contract = dev.rows[0]?.sla_contract ?? null;
    apply.lastPullAt = dev.rows[0]?.last_pull_at == null ? null : Number(dev.rows[0].last_pull_at);
    // Ticket row locks in one stable (id) order when a push changes several existing tickets, so two
    // pushes touching the same tickets in different orders cannot deadlock.
    const ticketOf = (m: MutationEnvelope): unknown => (m.payload as { ticketId?: unknown } | null)?.ticketId;
    const fresh = sorted.filter((m) => m.seq > lastSeq);
    const created = new Set(fresh.filter((m) => m.name === 'ticket.create').map(ticketOf));
    const ticketIds = [...new Set(fresh.filter((m) => m.name !== 'ticket.create').map(ticketOf))].filter((t): t is string => typeof t === 'string' && !created.has(t));
    // Late last-writer-wins writes (see Apply.lateLww) when nothing else of this push locks an existing
    // ticket: it creates tickets, adds events to those, and sets priorities or assignees.
    const LWW = new Set(['ticket.setPriority', 'ticket.assign']);
    apply.lateLww = fresh.every((m) => m.name === 'ticket.create' || LWW.has(m.name) || (m.name === 'ticket.event' && created.has(ticketOf(m))));
    if (ticketIds.length > 1 && !apply.lateLww) {
      await tx.query('SELECT id FROM tickets WHERE tenant_id = $1 AND id = ANY($2::text[]) ORDER BY id FOR UPDATE', [p.tenantId, ticketIds.sort()]);
    }
    for (const m of sorted) {
      if (m.seq <= lastSeq) {
        const prev = bySeq.get(m.seq);
        if (prev && prev.id === m.id) {
          stats.duplicate++;
          results.push({
            id: m.id, seq: m.seq, status: 'duplicate', outcome: prev.status,
            ...(prev.reason ? { reason: prev.reason } : {}), ...(prev.message ? { message: prev.message } : {}), ...(prev.conflict_id ? { conflictId: prev.conflict_id } : {}),
          });
        } else {
          stats.rejected++;
          results.push({ id: m.id, seq: m.seq, status: 'rejected', reason: 'sequence_reused', message: REJECT_TEXT.sequence_reused });
        }
        continue;
      }
      if (m.seq > lastSeq + 1) break; // gap: an earlier push has not arrived; the client resends
      const key = mutationKey(m.name, m.version);
      let result: MutationResult;
      let savepoint = false;
      try {
        if (!isKnownMutation(key)) throw new Rejection('unknown_mutation', `The server does not know the change "${key}" (update the server).`);
        const stamp = hlcProblem(m.hlc, p.deviceId, now);
        if (stamp) throw new Rejection(stamp.reason, stamp.message);
        const parsed = MUTATIONS[key].safeParse(m.payload);
        if (!parsed.success) {
          const bad = schemaProblem(parsed.error.issues); // too_large or invalid_payload, naming the field
          throw new Rejection(bad.reason, bad.message);
        }
        // Instants against the server's clock, contracts against the SLA engine: before anything is stored or re-derived.
        const problem = mutationProblem(key, parsed.data, now);
        if (problem) throw new Rejection(problem.reason, problem.message);
        const denied = await roleProblem(tx, p, key, parsed.data); // the role matrix (core/sync/roles.ts)
        if (denied) throw new Rejection(denied.reason, denied.message);
        if (usedIds.has(m.id)) throw new Rejection('sequence_reused', 'This change id was already used under another sequence number.');
        if (careful) {
          // Savepoint statements go with the next statement (tx.defer): no round trips of their own.
          await tx.defer('SAVEPOINT m');
          savepoint = true;
        }
        apply.mutationId = m.id;
        const a = await apply.run(key, parsed.data, m.hlc);
        await apply.queueWrites();
        if (careful) {
          // The mutation's writes go now, with the RELEASE, so an error they raise is this mutation's.
          await tx.defer('RELEASE SAVEPOINT m');
          await tx.queryAll([]);
        }
        result = { id: m.id, seq: m.seq, status: 'applied', ...(a.conflictId ? { conflictId: a.conflictId } : {}), ...(a.message ? { message: a.message } : {}) };
        maxSeen = maxHlc(maxSeen, m.hlc);
      } catch (e) {
        apply.dropWrites();
        if (savepoint) await tx.defer('ROLLBACK TO SAVEPOINT m');
        let rej: Rejection;
        if (e instanceof Rejection) rej = e;
        else if ((e as Error).name === 'CaseNumberError' || (e as Error).name === 'HlcError') rej = new Rejection('invalid_payload', (e as Error).message);
        else if (!careful) throw e; // a database error: the whole push runs again, carefully (see applyPush)
        else if (pgCode(e) === '23505' && String((e as Error).message).includes('case_number')) rej = new Rejection('case_number_taken');
        else if (pgCode(e) === '23505' && String((e as Error).message).includes('records_agreement')) rej = new Rejection('agreement_taken');
        else if (pgCode(e) === '23505') rej = new Rejection('invalid_payload', 'The change collides with an existing record (duplicate id).');
        else if (/^2[23]/.test(pgCode(e) ?? '')) rej = new Rejection('invalid_payload', `The server could not store this change: ${(e as Error).message}`);
        else throw e;
        result = { id: m.id, seq: m.seq, status: 'rejected', reason: rej.reason, message: rej.message };
      }
      // Logged in the last statement (one multi-row INSERT); later mutations of this push see the id as used.
      log.push(p.deviceId, m.seq, m.id, p.tenantId, m.name, m.version, m.hlc, result.status, result.reason ?? null, result.message ?? null, result.conflictId ?? null, now);
      usedIds.add(m.id);
      if (result.status === 'applied') stats.applied++;
      else stats.rejected++;
      results.push(result);
      lastSeq = m.seq;
    }
    await apply.deriveSla(ctx.deriveSla);
    await apply.deferLate();
    if (ctx.beforeCommit) await ctx.beforeCommit();
    if (lastSeq !== firstSeq) {
      // Take the tenant's version last, in the statement that commits: the row lock is held only while
      // PostgreSQL runs that statement and COMMIT (no round trip to this process in between), so pushes
      // of a tenant are serialised for well under a millisecond each, and versions commit in increasing
      // order (pull.ts relies on it) while all the work above ran concurrently with other pushes.
      const tv = await tx.queryAndCommit<{ version: number }>(finalStatement(log.length / 12), [p.tenantId, maxSeen, version, p.deviceId, lastSeq, ...log]);
      if (tv.rows[0]?.version === undefined) throw new Error(`tenant ${p.tenantId} is gone`);
    }
    return { results, lastSeq };
  });
  return { ...out, stats };
}

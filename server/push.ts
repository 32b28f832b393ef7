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
 * The mutators (one file per mutation family) are in server/mutators/; step 3 in
 * server/push-sla.ts.
 *
 * Should PostgreSQL refuse a write the checks let through, the push runs again
 * carefully, each mutation under a savepoint, so only the failing one is
 * rejected (applyPush).
 */
import type { Clock } from '../core/clock.js';
import { REJECT_TEXT } from '../core/sync/protocol.js';
import { MUTATIONS, isKnownMutation, mutationKey } from '../core/sync/mutations.js';
import type { MutationEnvelope, MutationResult, PushResponse } from '../core/sync/mutations.js';
import { maxHlc } from '../core/sync/hlc.js';
import type { Principal } from './auth.js';
import type { Db, QueryResult, TxQueryable } from './db.js';
import { pgCode } from './db.js';
import type { SlaDeriver } from './sla.js';
import { hlcProblem, mutationProblem, schemaProblem } from './checks.js';
import { roleProblem } from './roles.js';
import { PushState, Rejection, deferLate, runMutation } from './mutators/index.js';
import { deriveTouched } from './push-sla.js';
import { forPg, sql, sqlId, sqlJoin } from '../db/sql.js';
import type { Sql, SqlParam } from '../db/sql.js';

export { Rejection } from './mutators/index.js';

export interface PushContext {
  db: Db;
  clock: Clock;
  deriveSla: SlaDeriver;
  /** Test hook: called inside the transaction after the mutations, before commit. */
  beforeCommit?: () => Promise<void>;
  /** In the transaction, before commit, with the results: the server's own writes that go with the push (server/integrations); throw to roll all back. */
  withinPush?: (tx: TxQueryable, results: readonly MutationResult[]) => Promise<void>;
  /** After the commit, when a mutation applied: the tenant's devices are poked (server/pokes.ts). */
  changed?: (tenantId: string) => void;
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
const VERSIONED = ['tickets', 'ticket_events', 'conflicts', 'records', 'alert_acks', 'user_settings'] as const;

/**
 * The push's last statement, sent with COMMIT in one round trip (`queryAndCommit`): take the tenant
 * version (row lock until COMMIT), stamp this push's rows (found by its own pending version through
 * the `*_pull (tenant_id, version, id)` indexes), write the mutations log, advance `last_seq`.
 * Each log row has every column but applied_version, which is the version taken here.
 */
function finalStatement(f: { tenantId: string; maxSeen: string | null; pending: number; deviceId: string; lastSeq: number }, log: SqlParam[][]): Sql {
  const v = sql`(SELECT version FROM v)`;
  const rows = log.map((r) => sql`(${sqlJoin(r.slice(0, 11))}, ${v}, ${r[11] as SqlParam})`);
  const stamps = VERSIONED.map((t) =>
    t === 'tickets'
      ? sql`s_tickets AS (UPDATE tickets SET version = ${v}, status_version = CASE WHEN status_version = ${f.pending} THEN ${v} ELSE status_version END WHERE tenant_id = ${f.tenantId} AND version = ${f.pending})`
      : sql`${sqlId(`s_${t}`)} AS (UPDATE ${sqlId(t)} SET version = ${v} WHERE tenant_id = ${f.tenantId} AND version = ${f.pending})`,
  );
  return sql`WITH v AS (
      UPDATE tenants SET version = version + 1,
        max_hlc = CASE WHEN ${f.maxSeen}::text IS NOT NULL AND (max_hlc IS NULL OR ${f.maxSeen}::text COLLATE "C" > max_hlc COLLATE "C") THEN ${f.maxSeen}::text ELSE max_hlc END
       WHERE id = ${f.tenantId} RETURNING version),
    ${sqlJoin(
      stamps,
      sql`,
    `,
    )},
    d AS (UPDATE devices SET last_seq = ${f.lastSeq} WHERE id = ${f.deviceId}),
    log AS (INSERT INTO mutations (device_id, seq, id, tenant_id, name, version, hlc, status, reason, message, conflict_id, applied_version, received_at)
      VALUES ${sqlJoin(rows)} ON CONFLICT DO NOTHING)
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
  let out;
  try {
    out = await attemptPush(ctx, p, mutations, false);
  } catch (e) {
    if (!/^[0-9A-Z]{5}$/.test(pgCode(e) ?? '')) throw e;
    out = await attemptPush(ctx, p, mutations, true);
  }
  if (out.stats.applied > 0) ctx.changed?.(p.tenantId);
  return out;
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
    const log: SqlParam[][] = [];
    const apply = new PushState(tx, p, version, now);
    apply.contract = dev.rows[0]?.sla_contract ?? null;
    apply.lastPullAt = dev.rows[0]?.last_pull_at == null ? null : Number(dev.rows[0].last_pull_at);
    // Ticket row locks in one stable (id) order when a push changes several existing tickets, so two
    // pushes touching the same tickets in different orders cannot deadlock.
    const ticketOf = (m: MutationEnvelope): unknown => (m.payload as { ticketId?: unknown } | null)?.ticketId;
    const fresh = sorted.filter((m) => m.seq > lastSeq);
    const created = new Set(fresh.filter((m) => m.name === 'ticket.create').map(ticketOf));
    const ticketIds = [...new Set(fresh.filter((m) => m.name !== 'ticket.create').map(ticketOf))].filter((t): t is string => typeof t === 'string' && !created.has(t));
    // Late last-writer-wins writes (see PushState.lateLww) when nothing else of this push locks an existing
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
            id: m.id,
            seq: m.seq,
            status: 'duplicate',
            outcome: prev.status,
            ...(prev.reason ? { reason: prev.reason } : {}),
            ...(prev.message ? { message: prev.message } : {}),
            ...(prev.conflict_id ? { conflictId: prev.conflict_id } : {}),
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
        const a = await runMutation(apply, key, parsed.data, m.hlc);
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
        else if (!careful)
          throw e; // a database error: the whole push runs again, carefully (see applyPush)
        else if (pgCode(e) === '23505' && String((e as Error).message).includes('case_number')) rej = new Rejection('case_number_taken');
        else if (pgCode(e) === '23505' && String((e as Error).message).includes('records_agreement')) rej = new Rejection('agreement_taken');
        else if (pgCode(e) === '23505') rej = new Rejection('invalid_payload', 'The change collides with an existing record (duplicate id).');
        else if (/^2[23]/.test(pgCode(e) ?? '')) rej = new Rejection('invalid_payload', `The server could not store this change: ${(e as Error).message}`);
        else throw e;
        result = { id: m.id, seq: m.seq, status: 'rejected', reason: rej.reason, message: rej.message };
      }
      // Logged in the last statement (one multi-row INSERT); later mutations of this push see the id as used.
      log.push([p.deviceId, m.seq, m.id, p.tenantId, m.name, m.version, m.hlc, result.status, result.reason ?? null, result.message ?? null, result.conflictId ?? null, now]);
      usedIds.add(m.id);
      if (result.status === 'applied') stats.applied++;
      else stats.rejected++;
      results.push(result);
      lastSeq = m.seq;
    }
    await deriveTouched(apply, ctx.deriveSla);
    await deferLate(apply);
    if (ctx.beforeCommit) await ctx.beforeCommit();
    if (ctx.withinPush) await ctx.withinPush(tx, results);
    if (lastSeq !== firstSeq) {
      // Take the tenant's version last, in the statement that commits: the row lock is held only while
      // PostgreSQL runs that statement and COMMIT (no round trip to this process in between), so pushes
      // of a tenant are serialised for well under a millisecond each, and versions commit in increasing
      // order (pull.ts relies on it) while all the work above ran concurrently with other pushes.
      const last = forPg(finalStatement({ tenantId: p.tenantId, maxSeen, pending: version, deviceId: p.deviceId, lastSeq }, log));
      const tv = await tx.queryAndCommit<{ version: number }>(last.text, last.params as unknown[]);
      if (tv.rows[0]?.version === undefined) throw new Error(`tenant ${p.tenantId} is gone`);
    }
    return { results, lastSeq };
  });
  return { ...out, stats };
}

/**
 * The ticket mutators of a push: `ticket.create@1/2` (a new ticket with its `created` event, the
 * case prefix claimed or checked) and `ticket.event@1` (an event on the timeline; a status or
 * policy change updates the ticket too).
 */
import { parseCaseNumber, prefixKind } from '../../core/ids/case-number.js';
import type { MutationPayload, TicketStatus } from '../../core/sync/mutations.js';
import { decideStatus, staleStatusMessage } from '../../core/sync/merge.js';
import { createdFields, effectOn, mutationEffect } from '../../core/sync/replay.js';
import { eventTimeProblem } from '../event-times.js';
import { sql } from '../../db/sql.js';
import type { Sql } from '../../db/sql.js';
import { Rejection, effectSets } from './state.js';
import type { Applied, PushState, TicketRow } from './state.js';

export async function createTicket(s: PushState, m: MutationPayload<'ticket.create@2'>, hlc: string): Promise<Applied> {
  const { prefix } = parseCaseNumber(m.caseNumber);
  const canonical = parseCaseNumber(m.caseNumber).canonical;
  // The prefix's owner, and whether the id or the number is taken, in one round trip.
  const found = await s.tx.query<{ owner: string | null; id_taken: boolean; number_taken: boolean; same_create: boolean }>(
    `SELECT (SELECT device_id FROM case_prefixes WHERE tenant_id = $1 AND prefix = $2) AS owner,
            EXISTS (SELECT 1 FROM tickets WHERE tenant_id = $1 AND id = $3) AS id_taken,
            EXISTS (SELECT 1 FROM tickets WHERE tenant_id = $1 AND case_number = $4) AS number_taken,
            EXISTS (SELECT 1 FROM ticket_events WHERE tenant_id = $1 AND id = $5 AND ticket_id = $3 AND type = 'created') AS same_create`,
    [s.p.tenantId, prefix, m.ticketId, canonical, m.createdEventId],
  );
  const f = found.rows[0];
  if (!f?.owner) {
    // A provisional prefix (issued before enrolment) nobody claimed yet: it becomes this device's.
    if (prefixKind(prefix) !== 'provisional') throw new Rejection('case_prefix_not_yours');
    await s.write(`INSERT INTO case_prefixes (tenant_id, prefix, device_id, kind, created_at) VALUES ($1, $2, $3, 'provisional', $4)`, [s.p.tenantId, prefix, s.p.deviceId, s.now]);
  } else if (f.owner !== s.p.deviceId) {
    throw new Rejection('case_prefix_not_yours');
  }
  const late = eventTimeProblem({ at: m.createdAt, path: 'createdAt', ticket: { createdAt: m.createdAt, createdBy: s.p.deviceId }, device: { id: s.p.deviceId, lastPullAt: s.lastPullAt } });
  if (late) throw new Rejection(late.reason, late.message);
  // The same ticket and created event ids: the same create made on another device (a planned visit, derived ids): it is there.
  if (f?.id_taken && f.same_create) return { message: 'the same ticket was created by another device' };
  if (f?.id_taken) throw new Rejection('ticket_exists');
  if (f?.number_taken) throw new Rejection('case_number_taken', `Case number ${canonical} is already used by another ticket.`);
  // The ticket a create makes: core/sync/replay.ts, as a device shows its pending create.
  const t = createdFields(m, hlc);
  await s.write(
    `INSERT INTO tickets (tenant_id, id, case_number, customer_id, channel, title, description, customer_ref, vendor_ref,
       reporter_name, reporter_phone, priority, assignee, status, policy, field_hlc, created_at, created_by, version,
       contract_id, site_id, asset_id, intake, status_version)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,'open',$14,$15::jsonb,$16,$17,$18,$19,$20,$21,$22::jsonb,$18)`,
    [
      s.p.tenantId,
      m.ticketId,
      canonical,
      m.customerId,
      m.channel,
      t.title,
      t.description,
      t.customerRef,
      t.vendorRef,
      t.reporterName,
      t.reporterPhone,
      t.priority,
      t.assignee,
      t.policy,
      JSON.stringify(t.fieldHlc),
      m.createdAt,
      s.p.deviceId,
      s.version,
      m.contractId ?? null,
      m.siteId ?? null,
      m.assetId ?? null,
      t.intake ? JSON.stringify(t.intake) : null,
    ],
  );
  s.touched.add(m.ticketId);
  await s.insertEvent(m.ticketId, { id: m.createdEventId, type: 'created', at: m.createdAt, author: m.author ?? null, data: m.policy ? { policy: m.policy } : {} }, hlc);
  return {};
}

export async function addEvent(s: PushState, m: MutationPayload<'ticket.event@1'>, hlc: string): Promise<Applied> {
  const e = m.event;
  // The ticket (locked) and whether the event is on its timeline already, in one round trip.
  const r = await s.tx.query<TicketRow & { event_seen: boolean }>(
    'SELECT t.*, EXISTS (SELECT 1 FROM ticket_events WHERE tenant_id = $1 AND id = $3) AS event_seen FROM tickets t WHERE t.tenant_id = $1 AND t.id = $2 FOR UPDATE OF t',
    [s.p.tenantId, m.ticketId, e.id],
  );
  const t = r.rows[0];
  if (!t) throw new Rejection('unknown_ticket');
  if (t.event_seen) return { message: 'event already on the timeline' }; // union by event id
  const late = eventTimeProblem({ at: e.at, ticket: { createdAt: Number(t.created_at), createdBy: String(t.created_by) }, device: { id: s.p.deviceId, lastPullAt: s.lastPullAt } });
  if (late) throw new Rejection(late.reason, late.message);
  // Whether the event's effect on the ticket's fields (core/sync/replay.ts) holds: status by
  // decideStatus (a stale change to or from resolved/closed is refused), the policy by last writer wins.
  let wins = false;
  const extra: Sql[] = [];
  if (e.type === 'status') {
    const status = e.data.status as TicketStatus;
    const d = decideStatus(
      { status: t.status, statusHlc: t.field_hlc.status ?? null, statusVersion: t.status_version === null ? null : Number(t.status_version) },
      { status, hlc, baseVersion: m.baseVersion },
    );
    if (d === 'reject_stale') throw new Rejection('ticket_closed', staleStatusMessage(t.status, status));
    wins = d === 'apply';
    if (wins && status !== t.status) extra.push(sql`status_version = ${s.version}`); // the status's version: when it last changed
  }
  // A status change as decided above; a policy change by last writer wins (effectOn), as devices replay it.
  const effect = e.type !== 'status' ? effectOn(t.field_hlc, 'ticket.event@1', m, hlc) : wins ? mutationEffect('ticket.event@1', m) : { set: {}, intake: {}, stamps: [] };
  await s.insertEvent(m.ticketId, e, hlc);
  await s.bump(m.ticketId, effectSets(t, effect, hlc, extra));
  return {};
}

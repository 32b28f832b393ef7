/**
 * The conflict mutators of a push: `ticket.edit@1` (a field edit; concurrent edits with different
 * values open a conflict for a person to resolve) and `conflict.resolve@1`.
 */
import { decodeHlc } from '../../core/ids/hlc.js';
import type { ConflictField, MutationPayload } from '../../core/sync/mutations.js';
import { decideFieldEdit, lwwWins } from '../../core/sync/merge.js';
import { TICKET_FIELDS } from '../../core/domain/index.js';
import { mutationEffect } from '../../core/sync/replay.js';
import { Rejection, effectSets } from './state.js';
import type { Applied, PushState } from './state.js';

export async function editField(s: PushState, m: MutationPayload<'ticket.edit@1'>, hlc: string): Promise<Applied> {
  const t = await s.ticket(m.ticketId);
  const col = TICKET_FIELDS[m.field].column;
  const current = { value: (t[col] as string | null) ?? null, hlc: t.field_hlc[m.field] ?? null };
  const d = decideFieldEdit(current, { value: m.value, baseHlc: m.baseHlc, hlc });
  if (d === 'noop') return {};
  if (d === 'apply') {
    await s.bump(m.ticketId, effectSets(t, mutationEffect('ticket.edit@1', m), hlc));
    return {};
  }
  // Concurrent edits with different values: a conflict for a person to resolve. The field keeps its value.
  const mine = { value: m.value, hlc, deviceId: s.p.deviceId };
  const open = await s.tx.query<{ id: string; candidates: { value: string | null; hlc: string; deviceId: string }[] }>(
    `SELECT id, candidates FROM conflicts WHERE tenant_id = $1 AND ticket_id = $2 AND field = $3 AND status = 'open'`,
    [s.p.tenantId, m.ticketId, m.field],
  );
  const c = open.rows[0];
  if (c) {
    const cands = c.candidates.some((x) => x.value === mine.value) ? c.candidates : [...c.candidates, mine];
    await s.write('UPDATE conflicts SET candidates = $3::jsonb, version = $4 WHERE tenant_id = $1 AND id = $2', [s.p.tenantId, c.id, JSON.stringify(cands), s.version]);
    return { conflictId: c.id };
  }
  const id = s.mutationId;
  const theirs = { value: current.value, hlc: current.hlc as string, deviceId: current.hlc ? decodeHlc(current.hlc).node : 'unknown' };
  await s.write(`INSERT INTO conflicts (tenant_id, id, ticket_id, field, candidates, status, created_at, version) VALUES ($1,$2,$3,$4,$5::jsonb,'open',$6,$7)`, [
    s.p.tenantId,
    id,
    m.ticketId,
    m.field,
    JSON.stringify([theirs, mine]),
    s.now,
    s.version,
  ]);
  return { conflictId: id };
}

export async function resolveConflict(s: PushState, m: MutationPayload<'conflict.resolve@1'>, hlc: string): Promise<Applied> {
  const r = await s.tx.query<{ ticket_id: string; field: ConflictField; status: string }>('SELECT ticket_id, field, status FROM conflicts WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [
    s.p.tenantId,
    m.conflictId,
  ]);
  const c = r.rows[0];
  if (!c) throw new Rejection('unknown_conflict');
  const t = await s.ticket(c.ticket_id);
  if (c.status === 'open') {
    await s.write(`UPDATE conflicts SET status = 'resolved', resolution = $3, version = $4 WHERE tenant_id = $1 AND id = $2`, [s.p.tenantId, m.conflictId, m.value, s.version]);
  }
  if (lwwWins(t.field_hlc[c.field], hlc))
    await s.bump(
      c.ticket_id,
      effectSets(
        t,
        mutationEffect('conflict.resolve@1', m, () => c.field),
        hlc,
      ),
    );
  return { conflictId: m.conflictId };
}

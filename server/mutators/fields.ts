/**
 * The last-writer-wins mutators of a push: `ticket.setPriority@1`, `ticket.assign@1` (written late
 * when the push allows it, see PushState.lateLww) and `ticket.setIntake@1` (each intake key on its own).
 */
import { SUPERSEDED } from '../../core/sync/protocol.js';
import type { MutationPayload } from '../../core/sync/mutations.js';
import { lwwWins } from '../../core/sync/merge.js';
import { forPg, sql, sqlId } from '../../db/sql.js';
import { Rejection } from './state.js';
import type { Applied, PushState } from './state.js';

export async function setLww(s: PushState, ticketId: string, field: 'priority' | 'assignee', value: string | null, hlc: string): Promise<Applied> {
  if (s.lateLww) {
    const r = await s.tx.query<{ h: string | null }>('SELECT field_hlc->>$3 AS h FROM tickets WHERE tenant_id = $1 AND id = $2', [s.p.tenantId, ticketId, field]);
    const row = r.rows[0];
    if (!row) throw new Rejection('unknown_ticket');
    if (!lwwWins(row.h, hlc)) return { message: SUPERSEDED };
    s.late.push({ ticketId, field, value, hlc });
    return {};
  }
  const t = await s.ticket(ticketId);
  if (!lwwWins(t.field_hlc[field], hlc)) return { message: SUPERSEDED };
  const fh = { ...t.field_hlc, [field]: hlc };
  // A priority or assignee does not move SLA deadlines: no re-derivation (not `touched`).
  await s.write(sql`UPDATE tickets SET ${sqlId(field)} = ${value}, field_hlc = ${JSON.stringify(fh)}::jsonb, version = ${s.version} WHERE tenant_id = ${s.p.tenantId} AND id = ${ticketId}`);
  return {};
}

/** Intake values: each key last-writer-wins on its own (`field_hlc["intake.<key>"]`). */
export async function setIntake(s: PushState, m: MutationPayload<'ticket.setIntake@1'>, hlc: string): Promise<Applied> {
  const t = await s.ticket(m.ticketId);
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
  await s.write(`UPDATE tickets SET intake = $4::jsonb, field_hlc = $5::jsonb, version = $3 WHERE tenant_id = $1 AND id = $2`, [
    s.p.tenantId,
    m.ticketId,
    s.version,
    JSON.stringify(intake),
    JSON.stringify(fh),
  ]);
  return won < Object.keys(m.values).length ? { message: 'some fields were changed later on another device; those kept the later value' } : {};
}

/** Queues the late last-writer-wins writes (in ticket id order) to go with the push's last statement. */
export async function deferLate(s: PushState): Promise<void> {
  const byTicket = [...s.late].sort((a, b) => (a.ticketId < b.ticketId ? -1 : a.ticketId > b.ticketId ? 1 : 0));
  for (const w of byTicket) {
    const q = forPg(sql`UPDATE tickets SET ${sqlId(w.field)} = ${w.value}, field_hlc = jsonb_set(field_hlc, ARRAY[${w.field}::text], to_jsonb(${w.hlc}::text)), version = ${s.version}
        WHERE tenant_id = ${s.p.tenantId} AND id = ${w.ticketId} AND (field_hlc->>${w.field}::text IS NULL OR field_hlc->>${w.field}::text COLLATE "C" < ${w.hlc}::text COLLATE "C")`);
    await s.tx.defer(q.text, q.params as unknown[]);
  }
}

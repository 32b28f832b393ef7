/**
 * The last-writer-wins mutators of a push: `ticket.setPriority@1`, `ticket.assign@1` (written late
 * when the push allows it, see PushState.lateLww) and `ticket.setIntake@1` (each intake key on its
 * own). What each wins is core/sync/replay.ts `effectOn`, the definition devices replay.
 */
import { SUPERSEDED } from '../../core/sync/protocol.js';
import { effectOn, mutationEffect } from '../../core/sync/replay.js';
import { forPg, sql } from '../../db/sql.js';
import { Rejection, effectSets, lateEffectUpdate } from './state.js';
import type { Applied, PushState } from './state.js';

/**
 * A last-writer-wins mutation: what it wins against the ticket's field HLCs (core/sync/replay.ts
 * `effectOn`, as devices replay it) is written; nothing won: superseded. Priority, assignee and
 * intake values do not move SLA deadlines: no re-derivation (not `touched`).
 */
export async function setLww(s: PushState, key: 'ticket.setPriority@1' | 'ticket.assign@1' | 'ticket.setIntake@1', m: { ticketId: string }, hlc: string): Promise<Applied> {
  if (s.lateLww) {
    const r = await s.tx.query<{ fh: Record<string, string> }>('SELECT field_hlc AS fh FROM tickets WHERE tenant_id = $1 AND id = $2', [s.p.tenantId, m.ticketId]);
    const row = r.rows[0];
    if (!row) throw new Rejection('unknown_ticket');
    const effect = effectOn(row.fh, key, m, hlc);
    if (!effect.stamps.length) return { message: SUPERSEDED };
    s.late.push({ ticketId: m.ticketId, effect, hlc });
    return {};
  }
  const t = await s.ticket(m.ticketId);
  const effect = effectOn(t.field_hlc, key, m, hlc);
  if (!effect.stamps.length) return { message: SUPERSEDED };
  await s.write(sql`UPDATE tickets SET ${effectSets(t, effect, hlc)}, version = ${s.version} WHERE tenant_id = ${s.p.tenantId} AND id = ${m.ticketId}`);
  return effect.stamps.length < mutationEffect(key, m).stamps.length ? { message: 'some fields were changed later on another device; those kept the later value' } : {};
}

/** Queues the late last-writer-wins writes (in ticket id order) to go with the push's last statement. */
export async function deferLate(s: PushState): Promise<void> {
  const byTicket = [...s.late].sort((a, b) => (a.ticketId < b.ticketId ? -1 : a.ticketId > b.ticketId ? 1 : 0));
  for (const w of byTicket) {
    const q = forPg(lateEffectUpdate(w, s.p.tenantId, s.version));
    await s.tx.defer(q.text, q.params as unknown[]);
  }
}

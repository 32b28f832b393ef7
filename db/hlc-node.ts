/**
 * The node of this device's HLC is the id the sync server gave it at enrolment: the server refuses a
 * change stamped with any other node (`foreign_hlc`, docs/sync.md), so no device writes in another's
 * name. Before enrolment the node is the local device id; at enrolment, and at every start of an
 * enrolled store (a store enrolled before this rule), the HLC takes the server's id and the changes
 * still waiting in the outbox are restamped with it (wall time and counter unchanged, so their order
 * is kept). Changes already pushed keep their stamp: a resend of one is answered from the server's log.
 */
import { Hlc } from '../core/ids/hlc.js';
import type { Ctx } from './context.js';

export function adoptHlcNode(ctx: Ctx, node: string): void {
  if (ctx.hlc.node !== node) ctx.hlc = new Hlc(ctx.clock, node, ctx.hlc.current());
  ctx.db.prepare(`UPDATE outbox SET hlc = substr(hlc, 1, 19) || ? WHERE status = 'pending' AND seq IS NOT NULL AND hlc IS NOT NULL AND substr(hlc, 20) <> ?`).run(node, node);
}

/** At start: an enrolled store stamps with its server id. */
export function adoptEnrolledHlcNode(ctx: Ctx): void {
  const r = ctx.db.prepare('SELECT device_id FROM sync_state WHERE id = 1').get() as { device_id: string | null } | undefined;
  if (r?.device_id) ctx.tx(() => adoptHlcNode(ctx, r.device_id as string));
}

/**
 * After the server refused a change because this device's clock was ahead (`clock_ahead`): the HLC
 * forgets the refused wall time and restarts from the clock. Nobody else has seen that time (the
 * server refused it, and a refused change never moves the tenant's HLC), and without this every later
 * change would carry it too and be refused until the real time caught up, clock set right or not.
 * The next pull absorbs the tenant's HLC again, so changes still order after what was seen.
 */
export function rewindHlc(ctx: Ctx): void {
  ctx.hlc = new Hlc(ctx.clock, ctx.hlc.node, null);
  ctx.db.prepare('UPDATE device_state SET hlc = NULL WHERE id = 1').run();
}

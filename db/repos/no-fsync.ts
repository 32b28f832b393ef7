/**
 * A transaction committed without waiting for the disk (synchronous=NORMAL for it alone; the store runs
 * FULL, docs/store.md "Durability"), for what the alert scheduler writes: each ticket's next wake
 * instant and the alerts' own state. In WAL mode such a commit survives a crash of the app (kill -9);
 * the next durable commit (any FULL one) syncs it to disk, and only a power loss or OS crash before
 * that can undo it, which the scheduler repairs (it plans the ticket again, raises and shows the alert
 * again). It then costs no fsync and does not hold up the reads queued behind it in the store's worker.
 */
import type { Ctx } from '../context.js';

export function txWithoutFsync<T>(ctx: Ctx, fn: () => T): T {
  const was = ctx.db.pragma('synchronous', { simple: true }) as number;
  if (was > 1) ctx.db.pragma('synchronous = NORMAL');
  try {
    return ctx.tx(fn);
  } finally {
    if (was > 1) ctx.db.pragma(`synchronous = ${was}`);
  }
}

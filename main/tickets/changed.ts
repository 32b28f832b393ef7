import type { AppContext } from '../app/context.js';
import type { SlaChange } from './sla.js';

/** After a commit: re-plan alerts, refresh the UI, push. What is stored is stored: a failure here is logged, not answered. */
export async function ticketsChanged(ctx: AppContext, ids: string[], change?: SlaChange): Promise<void> {
  try {
    // One ticket changed and its change planned it: the scheduler takes that plan (no read, no second engine run).
    await ctx.ticketsChanged(ids, change?.planned && ids.length === 1 ? new Map([[ids[0] as string, change.planned]]) : undefined);
  } catch (e) {
    ctx.log(`desk: re-planning ${ids.length} ticket(s) after a change failed`, e);
  }
}

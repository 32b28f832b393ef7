import type { AppContext } from '../app/context.js';

/** After a commit: re-plan alerts, refresh the UI, push. What is stored is stored: a failure here is logged, not answered. */
export async function ticketsChanged(ctx: AppContext, ids: string[]): Promise<void> {
  try {
    await ctx.ticketsChanged(ids);
  } catch (e) {
    ctx.log(`desk: re-planning ${ids.length} ticket(s) after a change failed`, e);
  }
}

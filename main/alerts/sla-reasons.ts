/**
 * Why the ticket of each `sla_unavailable` alert cannot be computed, as keyed
 * issues (core/domain/issue-keys.ts), worked out when the alerts are listed:
 * the alert's own `text` is English and frozen when it was raised, so the
 * renderer says the reason in the user's language from these (issue 15 item 7).
 */
import type { KeyedIssue } from '../../core/domain/issue-keys.js';
import type { AppContext } from '../app/context.js';
import { slaOf } from '../tickets/schedule.js';

export async function slaReasons(ctx: Pick<AppContext, 'store' | 'planner' | 'clock'>, alerts: ReadonlyArray<{ key: string; kind: string; ticketId: string }>): Promise<Map<string, KeyedIssue[]>> {
  const out = new Map<string, KeyedIssue[]>();
  for (const a of alerts) {
    if (a.kind !== 'sla_unavailable') continue;
    const t = await ctx.store.tickets.get(a.ticketId);
    const r = t ? await slaOf(ctx, t) : null;
    if (r && !r.ok) out.set(a.key, r.issues);
  }
  return out;
}

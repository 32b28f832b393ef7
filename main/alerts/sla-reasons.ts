/**
 * Why the ticket of each `sla_unavailable` alert cannot be computed, as keyed
 * issues (core/domain/issue-keys.ts), worked out when the alerts are listed:
 * the alert's own `text` is English and frozen when it was raised, so the
 * renderer says the reason in the user's language from these (issue 15 item 7).
 */
import type { KeyedIssue } from '../../core/domain/issue-keys.js';
import type { AppContext } from '../app/context.js';

export async function slaReasons(ctx: Pick<AppContext, 'sla'>, alerts: ReadonlyArray<{ key: string; kind: string; ticketId: string }>): Promise<Map<string, KeyedIssue[]>> {
  const out = new Map<string, KeyedIssue[]>();
  for (const a of alerts) {
    if (a.kind !== 'sla_unavailable') continue;
    const x = await ctx.sla.load(a.ticketId);
    const r = x ? ctx.sla.evaluate(x) : null;
    if (r && !r.ok) out.set(a.key, r.issues);
  }
  return out;
}

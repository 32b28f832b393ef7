/**
 * A list row's SLA targets from the summary stored with the ticket's last
 * change (tickets.sla_summary), without the engine. What the clock does by
 * itself is derived at `now` from the stored due times: a running or paused
 * target whose deadline D has passed (now > D, D itself is met) reads as
 * breached, though nothing changed since. Minutes (elapsed, remaining) are as
 * of the last change; open minutes left are not given in lists (null): the
 * ticket's own page evaluates them.
 */
import type { IssueView, TargetView } from '../../core/api/desk.js';
import type { SlaSummary } from '../../db/repos/tickets.js';

export function rowTargets(s: SlaSummary | undefined, now: number, wording: Record<string, string>): { targets: TargetView[]; slaError: string | null; slaErrorIssues: IssueView[] | null } {
  if (!s) return { targets: [], slaError: null, slaErrorIssues: null };
  if ('error' in s) return { targets: [], slaError: s.error, slaErrorIssues: (s.issues as IssueView[] | undefined) ?? null };
  return {
    slaError: null,
    slaErrorIssues: null,
    targets: s.targets.map((x) => {
      const clockRuns = x.state === 'running' || x.state === 'paused';
      return {
        ...x,
        breached: x.breached || (clockRuns && x.dueAt !== null && now > x.dueAt),
        businessMinutesLeft: null,
        wording: wording[`${s.policy}.${x.metric}`] ?? null,
      };
    }),
  };
}

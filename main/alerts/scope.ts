/**
 * Whose alerts this device raises (issue 17 item 4; docs/alerts.md "Alert
 * scope"): a technician is alerted for the tickets assigned to them (the
 * enrolled name, `isAssignedTo`) and for the tickets of the contracts their
 * on-call rotas cover; a duty officer or admin for everything. The user's
 * setting `alertScope` (`mine` or `all`) overrides the role's default; a
 * device not enrolled raises everything.
 *
 * It wraps the planner: a ticket out of scope has no alert candidates, so its
 * alerts are never raised here, and an open one resolves when the ticket
 * leaves the scope (re-assigned to someone else).
 */
import type { Rota } from '../../core/oncall/rota.js';
import { isAssignedTo } from '../../core/sync/roles.js';
import type { AlertSettings, PlanResult, TicketPlanner } from './types.js';

export type AlertScope = 'mine' | 'all';

export interface ScopeDeps {
  /** The enrolled user: id, name and role; null when not enrolled. */
  enrolment(): Promise<{ userId?: string | null; userName?: string | null; role: string } | null>;
  rotas(): Promise<{ rota: Rota }[]>;
  ticket(id: string): Promise<{ assignee: string | null; contractId: string | null } | null>;
}

/** The scope in force: the user's setting, else the role's default. */
export function effectiveScope(setting: AlertSettings['alertScope'], role: string | null | undefined): AlertScope {
  return setting ?? (role === 'technician' ? 'mine' : 'all');
}

/** The planner, with no candidates for a ticket outside this user's alert scope. */
export function scopedPlanner(planner: TicketPlanner, deps: ScopeDeps): TicketPlanner {
  const inScope = async (ticketId: string, settings: AlertSettings, owner: PlanResult['owner']): Promise<boolean> => {
    const me = await deps.enrolment();
    if (!me || effectiveScope(settings.alertScope, me.role) === 'all') return true;
    // As planning read the ticket, else read now.
    const t = owner ?? (await deps.ticket(ticketId));
    if (!t) return true;
    if (me.userName && isAssignedTo(t.assignee, me.userName)) return true;
    if (!t.contractId || !me.userId) return false;
    const covers = (r: Rota) => r.contractIds.includes(t.contractId!) && (r.lead === me.userId || r.members.some((m) => m.userId === me.userId));
    return (await deps.rotas()).some((r) => covers(r.rota));
  };
  const admit = async (ticketId: string, r: PlanResult, settings: AlertSettings): Promise<PlanResult> =>
    r.candidates.length && !(await inScope(ticketId, settings, r.owner)) ? { ...r, candidates: [] } : r;
  return {
    async plan(ticketId, t, settings) {
      return admit(ticketId, await planner.plan(ticketId, t, settings), settings);
    },
    // A plan the change made (main/tickets/sla.ts) passes the same scope.
    admit,
  };
}

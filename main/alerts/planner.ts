/**
 * Plans one ticket's alerts with the SLA engine: which alerts' causes hold at
 * `now`, and the next instant anything changes. The scheduler calls it only
 * for tickets that are due or changed.
 *
 * - response/resolution warning: the target runs and a warning threshold
 *   (percent of the target, minutes before the deadline) has passed.
 * - breach: the target runs or is paused past its deadline.
 * - callback due: the next status update is due within the lead time.
 * - callback overdue: a callback due time passed with no update logged since
 *   (keyed by that due time). Logging an update ends it.
 * - SLA unavailable: the open ticket's SLA cannot be computed (its contract
 *   is missing or does not compile, its policy is not in it); the text says
 *   why. The other tickets are planned as usual.
 * Breaches, overdue callbacks and an unavailable SLA are critical; so is every
 * alert of a ticket whose priority is critical.
 */
import { CRITICAL_PRIORITY, isClosedStatus } from '../../core/domain/index.js';
import { DateTime } from 'luxon';
import { evaluateTicket } from '../../core/sla/index.js';
import type { Contract, TicketEvent, TicketStatus } from '../../core/sla/index.js';
import type { Ticket } from '../../db/repos/tickets.js';
import { CompiledContracts } from '../tickets/compiled.js';
import { withSpan } from './text.js';
import type { AlertCandidate, AlertFacts, AlertSettings, PlanResult, TicketPlanner } from './types.js';

export interface PlanningTicket {
  id: string;
  caseNumber: string;
  priority: string;
  contractId: string;
  /** Bumped whenever the contract's calendars or policies change (cache key). */
  contractVersion: string | number;
  events: TicketEvent[];
  /** False once resolved or closed (no alert for an SLA that cannot be computed then). Default true. */
  open?: boolean;
  /** The contract's policy set when the source read it with the ticket (else `policySet` is asked on a cache miss). */
  policySet?: { calendars: unknown; policies: unknown };
  /** What a plan's additions read besides the SLA (a planned visit's window: main/agreements/visits.ts). */
  facts?: Pick<Ticket, 'status' | 'intake' | 'assignee'>;
  /** What a pop-up names (customer, title, the contact to call back), when the source read it with the ticket. */
  named?: PopupNames;
}

/** What a pop-up names besides its due times. */
export type PopupNames = Pick<AlertFacts, 'customer' | 'title' | 'contactName' | 'contactPhone'>;

/** Adds to a ticket's plan what the SLA engine does not see (a planned visit's due window), from the ticket the plan read. */
export type PlanAddition = (t: PlanningTicket, plan: PlanResult, now: number) => PlanResult;

export interface PlanningSource {
  /** The ticket as planning reads it (with what its pop-up names); `events` is empty when it runs no SLA clock (no contract, or a planned visit). */
  ticket(id: string): Promise<PlanningTicket | null>;
  policySet(contractId: string): Promise<{ calendars: unknown; policies: unknown }>;
}

export class SlaPlanner implements TicketPlanner {
  constructor(
    private readonly source: PlanningSource,
    private readonly timezone: () => string,
    /** The compiled-contract cache (shared with the ticket-SLA service, main/tickets/compiled.ts). */
    readonly compiled: CompiledContracts = new CompiledContracts(),
    private readonly additions: readonly PlanAddition[] = [],
  ) {}

  /** Forgets a contract's compiled policies (after an edit). */
  invalidate(contractId: string): void {
    this.compiled.invalidate(contractId);
  }

  async contractFor(t: Pick<PlanningTicket, 'contractId' | 'contractVersion' | 'policySet'>): Promise<Contract> {
    const hit = this.compiled.hit(t.contractId, t.contractVersion);
    if (hit) return hit;
    return this.compiled.of({ id: t.contractId, version: t.contractVersion, policySet: t.policySet ?? (await this.source.policySet(t.contractId)) });
  }

  async plan(ticketId: string, now: number, settings: AlertSettings): Promise<PlanResult> {
    const t = await this.source.ticket(ticketId);
    if (!t) return { candidates: [], nextAt: null };
    let plan: PlanResult = { candidates: [], nextAt: null };
    // What its pop-up names, from what was read for planning (null: no SLA clock, as `facts` answers); unset: not known.
    let facts: AlertFacts | null | undefined = t.named && !t.events.length ? null : undefined;
    if (t.events.length) {
      try {
        const contract = await this.contractFor(t);
        const status = evaluateTicket({ events: t.events, policies: contract.policies, calendars: contract.calendars, now, warnings: warningsOf(settings) });
        plan = planTicket(t, contract, now, settings, this.timezone(), status);
        facts = popupFacts(t, contract, status) ?? undefined;
      } catch (e) {
        // This ticket's contract or policy cannot be evaluated: say so; re-planned when it or its contract changes.
        plan = { candidates: t.open === false ? [] : [slaUnavailable(t, e)], nextAt: null };
      }
    }
    for (const add of this.additions) plan = add(t, plan, now);
    return withReads(plan, t, facts);
  }

  /** The facts a pop-up about the ticket names, as of `now`: due times go in the zone of each target's calendar. */
  async facts(ticketId: string, now: number): Promise<AlertFacts | null> {
    const t = await this.source.ticket(ticketId);
    if (!t?.events.length) return null;
    const contract = await this.contractFor(t);
    const status = evaluateTicket({ events: t.events, policies: contract.policies, calendars: contract.calendars, now });
    return popupFacts(t, contract, status, t.named ?? NO_NAMES);
  }
}

/**
 * The plan with what its planning read that a pass would otherwise read again: what the ticket's pop-up names
 * (`facts`, unless undefined) and the ticket's assignee and contract (`owner`, for the alert scope).
 */
export function withReads(plan: PlanResult, t: PlanningTicket, facts: AlertFacts | null | undefined): PlanResult {
  return {
    ...plan,
    ...(facts !== undefined ? { facts } : {}),
    ...(t.facts ? { owner: { assignee: t.facts.assignee, contractId: t.contractId || null } } : {}),
  };
}

const NO_NAMES: PopupNames = { customer: null, title: null, contactName: null, contactPhone: null };

/**
 * What a pop-up about `t` names, from what planning read and evaluated (null: no names read with it): the
 * names, and due times in the zone of each target's calendar (`status`: the engine's, at any instant).
 */
export function popupFacts(t: PlanningTicket, contract: Contract, status: TicketStatus, named = t.named): AlertFacts | null {
  if (!named) return null;
  const zones: AlertFacts['zones'] = {};
  for (const target of status.targets) {
    const zone = contract.calendars.get(target.calendar)?.timezone;
    if (zone) zones[target.metric] = zone;
  }
  return { ...named, zones, criticalTicket: t.priority === CRITICAL_PRIORITY };
}

/** The alert for a ticket whose SLA cannot be computed (keyed by its creation, so it is raised once). */
export function slaUnavailable(t: PlanningTicket, err: unknown): AlertCandidate {
  const created = t.events.find((e) => e.type === 'created')?.at ?? 0;
  const why = err instanceof Error ? err.message : String(err);
  return { ticketId: t.id, caseNumber: t.caseNumber, target: 'resolution', kind: 'sla_unavailable', dueAt: created, critical: true, text: `cannot compute SLA: ${why}` };
}

/** The engine's warning thresholds of the alert settings. */
export const warningsOf = (settings: AlertSettings) => ({ percent: settings.warnPercent, beforeMinutes: settings.warnMinutesBefore });

/**
 * The pure part: a ticket, its compiled contract and an instant give the alerts that hold and the next instant.
 * `evaluated`: the engine's status of `t` at `now` with `warningsOf(settings)`, when the caller has it already.
 */
export function planTicket(t: PlanningTicket, contract: Contract, now: number, settings: AlertSettings, timezone: string, evaluated?: TicketStatus): PlanResult {
  const evalAt = (at: number): TicketStatus =>
    evaluateTicket({
      events: t.events,
      policies: contract.policies,
      calendars: contract.calendars,
      now: at,
      warnings: warningsOf(settings),
    });
  const status = evaluated ?? evalAt(now);
  const criticalTicket = t.priority === CRITICAL_PRIORITY;
  const candidates: AlertCandidate[] = [];
  let nextAt = status.nextChangeAt;
  const soonest = (at: number) => {
    if (at > now && (nextAt === null || at < nextAt)) nextAt = at;
  };
  const when = (at: number) => formatWhen(at, now, timezone);
  const base = { ticketId: t.id, caseNumber: t.caseNumber };

  for (const target of status.targets) {
    if (target.metric === 'update') {
      if (target.state !== 'running' || target.dueAt === null) continue;
      const lead = settings.callbackLeadMinutes * 60_000;
      if (target.dueAt - lead <= now) {
        candidates.push({ ...base, target: 'update', kind: 'callback_due', dueAt: target.dueAt, critical: criticalTicket, text: `Status callback due ${when(target.dueAt)}` });
      } else soonest(target.dueAt - lead);
      // Overdue: a due time passed since the last logged update (or since the clock started).
      if ((target.missed ?? 0) > 0) {
        const since = lastUpdateOrStart(t.events, now, target.startedAt);
        const before = evalAt(since).targets.find((x) => x.metric === 'update');
        const missedSince = (target.missed ?? 0) - (before?.missed ?? 0);
        if (before?.dueAt != null && missedSince > 0) {
          candidates.push({ ...base, target: 'update', kind: 'callback_overdue', dueAt: before.dueAt, critical: true, text: `Status callback was due ${when(before.dueAt)}; ${missedSince} missed` });
        }
      }
      continue;
    }
    if (target.dueAt === null || (target.state !== 'running' && target.state !== 'paused')) continue;
    const name = target.metric === 'response' ? 'Response' : 'Resolution';
    if (target.breached) {
      candidates.push({ ...base, target: target.metric, kind: 'breach', dueAt: target.dueAt, critical: true, text: `${name} deadline ${when(target.dueAt)} passed` });
    } else if (target.state === 'running' && target.warnAt.some((w) => w <= now)) {
      candidates.push({
        ...base,
        target: target.metric,
        kind: target.metric === 'response' ? 'response_warning' : 'resolution_warning',
        dueAt: target.dueAt,
        critical: criticalTicket,
        text: `${name} due ${when(target.dueAt)}`,
      });
    }
  }
  return { candidates, nextAt };
}

function lastUpdateOrStart(events: readonly TicketEvent[], now: number, startedAt: number | null): number {
  let last = startedAt ?? now;
  for (const e of events) {
    if (e.at > now) continue;
    if (e.type === 'update_logged' && e.at > last) last = e.at;
    // After a reopen the next update is due `every` after the reopen: treat it like a logged update.
    if (e.type === 'status' && !isClosedStatus(e.status) && e.at > last && wasResolvedBefore(events, e.at)) last = e.at;
  }
  return last;
}

function wasResolvedBefore(events: readonly TicketEvent[], at: number): boolean {
  let resolved = false;
  for (const e of [...events].sort((a, b) => a.at - b.at)) {
    if (e.at >= at) break;
    if (e.type === 'status') resolved = isClosedStatus(e.status);
  }
  return resolved;
}

/** "Mon 11:30 (in 15 min)" / "Mon 11:30 (20 min ago)" in the user's zone. */
export function formatWhen(at: number, now: number, timezone: string): string {
  return withSpan(DateTime.fromMillis(at, { zone: timezone }).toFormat('ccc HH:mm'), at, now);
}

/**
 * The ticket-SLA service: "this ticket's SLA now" computed in ONE place.
 *
 * - `load(id)`: the ticket, its events and its contract in one store call
 *   (one worker round trip, `tickets.slaInputs`).
 * - `evaluate(x)`: the engine over the ticket's events (or the events a change
 *   is about to write) with the compiled contract (compiled.ts caches it per
 *   contract version), with the alert settings' warning thresholds so one run
 *   serves the desk and the alert planner.
 * - `change(x, status)`: what a change stores in its own transaction (the
 *   schedule and the SLA summary the queue's rows are built from) and the
 *   alert plan the scheduler takes without reading or evaluating again.
 *
 * A ticket whose SLA cannot be computed (its contract is gone or does not
 * compile, its policy is not in it) is a problem of that ticket only: the
 * outcome says why; nothing here throws for the ticket's own data.
 */
import type { Clock } from '../../core/clock.js';
import { errorIssues, evaluateTicket, issue } from '../../core/sla/index.js';
import type { Contract as SlaContract, TicketEvent as SlaEvent, TicketStatus as SlaStatus, ValidationIssue } from '../../core/sla/index.js';
import { visitOf } from '../../core/agreements/maintenance.js';
import { isClosedStatus } from '../../core/domain/index.js';
import type { TicketStatus } from '../../core/domain/index.js';
import type { StoreClient } from '../../db/client.js';
import type { Contract } from '../../db/repos/customers.js';
import type { ScheduleInput, SlaSummary, Ticket, TicketEvent } from '../../db/repos/tickets.js';
import { planTicket, popupFacts, warningsOf, withReads } from '../alerts/planner.js';
import type { PlanningTicket } from '../alerts/planner.js';
import { DEFAULT_ALERT_SETTINGS } from '../alerts/types.js';
import type { AlertSettings, ChangePlan, PlanResult } from '../alerts/types.js';
import type { CompiledContracts } from './compiled.js';
import { scheduleOf, slaProblem } from './schedule.js';
import { slaEvents } from './sla-events.js';

/** What a ticket's SLA is computed from (one store call). */
export interface SlaInputs {
  ticket: Ticket;
  events: TicketEvent[];
  contract: Contract | null;
  /** The customer's name, when read with the ticket (an alert's pop-up names it). */
  customer?: string | null;
}

/** Why a ticket's SLA cannot be computed: in English (logs, the CLI) and as keyed issues (the person's language). */
export interface SlaFailure {
  ok: false;
  reason: string;
  issues: ValidationIssue[];
}

/** A ticket's SLA now: evaluated, not applicable (no contract, no `created` event), or the reason it cannot be computed. */
export type SlaOutcome = { ok: true; contract: Contract; sla: SlaContract; status: SlaStatus; events: SlaEvent[] } | SlaFailure | null;

const failure = (e: unknown): SlaFailure => ({ ok: false, reason: slaProblem(e), issues: errorIssues(e) });

/** What a change writes with itself and hands to the alert scheduler. */
export interface SlaChange {
  outcome: SlaOutcome;
  /** The schedule and SLA summary to store in the change's transaction (null: keep the stored one). */
  schedule: ScheduleInput | null;
  /** The alert plan at `at` (absent: the scheduler plans the ticket itself). */
  planned?: ChangePlan;
}

export interface TicketSlaDeps {
  store: Pick<StoreClient, 'tickets'>;
  clock: Clock;
  compiled: CompiledContracts;
  timezone(): string;
}

export class TicketSla {
  /** The alert settings (warning thresholds, callback lead): set by the app once the scheduler exists. */
  alertSettings: () => AlertSettings = () => DEFAULT_ALERT_SETTINGS;

  constructor(private readonly d: TicketSlaDeps) {}

  /** The ticket, its events and its contract: one worker round trip. Null: no such ticket. */
  load(id: string): Promise<SlaInputs | null> {
    return this.d.store.tickets.slaInputs(id);
  }

  /** The contract's compiled calendars and policies (cached per version); throws the engine's error when it does not compile. */
  compile(c: Contract): SlaContract {
    return this.d.compiled.of(c);
  }

  /**
   * The ticket's SLA at `now` (default: the clock's), from its stored events or from `events`
   * (e.g. with a change about to be written or previewed). The one place the engine runs for it.
   */
  evaluate(x: SlaInputs, opts: { events?: readonly SlaEvent[]; now?: number; explain?: boolean } = {}): SlaOutcome {
    const t = x.ticket;
    if (!t.contractId) return null;
    if (!x.contract) {
      const missing = issue('', 'contractNotHere', { id: t.contractId });
      return { ok: false, reason: missing.message, issues: [missing] };
    }
    const events = [...(opts.events ?? slaEvents(t, x.events))];
    if (!events.length) return null;
    try {
      const sla = this.compile(x.contract);
      const now = opts.now ?? this.d.clock.now();
      const status = evaluateTicket({ events, policies: sla.policies, calendars: sla.calendars, now, explain: opts.explain ?? false, warnings: warningsOf(this.alertSettings()) });
      return { ok: true, contract: x.contract, sla, status, events };
    } catch (e) {
      return failure(e);
    }
  }

  /**
   * A change to the ticket (`x` as it will be, its status after the change, `events` the engine's events
   * then): evaluated once at `now`; answers what to store with the change and the alert plan.
   */
  change(x: SlaInputs, status: TicketStatus, opts: { events?: readonly SlaEvent[]; now: number }): SlaChange {
    return this.changeOf(x, status, this.evaluate(x, opts), opts.now);
  }

  /** `change` with the outcome evaluated already (a registration evaluates before the ticket exists). */
  changeOf(x: SlaInputs, status: TicketStatus, outcome: SlaOutcome, now: number): SlaChange {
    const schedule = this.toStore(status, outcome, now, x.contract?.version ?? null, x.ticket);
    if (!outcome?.ok) return { outcome, schedule };
    const t = planningOf(x, outcome.events, status);
    const plan = planTicket(t, outcome.sla, now, this.alertSettings(), this.d.timezone(), outcome.status);
    // What a pop-up of its alerts names goes with the plan (when the ticket was read with its customer's name), as does its owner.
    return { outcome, schedule, planned: { at: now, plan: withReads(plan, t, popupFacts(t, outcome.sla, outcome.status) ?? undefined) } };
  }

  /**
   * The schedule and SLA summary to store for a ticket in `status` with this outcome at `now`, computed
   * with version `contractVersion` of its contract (null: keep the stored ones).
   */
  toStore(status: TicketStatus, outcome: SlaOutcome, now: number, contractVersion: number | null, ticket?: Ticket): ScheduleInput | null {
    // A planned visit has no SLA clock: its due window's end is its deadline (docs/maintenance.md).
    const visit = ticket && !isClosedStatus(status) ? visitOf(ticket.intake) : null;
    const base = scheduleOf(status, outcome?.ok ? outcome.status.targets : null) ?? (visit && ticket?.nextDueAt !== visit.windowEnd ? { nextDueAt: visit.windowEnd } : null);
    const sla = summaryOf(outcome, now, contractVersion, (cal) => (outcome?.ok ? outcome.sla.calendars.get(cal)?.timezone : undefined) ?? this.d.timezone());
    return base || sla ? { ...(base ?? {}), ...(sla ? { sla } : {}) } : null;
  }

  /** The SLA of a ticket registered at `now` on contract `c` and `policy` (desk.preview, desk.register). */
  fresh(c: Contract, policy: string, now: number): SlaOutcome {
    const events: SlaEvent[] = [{ type: 'created', at: now, policy }];
    try {
      const sla = this.compile(c);
      const status = evaluateTicket({ events, policies: sla.policies, calendars: sla.calendars, now, warnings: warningsOf(this.alertSettings()) });
      return { ok: true, contract: c, sla, status, events };
    } catch (e) {
      return failure(e);
    }
  }
}

/** The ticket as the alert planner sees it, with the engine's events. */
export function planningOf(x: SlaInputs, events: SlaEvent[], status: TicketStatus = x.ticket.status): PlanningTicket {
  const t = x.ticket;
  return {
    id: t.id,
    caseNumber: t.caseNumber,
    priority: t.priority ?? '',
    contractId: t.contractId ?? '',
    contractVersion: x.contract?.version ?? 0,
    events,
    open: !isClosedStatus(status),
    ...(x.contract ? { policySet: x.contract.policySet } : {}),
    facts: { status, intake: t.intake, assignee: t.assignee },
    ...(x.customer !== undefined ? { named: { customer: x.customer, title: t.title, contactName: t.reporterName, contactPhone: t.reporterPhone } } : {}),
  };
}

/** The SLA summary to store (tickets.sla_summary): the targets as of `at`, or why the SLA cannot be computed; null: it has none. */
export function summaryOf(outcome: SlaOutcome, at: number, contractVersion: number | null, zoneOf: (calendar: string) => string): SlaSummary | null {
  if (!outcome) return null;
  if (!outcome.ok) return { at, contractVersion, error: outcome.reason, ...(outcome.issues.length ? { issues: outcome.issues } : {}) };
  return {
    at,
    contractVersion,
    policy: outcome.status.policy,
    targets: outcome.status.targets.map((x) => ({
      metric: x.metric,
      state: x.state,
      dueAt: x.dueAt,
      stoppedAt: x.stoppedAt,
      startedAt: x.startedAt,
      breached: x.breached,
      elapsedMinutes: x.elapsedMinutes,
      remainingMinutes: x.remainingMinutes,
      ...(x.missed !== undefined ? { missed: x.missed } : {}),
      timezone: zoneOf(x.calendar),
    })),
  };
}

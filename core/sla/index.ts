/**
 * Vakt's SLA engine: the one implementation of `specs/sla-clock.md`, used by
 * the desk, the scheduler, reports, billing and `vakt sla eval`.
 *
 * Instants are epoch milliseconds everywhere; the spec's JSON form (UTC ISO
 * with ms and `Z`) only appears at the JSON boundary (`evalCase`, `targetJson`).
 *
 * Typical use:
 * ```ts
 * const cache = new CalendarCache();
 * const { calendars, policies } = loadContract(contractJson, cache);   // validate + compile once
 * const status = evaluateTicket({ events, policies, calendars, now: clock.now() });
 * scheduler.wakeAt(status.nextChangeAt);
 * ```
 */
export { CompiledCalendar, HORIZON_DAYS, compileCalendar, validateCalendar } from './calendar.js';
export { CalendarCache } from './calendar-cache.js';
export type { CalendarJson, CalendarPiece, WallPair } from './calendar.js';
export { SlaError, errorIssues, formatIssue, issue, slaUnavailableIssue } from './errors.js';
export type { SlaErrorCode, ValidationIssue } from './errors.js';
export { EVENT_TYPES, parseEvents } from './events.js';
export type { TicketEvent } from './events.js';
export { METRICS, STATUSES, parseDuration, parsePolicy } from './policy.js';
export type { Duration, DurationJson, Metric, Policy, PolicyJson, Status, Target } from './policy.js';
export { DEFAULT_WARNINGS, evaluateTicket, fixedDeadline } from './evaluate.js';
export type { EvaluateInput, TargetState, TargetStatus, TicketStatus, TraceItem, WarningOptions } from './evaluate.js';
export { checkContract, evalCase, evalLine, loadContract, targetJson } from './contract.js';
export type { Contract, EvalOptions, EvalResultJson, TargetResultJson, TraceItemJson } from './contract.js';
export { formatInstant, parseInstant } from './time.js';

/**
 * Evaluation of a ticket's targets at an instant (§2-§4), with warnings,
 * the next instant anything changes, and an explanation trace. The steps,
 * each in its file: the history (history.ts), the segments of all targets in
 * one walk (segments.ts), each target's deadline and result (target.ts,
 * update.ts, fixed.ts).
 */
import type { CompiledCalendar } from './calendar.js';
import type { TicketEvent } from './events.js';
import type { Policy, Target } from './policy.js';
import { SlaError, issue } from './errors.js';
import { END_OF_RANGE_MS, instantInRange } from '../time-range.js';
import { History, outOfRange } from './history.js';
import { DEFAULT_WARNINGS } from './result.js';
import type { TargetStatus, TicketStatus, WarningOptions } from './result.js';
import type { Segs } from './segments.js';
import { buildSegments } from './segments.js';
import { finishTarget, pendingStatus, planTarget } from './target.js';
import type { TargetRun } from './target.js';

export { DEFAULT_WARNINGS } from './result.js';
export type { TargetState, TargetStatus, TicketStatus, WarningOptions } from './result.js';
export type { TraceItem } from './trace.js';
export { fixedDeadline } from './fixed.js';

export interface EvaluateInput {
  /** The ticket's events (any order; equal times keep their given order). Must be valid (see parseEvents). */
  events: readonly TicketEvent[];
  /** Policies by id. */
  policies: ReadonlyMap<string, Policy> | Readonly<Record<string, Policy>>;
  /** Compiled calendars by id. */
  calendars: ReadonlyMap<string, CompiledCalendar> | Readonly<Record<string, CompiledCalendar>>;
  /** The evaluation instant, epoch ms. Events after it are ignored. */
  now: number;
  warnings?: WarningOptions;
  explain?: boolean;
}

/** The maps last looked up in, policies (0) and calendars (1): a pass looks up in the same two maps ticket after ticket. */
const lastMaps: unknown[] = [null, null];
function lookup<T>(m: ReadonlyMap<string, T> | Readonly<Record<string, T>>, k: string, slot: 0 | 1): T | undefined {
  if (m === lastMaps[slot] || m instanceof Map) {
    lastMaps[slot] = m;
    return (m as ReadonlyMap<string, T>).get(k);
  }
  return Object.prototype.hasOwnProperty.call(m, k) ? (m as Record<string, T>)[k] : undefined;
}

/** Reused from ticket to ticket (an evaluation runs to its end before the next starts). */
const history = new History();
const runs: TargetRun[] = [];
const segs: Segs[] = [];
function newRun(): TargetRun {
  return { t: null as unknown as TargetRun['t'], cal: null as unknown as CompiledCalendar, start: 0, end: 0, pausable: false, started: false, state: 'pending', stoppedAt: null, rules: null };
}

type CreatedEvent = Extract<TicketEvent, { type: 'created' }>;

/** The ticket's created event; throws when there is none. */
function createdEvent(events: readonly TicketEvent[]): CreatedEvent {
  const c = events.find((e) => e.type === 'created');
  if (!c || c.type !== 'created') throw new SlaError('invalid_events', [issue('', 'noCreatedEvent')]);
  return c;
}

/**
 * Evaluates a ticket's targets at `now` against the latest policy (applied
 * from creation). Inputs must be valid (see `evalCase` / `checkContract` for
 * validation from JSON); a policy or calendar that is missing throws.
 */
export function evaluateTicket(input: EvaluateInput): TicketStatus {
  // inputs outside the supported range are refused (`now` here, the events' instants as the history reads them): the engine never computes towards a far instant
  if (!instantInRange(input.now)) outOfRange('now', input.now);
  const explain = input.explain === true;
  const h = history.load(input.events, input.now, explain) ? history : null;
  // the history found the created event; without a history (created after now, or never), look for it
  const createdEv = h ? null : createdEvent(input.events);
  const policyId = h ? h.policy : (createdEv as CreatedEvent).policy;
  const policy = lookup(input.policies, policyId, 0);
  if (!policy) notInContract('invalid_policy', 'policyNotInContract', policyId);
  const warnings = input.warnings === undefined ? DEFAULT_WARNINGS : warningsOf(input.warnings);
  const all = policy.targets;
  // one status per target, in an array of that size (an empty one grows to 17 slots on its first push)
  const targets = new Array<TargetStatus>(all.length);
  let next = NaN; // the next change; NaN: none
  let count = 0;
  h?.usePauses(policy.pauseWhen);
  // indexed loops, not for-of, here and in the steps: the first pass runs mostly before the JIT has optimized it
  let calId = '';
  let cal: CompiledCalendar | undefined;
  for (let ti = 0, t = all[0] as Target; ti < all.length; t = all[++ti] as Target) {
    // targets mostly count on the policy's calendar: looked up once for those that follow on the same one
    if (t.calendar !== calId || cal === undefined) {
      cal = lookup(input.calendars, t.calendar, 1);
      if (!cal) notInContract('invalid_calendar', 'calendarNotInContract', t.calendar);
      calId = t.calendar;
    }
    if (!h) {
      targets[ti] = notCreatedYet(t, cal, explain);
      continue;
    }
    if (runs.length <= count) runs.push(newRun());
    planTarget(runs[count++] as TargetRun, t, cal, h, policy, explain);
  }
  if (!h) return { policy: policyId, targets, nextChangeAt: targets.length ? (createdEv as CreatedEvent).at : null };
  // every target's segments in one walk over the history, then each target on its own
  buildSegments(h, runs, count, segs);
  for (let i = 0; i < count; i++) {
    const run = runs[i] as TargetRun;
    const ts = run.started ? finishTarget(run, segs[i] as Segs, h, warnings, explain) : pendingStatus(run.t, run.cal, run.rules && run.rules.items);
    targets[i] = ts;
    if (ts.state !== 'running') continue;
    // the earliest change after now: a warning, a deadline passing (here, not in a function V8 would compile on its own and again inlined)
    const wa = ts.warnAt;
    for (let k = 0; k < wa.length; k++) {
      const c = wa[k] as number;
      if (c > input.now && c < END_OF_RANGE_MS && !(c >= next)) next = c;
    }
    if (ts.dueAt !== null) {
      const d = ts.dueAt + 1;
      if (d > input.now && d < END_OF_RANGE_MS && !(d >= next)) next = d;
    }
  }
  return { policy: policyId, targets, nextChangeAt: next === next ? next : null };
}

function notInContract(code: 'invalid_policy' | 'invalid_calendar', key: 'policyNotInContract' | 'calendarNotInContract', id: string): never {
  throw new SlaError(code, [issue('', key, { id })]);
}

function warningsOf(W: WarningOptions): Required<WarningOptions> {
  return { percent: W.percent ?? DEFAULT_WARNINGS.percent, beforeMinutes: W.beforeMinutes ?? DEFAULT_WARNINGS.beforeMinutes };
}

/** A target of a ticket created after the evaluation instant. */
function notCreatedYet(t: Target, cal: CompiledCalendar, explain: boolean): TargetStatus {
  return pendingStatus(t, cal, explain ? [{ kind: 'rule', note: 'the ticket is created after the evaluation instant' }] : null);
}

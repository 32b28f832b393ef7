/**
 * Steps 3 and 4 of an evaluation, per target: when it starts and stops and
 * how it stands (`planTarget`, before the segments are built), then its
 * deadline, warnings and result (`finishTarget`, on its segments). The
 * explanation's rules are only worded when asked for (notes.ts).
 *
 * The functions are kept small, with the rare paths and the wording in
 * functions of their own: the first pass runs mostly before the JIT has
 * optimized the engine, and V8 optimizes a small function sooner (after
 * fewer calls) and inlines it into its caller.
 */
import type { CompiledCalendar } from './calendar.js';
import type { History, Kind } from './history.js';
import { isStop, kindOf } from './history.js';
import type { Policy, Status, Target } from './policy.js';
import type { SegPlan, Segs } from './segments.js';
import { MINUTE } from './time.js';
import type { TraceItem } from './trace.js';
import { updateTarget } from './update.js';
import { minutesDown, minutesUp } from './result.js';
import type { TargetState, TargetStatus, WarningOptions } from './result.js';
import { fixedDeadline } from './fixed.js';
import { Rules, noteOpenDue, noteResolved, noteResponseStop, noteStart, traceOf } from './notes.js';

export { Rules } from './notes.js';

/** A target being evaluated: its plan (what `buildSegments` counts) and how it stands. */
export interface TargetRun extends SegPlan {
  t: Target;
  /** false: pending (not started at `now`). */
  started: boolean;
  state: TargetState;
  stoppedAt: number | null;
  rules: Rules | null;
}

/** The result of a target that has not started. */
export function pendingStatus(t: Target, cal: CompiledCalendar, trace: TraceItem[] | null): TargetStatus {
  const r: TargetStatus = {
    metric: t.metric,
    calendar: cal.id,
    state: 'pending',
    dueAt: null,
    stoppedAt: null,
    breached: false,
    elapsedMinutes: 0,
    remainingMinutes: null,
    startedAt: null,
    warnAt: [],
  };
  if (t.metric === 'update') r.missed = 0;
  if (trace) r.trace = trace;
  return r;
}

/** Fills `run` with when target `t` starts and stops at `now`, and its state. */
export function planTarget(run: TargetRun, t: Target, cal: CompiledCalendar, h: History, now: number, policy: Policy, explain: boolean): void {
  const R = explain ? new Rules() : null;
  run.t = t;
  run.cal = cal;
  run.rules = R;
  run.pausable = t.pausable;
  run.stoppedAt = null;
  const responseStop = h.responseStop();
  const start = t.metric !== 'response' && t.startsAt === 'response' ? responseStop : h.created;
  if (R !== null) noteStart(R, h, t, cal, policy, start, now);
  if (start === null || start > now) {
    run.started = false;
    run.state = 'pending';
    run.start = 0;
    run.end = 0;
    return;
  }
  run.started = true;
  run.start = start;
  if (t.metric === 'response') planResponse(run, h, now, responseStop, policy.pauseWhen);
  else planStop(run, h, now, policy.pauseWhen);
}

/** The response target: stopped by the first response (or resolution), else running or paused. */
function planResponse(run: TargetRun, h: History, now: number, responseStop: number | null, pw: ReadonlySet<Status>): void {
  if (responseStop !== null && responseStop <= now) {
    run.end = responseStop;
    run.state = 'stopped';
    run.stoppedAt = responseStop;
    if (run.rules !== null) noteResponseStop(run.rules, h, run.cal, responseStop);
  } else {
    run.end = now;
    run.state = kindOf(h.statusAt(now), run.pausable, pw) === 'paused' ? 'paused' : 'running';
  }
}

/** Resolution and update targets: stopped while resolved/closed, at the start of the last resolution. */
function planStop(run: TargetRun, h: History, now: number, pw: ReadonlySet<Status>): void {
  const cur = kindOf(h.statusAt(now), run.pausable, pw);
  if (cur === 'resolved') {
    const last = lastResolution(h, run.start, now, run.pausable, pw);
    run.stoppedAt = last;
    run.state = 'stopped';
    run.end = last;
    if (run.rules !== null) noteResolved(run.rules, h, run.cal, now, last);
  } else {
    run.state = cur === 'paused' ? 'paused' : 'running';
    run.end = now;
  }
}

/** The instant the final resolved/closed run up to `now` began (`start` when it runs from the start). */
function lastResolution(h: History, start: number, now: number, pausable: boolean, pw: ReadonlySet<Status>): number {
  let last = start;
  let prev: Kind = kindOf(h.statusAt(start), pausable, pw);
  for (let i = 0; i < h.n; i++) {
    const at = h.at[i] as number;
    if (at <= start) continue;
    if (at > now) break;
    const k: Kind = isStop(h.status[i] as Status) ? 'resolved' : 'active';
    if (k === 'resolved' && prev !== 'resolved') last = at;
    prev = k;
  }
  return last;
}

/** Warning instants of one target, collected in a reused buffer and handed out sorted, without repeats, in an array of their size. */
class WarnBuf {
  private n = 0;
  private readonly xs: number[] = [];
  reset(): void {
    this.n = 0;
  }
  push(x: number): void {
    this.xs[this.n++] = x;
  }
  take(): number[] {
    const xs = this.xs;
    const n = this.n;
    for (let i = 1; i < n; i++) {
      const x = xs[i] as number;
      let j = i - 1;
      while (j >= 0 && (xs[j] as number) > x) {
        xs[j + 1] = xs[j] as number;
        j--;
      }
      xs[j + 1] = x;
    }
    let k = 0;
    for (let i = 0; i < n; i++) if (i === 0 || xs[i] !== xs[i - 1]) xs[k++] = xs[i] as number;
    if (k === 0) return [];
    if (k === 1) return [xs[0] as number];
    if (k === 2) return [xs[0] as number, xs[1] as number];
    return xs.slice(0, k);
  }
}
const warnAt = new WarnBuf();

/** What a deadline step hands to the result besides the deadline (one object, reused). */
const fin = { remainingMinutes: null as number | null };

/** The target's deadline, warnings and result, on its segments. */
export function finishTarget(run: TargetRun, segs: Segs, h: History, now: number, policy: Policy, W: Required<WarningOptions>, explain: boolean): TargetStatus {
  const t = run.t;
  const stoppedAt = run.stoppedAt;
  const evalAt = stoppedAt ?? now;
  const elapsedMs = segs.elapsed();
  warnAt.reset();
  const r =
    t.metric === 'update'
      ? updateStatus(run, segs, h, evalAt, elapsedMs, W)
      : withinStatus(run, t.within.kind === 'open' ? openTarget(run, segs, h, evalAt, elapsedMs, policy.pauseWhen, W) : fixedTarget(run, W, explain), evalAt, elapsedMs);
  if (run.rules !== null) r.trace = traceOf(run.rules, segs.toTrace(), evalAt, run.cal, t, r.breached, r.missed, stoppedAt);
  return r;
}

/** The result of a response or resolution target with deadline `dueAt`. */
function withinStatus(run: TargetRun, dueAt: number | null, evalAt: number, elapsedMs: number): TargetStatus {
  return {
    metric: run.t.metric,
    state: run.state,
    dueAt,
    stoppedAt: run.stoppedAt,
    breached: dueAt !== null && evalAt > dueAt,
    elapsedMinutes: minutesDown(elapsedMs),
    remainingMinutes: fin.remainingMinutes,
    startedAt: run.start,
    calendar: run.cal.id,
    warnAt: warnAt.take(),
  };
}

/** The result of an update target (update.ts). */
function updateStatus(run: TargetRun, segs: Segs, h: History, evalAt: number, elapsedMs: number, W: Required<WarningOptions>): TargetStatus {
  const u = updateTarget(run.t, run.cal, segs, h, run.start, evalAt, run.state, elapsedMs, W, warnAt, run.rules);
  return {
    metric: run.t.metric,
    state: run.state,
    dueAt: u.dueAt,
    stoppedAt: run.stoppedAt,
    breached: u.missed > 0,
    elapsedMinutes: minutesDown(elapsedMs),
    remainingMinutes: u.remainingMinutes,
    startedAt: run.start,
    calendar: run.cal.id,
    warnAt: warnAt.take(),
    missed: u.missed,
  };
}

/** A minutes/hours target (response, resolution): its deadline and warnings; `fin.remainingMinutes`. */
function openTarget(run: TargetRun, segs: Segs, h: History, evalAt: number, elapsedMs: number, pw: ReadonlySet<Status>, W: Required<WarningOptions>): number | null {
  const { t, cal, start, state } = run;
  const N = (t.within as { ms: number }).ms;
  let dueAt: number | null = null;
  const due = N === 0 ? start : segs.reach(start, N, cal, NaN, 0);
  if (due !== null && due <= evalAt) {
    dueAt = due;
    if (run.rules !== null) noteOpenDue(run.rules, t, cal, state, 'reached', dueAt);
  } else if (state === 'running' || (state === 'stopped' && kindAtStop(run, segs, h, pw) === 'active')) {
    dueAt = cal.addOpen(evalAt, N - elapsedMs);
    if (run.rules !== null) noteOpenDue(run.rules, t, cal, state, 'projected', dueAt);
  } else if (run.rules !== null) noteOpenDue(run.rules, t, cal, state, 'none', null);
  fin.remainingMinutes = minutesUp(N - elapsedMs);
  if (state === 'running') {
    // a running target continues counting from now (its evaluation instant)
    for (let i = 0, P = W.percent; i < P.length; i++) {
      const r = segs.reach(start, (N * (P[i] as number)) / 100, cal, evalAt, elapsedMs);
      if (r !== null) warnAt.push(r);
    }
    if (dueAt !== null) beforeWarnings(dueAt, W);
  }
  return dueAt;
}

/** How a stopped target stood when it stopped: running (its deadline as it stood is projected) or paused. */
function kindAtStop(run: TargetRun, segs: Segs, h: History, pw: ReadonlySet<Status>): Kind {
  if (run.t.metric !== 'response') return segs.lastKind('active');
  return segs.lastKind(kindOf(h.statusAt(run.start), run.pausable, pw) === 'paused' ? 'paused' : 'active');
}

/** A business-day target: its fixed deadline and warnings; `fin.remainingMinutes` (none). */
function fixedTarget(run: TargetRun, W: Required<WarningOptions>, explain: boolean): number | null {
  const { t, cal, start } = run;
  const fd = fixedDeadline(cal, start, t.within, explain);
  if (run.rules !== null) for (const n of fd.notes) run.rules.add(n);
  const dueAt = fd.due;
  fin.remainingMinutes = null;
  if (run.state === 'running' && dueAt !== null) {
    const total = cal.openMs(start, dueAt);
    for (let i = 0, P = W.percent; i < P.length; i++) {
      const r = cal.addOpen(start, Math.floor((total * (P[i] as number)) / 100));
      if (r !== null) warnAt.push(r);
    }
    beforeWarnings(dueAt, W);
  }
  return dueAt;
}

/** The wall-clock warnings before a deadline. */
function beforeWarnings(dueAt: number, W: Required<WarningOptions>): void {
  for (let i = 0, B = W.beforeMinutes; i < B.length; i++) warnAt.push(dueAt - (B[i] as number) * MINUTE);
}

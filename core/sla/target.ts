/**
 * Steps 3 and 4 of an evaluation, per target: when it starts and stops and
 * how it stands (`planTarget`, before the segments are built), then its
 * deadline, warnings and result (`finishTarget`, on its segments). The
 * explanation's rules are only worded when asked for.
 */
import type { CompiledCalendar } from './calendar.js';
import type { History, Kind } from './history.js';
import type { Policy, Target } from './policy.js';
import type { SegPlan, Segs } from './segments.js';
import { MINUTE } from './time.js';
import { NO_DEADLINE, buildTrace, wall } from './trace.js';
import type { TraceItem } from './trace.js';
import { updateTarget } from './update.js';
import { NO_WARNINGS, minutesDown, minutesUp } from './result.js';
import type { TargetState, TargetStatus, WarningOptions } from './result.js';
import { fixedDeadline } from './fixed.js';

/** Collects trace rules (only made when explaining: wording local times is not free). */
export class Rules {
  readonly items: TraceItem[] = [];
  add(note: string, at?: number): void {
    this.items.push(at === undefined ? { kind: 'rule', note } : { kind: 'rule', note, at });
  }
}

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
    warnAt: NO_WARNINGS,
  };
  if (t.metric === 'update') r.missed = 0;
  if (trace) r.trace = trace;
  return r;
}

/** Fills `run` with when target `t` starts and stops at the history's `now`, and its state. */
export function planTarget(run: TargetRun, t: Target, cal: CompiledCalendar, h: History, policy: Policy, explain: boolean): void {
  const R = explain ? new Rules() : null;
  const now = h.now;
  run.t = t;
  run.cal = cal;
  run.rules = R;
  run.pausable = t.pausable;
  run.stoppedAt = null;
  const responseStop = h.responseStop(); // NaN: neither happened
  let start = h.created;
  if (t.metric !== 'response' && t.startsAt === 'response') start = responseStop;
  if (R && h.policyNote) R.add(h.policyNote);
  if (start !== start || start > now) {
    R?.add('starts at the first response (or resolution), which has not happened yet');
    run.started = false;
    run.state = 'pending';
    run.start = 0;
    run.end = 0;
    return;
  }
  run.started = true;
  run.start = start;
  if (R)
    R.add(
      `started ${t.startsAt === 'response' && t.metric !== 'response' ? 'at the first response' : 'at creation'}, ${wall(cal, start)}; counts on calendar "${cal.id}"${t.pausable && policy.pauseWhen.size ? `, paused while ${[...policy.pauseWhen].join(' or ')}` : ''}`,
      start,
    );
  if (t.metric === 'response') {
    // stopped by the first response (or resolution) up to now
    if (responseStop <= now) {
      run.end = responseStop;
      run.state = 'stopped';
      run.stoppedAt = responseStop;
      R?.add(
        responseStop === h.firstResponse ? `stopped by the first response, ${wall(cal, responseStop)}` : `stopped by the resolution (no response before it), ${wall(cal, responseStop)}`,
        responseStop,
      );
    } else {
      run.end = now;
      run.state = h.kindAt(h.nowIndex, t.pausable) === 'paused' ? 'paused' : 'running';
    }
    return;
  }
  const cur = h.kindAt(h.nowIndex, t.pausable);
  if (cur === 'resolved') {
    // the instant the final resolved/closed run began
    let last = start;
    let prev: Kind = h.kindAt(h.indexAt(start), t.pausable);
    for (let i = 0; i < h.n; i++) {
      const at = h.at[i] as number;
      if (at <= start) continue;
      if (at > now) break;
      const k: Kind = h.stop[i] ? 'resolved' : 'active';
      if (k === 'resolved' && prev !== 'resolved') last = at;
      prev = k;
    }
    run.stoppedAt = last;
    run.state = 'stopped';
    run.end = last;
    R?.add(`stopped: ${h.statusAt(now)} at ${wall(cal, last)}`, last);
  } else {
    run.state = cur === 'paused' ? 'paused' : 'running';
    run.end = now;
  }
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
    const n = this.n;
    if (n === 0) return NO_WARNINGS;
    const xs = this.xs;
    const x0 = xs[0] as number;
    if (n === 1) return [x0];
    if (n === 2) {
      // the usual case (one percent, one before the deadline): small enough to be inlined where it is called
      const x1 = xs[1] as number;
      return x0 < x1 ? [x0, x1] : x1 < x0 ? [x1, x0] : [x0];
    }
    return this.sorted();
  }
  /** `take` of three or more: sorted, without repeats. */
  private sorted(): number[] {
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
    return xs.slice(0, k);
  }
}
const warnAt = new WarnBuf();

/** The target's deadline, warnings and result, on its segments. */
export function finishTarget(run: TargetRun, segs: Segs, h: History, W: Required<WarningOptions>, explain: boolean): TargetStatus {
  const { t, cal, start, state, stoppedAt } = run;
  const now = h.now;
  const R = run.rules;
  const evalAt = stoppedAt ?? now;
  const elapsedMs = segs.elapsed();
  // a running target continues counting from now
  const projT = state === 'running' ? now : NaN;
  let dueAt: number | null = null;
  let remainingMinutes: number | null = null;
  let missed: number | undefined;
  let breached = false;
  warnAt.reset();

  if (t.metric === 'update') {
    const u = updateTarget(t, cal, segs, h, start, evalAt, state, elapsedMs, W, warnAt, R);
    dueAt = u.dueAt;
    remainingMinutes = u.remainingMinutes;
    missed = u.missed;
    breached = missed > 0;
  } else if (t.within.kind === 'open') {
    let kindAtStop: Kind = 'active';
    if (state === 'stopped') kindAtStop = t.metric === 'response' ? segs.lastKind(h.kindAt(h.indexAt(start), t.pausable) === 'paused' ? 'paused' : 'active') : segs.lastKind('active');
    const N = t.within.ms;
    const due = N === 0 ? start : segs.reach(start, N, cal, NaN, 0);
    if (due !== null && due <= evalAt) {
      dueAt = due;
      R?.add(`${t.within.text} of counted open time reached at ${wall(cal, due)}`, due);
    } else if (state === 'running' || (state === 'stopped' && kindAtStop === 'active')) {
      dueAt = segs.addOpen(evalAt, N - elapsedMs, cal);
      if (R) R.add(dueAt !== null ? `${t.within.text} of open time: ${state === 'stopped' ? 'the deadline as it stood when it stopped' : 'due if nothing changes'}, ${wall(cal, dueAt)}` : NO_DEADLINE);
    } else {
      R?.add(state === 'paused' ? 'paused before the deadline: no deadline while paused' : 'stopped while paused: no deadline');
    }
    remainingMinutes = minutesUp(N - elapsedMs);
    if (state === 'running') {
      for (let i = 0, P = W.percent; i < P.length; i++) {
        const p = P[i] as number;
        const r = segs.reach(start, (N * p) / 100, cal, projT, elapsedMs);
        if (r !== null) warnAt.push(r);
      }
      if (dueAt !== null) for (let i = 0, B = W.beforeMinutes; i < B.length; i++) warnAt.push(dueAt - (B[i] as number) * MINUTE);
    }
  } else {
    const fd = fixedDeadline(cal, start, t.within, explain);
    if (R) for (const n of fd.notes) R.add(n);
    dueAt = fd.due;
    if (state === 'running' && dueAt !== null) {
      const total = cal.openMs(start, dueAt);
      for (let i = 0, P = W.percent; i < P.length; i++) {
        const p = P[i] as number;
        const r = cal.addOpen(start, Math.floor((total * p) / 100));
        if (r !== null) warnAt.push(r);
      }
      for (let i = 0, B = W.beforeMinutes; i < B.length; i++) warnAt.push(dueAt - (B[i] as number) * MINUTE);
    }
  }
  if (t.metric !== 'update') breached = dueAt !== null && evalAt > dueAt;

  const elapsedMinutes = minutesDown(elapsedMs);
  // one literal per shape (a property added later costs a copy of the object's properties)
  const r: TargetStatus =
    missed === undefined
      ? { metric: t.metric, state, dueAt, stoppedAt, breached, elapsedMinutes, remainingMinutes, startedAt: start, calendar: cal.id, warnAt: warnAt.take() }
      : { metric: t.metric, state, dueAt, stoppedAt, breached, elapsedMinutes, remainingMinutes, startedAt: start, calendar: cal.id, warnAt: warnAt.take(), missed };
  if (R) {
    const rules = R.items;
    const items = buildTrace(segs.toTrace(), evalAt, cal);
    if (breached)
      rules.push({ kind: 'rule', note: t.metric === 'update' ? `${missed} update(s) missed` : `breached: ${stoppedAt !== null ? 'stopped' : 'now'} ${wall(cal, evalAt)} is after the deadline` });
    r.trace = [...rules.slice(0, 1), ...items, ...rules.slice(1)];
  }
  return r;
}

/**
 * The wording of a target's rules in the explanation trace (`explain` only).
 * Kept apart from the steps that compute (target.ts, update.ts): a template
 * that is never run still weighs on a function, and the engine's hot
 * functions are optimized by the JIT sooner when they are small.
 */
import type { CompiledCalendar } from './calendar.js';
import type { History } from './history.js';
import type { Policy, Target } from './policy.js';
import type { TargetState } from './result.js';
import { NO_DEADLINE, buildTrace, thousands, wall } from './trace.js';
import type { TraceItem, TraceSegment } from './trace.js';

/** Collects trace rules (only made when explaining: wording local times is not free). */
export class Rules {
  readonly items: TraceItem[] = [];
  add(note: string, at?: number): void {
    this.items.push(at === undefined ? { kind: 'rule', note } : { kind: 'rule', note, at });
  }
}

/** The policy change, then when the target starts (or that it has not). */
export function noteStart(R: Rules, h: History, t: Target, cal: CompiledCalendar, policy: Policy, start: number | null, now: number): void {
  if (h.policyNote) R.add(h.policyNote);
  if (start === null || start > now) {
    R.add('starts at the first response (or resolution), which has not happened yet');
    return;
  }
  R.add(
    `started ${t.startsAt === 'response' && t.metric !== 'response' ? 'at the first response' : 'at creation'}, ${wall(cal, start)}; counts on calendar "${cal.id}"${t.pausable && policy.pauseWhen.size ? `, paused while ${[...policy.pauseWhen].join(' or ')}` : ''}`,
    start,
  );
}

export function noteResponseStop(R: Rules, h: History, cal: CompiledCalendar, stop: number): void {
  R.add(stop === h.firstResponse ? `stopped by the first response, ${wall(cal, stop)}` : `stopped by the resolution (no response before it), ${wall(cal, stop)}`, stop);
}

export function noteResolved(R: Rules, h: History, cal: CompiledCalendar, now: number, last: number): void {
  R.add(`stopped: ${h.statusAt(now)} at ${wall(cal, last)}`, last);
}

/** How a minutes/hours target's deadline was set: reached in its segments, projected from its evaluation instant, or none (paused). */
export function noteOpenDue(R: Rules, t: Target, cal: CompiledCalendar, state: TargetState, how: 'reached' | 'projected' | 'none', dueAt: number | null): void {
  const text = t.within.text;
  if (how === 'reached') R.add(`${text} of counted open time reached at ${wall(cal, dueAt)}`, dueAt as number);
  else if (how === 'projected')
    R.add(dueAt !== null ? `${text} of open time: ${state === 'stopped' ? 'the deadline as it stood when it stopped' : 'due if nothing changes'}, ${wall(cal, dueAt)}` : NO_DEADLINE);
  else R.add(state === 'paused' ? 'paused before the deadline: no deadline while paused' : 'stopped while paused: no deadline');
}

/** The trace of a finished target: its first rule, its stretches, its other rules and the breach. */
export function traceOf(R: Rules, segs: TraceSegment[], evalAt: number, cal: CompiledCalendar, t: Target, breached: boolean, missed: number | undefined, stoppedAt: number | null): TraceItem[] {
  const rules = R.items;
  const items = buildTrace(segs, evalAt, cal);
  if (breached)
    rules.push({ kind: 'rule', note: t.metric === 'update' ? `${missed} update(s) missed` : `breached: ${stoppedAt !== null ? 'stopped' : 'now'} ${wall(cal, evalAt)} is after the deadline` });
  return [...rules.slice(0, 1), ...items, ...rules.slice(1)];
}

/** A run of missed updates, in one rule. */
export function noteMissed(R: Rules, cal: CompiledCalendar, count: number, first: number, last: number, everyText: string): void {
  R.add(
    count === 1
      ? `update due ${wall(cal, first)} missed; the next is due ${everyText} after it`
      : `${thousands(count)} updates missed, ${wall(cal, first)} to ${wall(cal, last)}; each next one was due ${everyText} after the one missed`,
    first,
  );
}

/** An update logged (`reopen` false) or a reopen at `at`. */
export function noteRestart(R: Rules, cal: CompiledCalendar, at: number, reopen: boolean, everyText: string): void {
  R.add(`${reopen ? 'reopened' : 'update logged'} ${wall(cal, at)}: the next update is due ${everyText} after it`, at);
}

/** The update target's next due, or why there is none. */
export function noteNextUpdate(R: Rules, cal: CompiledCalendar, state: TargetState, dueAt: number | null): void {
  if (state === 'running') R.add(dueAt !== null ? `next update due ${wall(cal, dueAt)} if nothing changes` : NO_DEADLINE);
  else if (state === 'paused') R.add('paused: no update is due while paused');
}

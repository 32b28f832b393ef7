/**
 * Step 2 of an evaluation: each target's segments (running, paused or
 * resolved stretches from its start to its end) with counted open time at
 * their ends, built for all targets of a ticket in one walk over its history.
 * Targets that count the same way (calendar, start, and pausable when the
 * history has a status that pauses) share the walk:
 * a target that ends earlier gets a clipped copy. Buffers are kept in a pool
 * and reused from ticket to ticket.
 */
import type { CompiledCalendar } from './calendar.js';
import { kindOf } from './history.js';
import type { History, Kind } from './history.js';
import type { Status } from './policy.js';
import type { TraceSegment } from './trace.js';

/** Segments as parallel arrays: [a[i], b[i]) of `kind[i]`, counted open ms `posA[i]` at a, `posB[i]` at b. */
export class Segs {
  n = 0;
  readonly a: number[] = [];
  readonly b: number[] = [];
  readonly kind: Kind[] = [];
  readonly posA: number[] = [];
  readonly posB: number[] = [];

  /** Appends [a, b) of `kind` counted from position `pos` (merged with the last one when it continues it); the position at b. */
  push(a: number, b: number, kind: Kind, pos: number, cal: CompiledCalendar): number {
    if (b <= a) return pos;
    const o = kind === 'active' ? cal.openMs(a, b) : 0;
    const n = this.n;
    if (n > 0 && this.kind[n - 1] === kind && this.b[n - 1] === a) {
      this.b[n - 1] = b;
      this.posB[n - 1] = (this.posB[n - 1] as number) + o;
    } else {
      this.a[n] = a;
      this.b[n] = b;
      this.kind[n] = kind;
      this.posA[n] = pos;
      this.posB[n] = pos + o;
      this.n = n + 1;
    }
    return pos + o;
  }

  /** Counted open time at the end (0 when empty). */
  elapsed(): number {
    return this.n ? (this.posB[this.n - 1] as number) : 0;
  }

  /** The kind of the last segment, or `dflt` when empty. */
  lastKind(dflt: Kind): Kind {
    return this.n ? (this.kind[this.n - 1] as Kind) : dflt;
  }

  /** Counted position at instant t (t clipped to the segments' span). */
  posAt(t: number, cal: CompiledCalendar): number {
    let p = 0;
    for (let i = 0; i < this.n; i++) {
      const a = this.a[i] as number;
      if (t <= a) return this.posA[i] as number;
      if (t < (this.b[i] as number)) return this.kind[i] === 'active' ? (this.posA[i] as number) + cal.openMs(a, t) : (this.posA[i] as number);
      p = this.posB[i] as number;
    }
    return p;
  }

  /**
   * The earliest instant at which the counted position reaches p; beyond the
   * segments, a running target continues counting on the calendar from
   * `projT` (position `projPos`); `projT` NaN: not running (null beyond).
   */
  reach(start: number, p: number, cal: CompiledCalendar, projT: number, projPos: number): number | null {
    if (p <= 0) return start;
    for (let i = 0; i < this.n; i++) {
      if (this.kind[i] === 'active' && (this.posB[i] as number) >= p) return cal.addOpen(this.a[i] as number, p - (this.posA[i] as number));
    }
    if (projT === projT) return cal.addOpen(projT, p - projPos);
    return null;
  }

  /** The segments as objects (for the explanation trace). */
  toTrace(): TraceSegment[] {
    const out: TraceSegment[] = [];
    for (let i = 0; i < this.n; i++) out.push({ a: this.a[i] as number, b: this.b[i] as number, kind: this.kind[i] as Kind });
    return out;
  }

  /** Makes this the segments of `src` up to `end` (end within src's span). */
  clipOf(src: Segs, start: number, end: number, cal: CompiledCalendar): void {
    this.n = 0;
    if (end <= start) return;
    let i = 0;
    for (; i < src.n && (src.b[i] as number) <= end; i++) {
      this.a[i] = src.a[i] as number;
      this.b[i] = src.b[i] as number;
      this.kind[i] = src.kind[i] as Kind;
      this.posA[i] = src.posA[i] as number;
      this.posB[i] = src.posB[i] as number;
    }
    this.n = i;
    if (i < src.n && (src.a[i] as number) < end) this.push(src.a[i] as number, end, src.kind[i] as Kind, src.posA[i] as number, cal);
  }
}

/** Builds the segments of one target over [start, end) into `segs`. */
function build(h: History, start: number, end: number, pausable: boolean, pauseWhen: ReadonlySet<Status>, cal: CompiledCalendar, segs: Segs): void {
  segs.n = 0;
  if (end <= start) return;
  let cur = kindOf(h.statusAt(start), pausable, pauseWhen);
  let a = start;
  let pos = 0;
  for (let i = 0; i < h.n; i++) {
    const t = h.at[i] as number;
    if (t <= start) continue;
    if (t >= end) break;
    const k = kindOf(h.status[i] as Status, pausable, pauseWhen);
    if (k !== cur) {
      pos = segs.push(a, t, cur, pos, cal);
      if (t > a) a = t;
      cur = k;
    }
  }
  segs.push(a, end, cur, pos, cal);
}

/** What a target counts: from `start` to `end` on `cal`, paused by `pauseWhen` when `pausable`. */
export interface SegPlan {
  start: number;
  end: number;
  pausable: boolean;
  cal: CompiledCalendar;
}

const pool: Segs[] = [];
const leads: number[] = [];

/**
 * The segments of each plan (`out[i]` for `plans[i]`, i < count), built in one
 * walk per group of plans that count alike. The buffers are reused by the
 * next call: read them before evaluating another ticket.
 */
export function buildSegments(h: History, plans: readonly SegPlan[], count: number, pauseWhen: ReadonlySet<Status>, out: Segs[]): void {
  let sorted = true;
  // whether a target is pausable matters only when the history has a status that pauses
  let pauses = false;
  for (let i = 0; i < h.n; i++) {
    if (i > 0 && (h.at[i] as number) < (h.at[i - 1] as number)) sorted = false;
    if (pauseWhen.has(h.status[i] as Status)) pauses = true;
  }
  while (pool.length < count) pool.push(new Segs());
  // the group's lead: the plan that ends last (the first of equal ones); it is walked, the others clipped from it
  for (let i = 0; i < count; i++) {
    const p = plans[i] as SegPlan;
    let lead = i;
    if (sorted) {
      for (let j = 0; j < count; j++) {
        const q = plans[j] as SegPlan;
        const l = plans[lead] as SegPlan;
        if (q.cal === p.cal && (q.pausable === p.pausable || !pauses) && q.start === p.start && (q.end > l.end || (q.end === l.end && j < lead))) lead = j;
      }
    }
    leads[i] = lead;
    if (lead === i) {
      out[i] = pool[i] as Segs;
      build(h, p.start, p.end, p.pausable, pauseWhen, p.cal, pool[i] as Segs);
    }
  }
  for (let i = 0; i < count; i++) {
    const lead = leads[i] as number;
    if (lead === i) continue;
    const p = plans[i] as SegPlan;
    const src = out[lead] as Segs;
    if ((plans[lead] as SegPlan).end === p.end) out[i] = src;
    else {
      out[i] = pool[i] as Segs;
      (pool[i] as Segs).clipOf(src, p.start, p.end, p.cal);
    }
  }
}

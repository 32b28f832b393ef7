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
import type { History, Kind } from './history.js';
import type { TraceSegment } from './trace.js';
import type { DayWindow } from './window.js';
import { END_OF_RANGE_MS } from '../time-range.js';

/**
 * Segments as parallel arrays: [a[i], b[i]) of `kind[i]`, counted open ms
 * `posA[i]` at a, `posB[i]` at b. An active segment counted on a window of
 * its calendar keeps where a and b are on it (`win[i]`; null: not kept):
 * the interval index at a (`ja`) and b (`jb`) and the window's cumulative
 * open ms at a (`fa`; at b it is `fa + posB - posA`), so that the deadlines
 * and positions asked of the segments count on from there instead of
 * finding a and b in the calendar again.
 */
export class Segs {
  n = 0;
  readonly a: number[] = [];
  readonly b: number[] = [];
  readonly kind: Kind[] = [];
  readonly posA: number[] = [];
  readonly posB: number[] = [];
  readonly win: (DayWindow | null)[] = [];
  readonly ja: number[] = [];
  readonly jb: number[] = [];
  readonly fa: number[] = [];

  /** Appends [a, b) of `kind` counted from position `pos` (merged with the last one when it continues it); the position at b. */
  push(a: number, b: number, kind: Kind, pos: number, cal: CompiledCalendar): number {
    if (b <= a) return pos;
    let o = 0;
    let w: DayWindow | null = null;
    let ja = 0;
    let jb = 0;
    let fa = 0;
    if (kind === 'active') {
      w = cal.nearWindow(a, b) ?? null;
      if (w !== null) {
        ja = w.at(a);
        jb = w.at(b);
        fa = w.Fat(a, ja);
        o = w.Fat(b, jb) - fa;
      } else o = cal.openMs(a, b);
    }
    const n = this.n;
    if (n > 0 && this.kind[n - 1] === kind && this.b[n - 1] === a) {
      this.b[n - 1] = b;
      this.posB[n - 1] = (this.posB[n - 1] as number) + o;
      // the kept points stay true when both pieces were counted on the same window
      if (w !== null && this.win[n - 1] === w) this.jb[n - 1] = jb;
      else this.win[n - 1] = null;
    } else {
      this.a[n] = a;
      this.b[n] = b;
      this.kind[n] = kind;
      this.posA[n] = pos;
      this.posB[n] = pos + o;
      this.win[n] = w;
      this.ja[n] = ja;
      this.jb[n] = jb;
      this.fa[n] = fa;
      this.n = n + 1;
    }
    return pos + o;
  }

  /** Empties the segments, letting go of their windows (the buffers hold the current ticket's windows only, not evicted ones of earlier tickets). */
  clear(): void {
    for (let i = 0; i < this.n; i++) this.win[i] = null;
    this.n = 0;
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
      if (t < (this.b[i] as number)) {
        if (this.kind[i] !== 'active') return this.posA[i] as number;
        // t is within the segment, so on its window when it has one
        const w = this.win[i] as DayWindow | null;
        return (this.posA[i] as number) + (w !== null ? w.F(t) - (this.fa[i] as number) : cal.openMs(a, t));
      }
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
      if (this.kind[i] === 'active' && (this.posB[i] as number) >= p) {
        const ms = p - (this.posA[i] as number);
        const w = this.win[i] as DayWindow | null;
        if (w !== null && ms > 0) {
          const r = w.reachFrom(this.ja[i] as number, this.fa[i] as number, ms);
          if (r !== null && r < END_OF_RANGE_MS) return r;
        }
        return cal.addOpen(this.a[i] as number, ms);
      }
    }
    if (projT === projT) return this.addOpen(projT, p - projPos, cal);
    return null;
  }

  /** `cal.addOpen(t, ms)`, counted on from the last segment's end when t is it. */
  addOpen(t: number, ms: number, cal: CompiledCalendar): number | null {
    const i = this.n - 1;
    if (ms > 0 && i >= 0 && this.b[i] === t && this.kind[i] === 'active') {
      const w = this.win[i] as DayWindow | null;
      if (w !== null) {
        const r = w.reachFrom(this.jb[i] as number, (this.fa[i] as number) + (this.posB[i] as number) - (this.posA[i] as number), ms);
        if (r !== null && r < END_OF_RANGE_MS) return r;
      }
    }
    return cal.addOpen(t, ms);
  }

  /** The segments as objects (for the explanation trace). */
  toTrace(): TraceSegment[] {
    const out: TraceSegment[] = [];
    for (let i = 0; i < this.n; i++) out.push({ a: this.a[i] as number, b: this.b[i] as number, kind: this.kind[i] as Kind });
    return out;
  }

  /** Makes this the segments of `src` up to `end` (end within src's span). */
  clipOf(src: Segs, start: number, end: number, cal: CompiledCalendar): void {
    this.clear();
    if (end <= start) return;
    let i = 0;
    for (; i < src.n && (src.b[i] as number) <= end; i++) {
      this.a[i] = src.a[i] as number;
      this.b[i] = src.b[i] as number;
      this.kind[i] = src.kind[i] as Kind;
      this.posA[i] = src.posA[i] as number;
      this.posB[i] = src.posB[i] as number;
      this.win[i] = src.win[i] as DayWindow | null;
      this.ja[i] = src.ja[i] as number;
      this.jb[i] = src.jb[i] as number;
      this.fa[i] = src.fa[i] as number;
    }
    this.n = i;
    if (i < src.n && (src.a[i] as number) < end) this.push(src.a[i] as number, end, src.kind[i] as Kind, src.posA[i] as number, cal);
  }
}

/** What a target counts: from `start` to `end` on `cal`, paused by the policy's `pauseWhen` when `pausable`. */
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
 * walk per group of plans that count alike (`h.usePauses` has marked the
 * statuses that pause). The buffers are reused by the
 * next call: read them before evaluating another ticket.
 */
export function buildSegments(h: History, plans: readonly SegPlan[], count: number, out: Segs[]): void {
  // whether a target is pausable matters only when the history has a status that pauses (flags of `h.usePauses`)
  const { sorted, pauses } = h;
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
      // the lead's walk, written here rather than in a function of its own: V8 would compile that on its own and again inlined here, while the first pass waits for both
      const segs = pool[i] as Segs;
      out[i] = segs;
      segs.clear();
      const { start, end, pausable, cal } = p;
      if (end <= start) continue;
      let cur = h.kindAt(h.indexAt(start), pausable);
      let a = start;
      let pos = 0;
      // one call of `push` (a second one would be a second copy of it in the optimized code)
      for (let k = 0, last = false; !last; k++) {
        let t = end;
        let kind = cur;
        if (k < h.n) {
          t = h.at[k] as number;
          if (t <= start) continue;
          if (t >= end) t = end;
          else {
            kind = h.kindAt(k, pausable);
            if (kind === cur) continue;
          }
        }
        last = t === end;
        pos = segs.push(a, t, cur, pos, cal);
        if (t > a) a = t;
        cur = kind;
      }
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

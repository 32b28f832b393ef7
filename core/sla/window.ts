/**
 * A window of a compiled calendar: the open intervals of local days [lo, hi)
 * flattened into sorted, merged arrays with cumulative open-time prefix sums,
 * so that "open time up to t" and "where does the count reach N" are binary
 * searches, started from an index of the UTC days. A calendar keeps a few bounded windows (calendar.ts); spans
 * longer than a window are summed per year (years.ts).
 */
const DAY = 86_400_000;

export function lowerBound(a: number[], x: number): number {
  // first index i with a[i] >= x
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function lastAtOrBefore(a: number[], x: number): number {
  // last index i with a[i] <= x, or -1
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** A piece of an interval split by a calendar. */
export interface CalendarPiece {
  from: number;
  to: number;
  open: boolean;
}

export class DayWindow {
  /** Open ms of the whole window. */
  readonly total: number;

  /** UTC day number of `first[0]`. */
  private readonly u0: number;
  /** `first[k]`: the first interval that starts on or after UTC day u0 + k (an index into S). */
  private readonly first: Int32Array;

  private constructor(
    readonly lo: number,
    readonly hi: number,
    readonly S: number[],
    readonly E: number[],
    readonly CE: number[],
  ) {
    this.total = CE.length ? (CE[CE.length - 1] as number) : 0;
    // a local day's intervals lie within a day of its UTC day: index the UTC days around [lo, hi)
    this.u0 = lo - 2;
    const first = new Int32Array(hi - lo + 6);
    for (let k = 0, i = 0; k < first.length; k++) {
      const u = (this.u0 + k) * DAY;
      while (i < S.length && (S[i] as number) < u) i++;
      first[k] = i;
    }
    this.first = first;
  }

  /** The last interval starting at or before t (-1 when none), found from t's UTC day. */
  at(t: number): number {
    const k = Math.floor(t / DAY) - this.u0;
    const first = this.first;
    if (k < 0 || k + 1 >= first.length) return lastAtOrBefore(this.S, t);
    let i = (first[k + 1] as number) - 1;
    const stop = (first[k] as number) - 1;
    while (i > stop && (this.S[i] as number) > t) i--;
    return i;
  }

  /** Flattens the intervals of local days [lo, hi) (`dayIntervals(d)`: [s0, e0, s1, e1, ...] instants). */
  static build(dayIntervals: (day: number) => number[], lo: number, hi: number): DayWindow {
    const S: number[] = [];
    const E: number[] = [];
    for (let d = lo; d < hi; d++) {
      const iv = dayIntervals(d);
      for (let i = 0; i < iv.length; i += 2) {
        const s = iv[i] as number;
        const e = iv[i + 1] as number;
        const n = S.length;
        if (n && s <= (E[n - 1] as number)) E[n - 1] = Math.max(E[n - 1] as number, e);
        else {
          S.push(s);
          E.push(e);
        }
      }
    }
    const CE: number[] = new Array<number>(S.length);
    let c = 0;
    for (let i = 0; i < S.length; i++) {
      c += (E[i] as number) - (S[i] as number);
      CE[i] = c;
    }
    return new DayWindow(lo, hi, S, E, CE);
  }

  covers(from: number, to: number): boolean {
    return from >= this.lo && to <= this.hi;
  }

  /** Cumulative open ms up to t, relative to the window. */
  F(t: number): number {
    return this.Fat(t, this.at(t));
  }

  /** F(t) when `i` is the last interval starting at or before t (`at(t)`). */
  Fat(t: number, i: number): number {
    if (i < 0) return 0;
    const s = this.S[i] as number;
    const e = this.E[i] as number;
    return (this.CE[i] as number) - (e - s) + Math.min(t, e) - s;
  }

  isOpen(t: number): boolean {
    const i = this.at(t);
    return i >= 0 && t < (this.E[i] as number);
  }

  /** The earliest instant D >= s with `ms` (> 0) open time in [s, D), or null when the window ends first. */
  reach(s: number, ms: number): number | null {
    const j = this.at(s);
    return this.reachFrom(j, this.Fat(s, j), ms);
  }

  /** `reach(s, ms)` from s's interval `j` (`at(s)`) and cumulative open ms `f` (`Fat(s, j)`), known by the caller. */
  reachFrom(j: number, f: number, ms: number): number | null {
    const target = f + ms;
    if (target > this.total) return null;
    // the first i with CE[i] >= target is at or after s's interval (ms > 0): gallop from there
    const CE = this.CE;
    let a = ms > 0 ? Math.max(0, j) : 0;
    let step = 1;
    while (a + step < CE.length && (CE[a + step] as number) < target) {
      a += step;
      step *= 2;
    }
    let b = Math.min(CE.length, a + step + 1);
    while (a < b) {
      const mid = (a + b) >>> 1;
      if ((CE[mid] as number) < target) a = mid + 1;
      else b = mid;
    }
    return (this.E[a] as number) - ((CE[a] as number) - target);
  }

  /** The first open instant at or after t, or null when the window has none. */
  nextOpen(t: number): number | null {
    const i = this.at(t);
    if (i >= 0 && t < (this.E[i] as number)) return t;
    return i + 1 < this.S.length ? (this.S[i + 1] as number) : null;
  }

  /** Appends the open and closed pieces of [a, b) to `out` (merging with its last piece). */
  split(a: number, b: number, out: CalendarPiece[]): void {
    const push = (from: number, to: number, open: boolean): void => {
      const last = out[out.length - 1];
      if (last && last.open === open && last.to === from) last.to = to;
      else out.push({ from, to, open });
    };
    let i = Math.max(0, lastAtOrBefore(this.S, a));
    let t = a;
    while (t < b) {
      const s = this.S[i];
      const e = this.E[i];
      if (s === undefined || e === undefined || s >= b) {
        push(t, b, false);
        break;
      }
      if (e <= t) {
        i++;
        continue;
      }
      if (s > t) {
        push(t, s, false);
        t = s;
      }
      const end = Math.min(e, b);
      push(t, end, true);
      t = end;
      i++;
    }
  }
}

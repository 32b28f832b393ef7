/**
 * The `update` target (§3): updates due `first` after the start and then
 * `every` after each update, missed due or reopen, counted on its segments.
 * Runs of missed updates are counted arithmetically, not walked due by due.
 */
import type { CompiledCalendar } from './calendar.js';
import type { History } from './history.js';
import type { Duration, Status, Target } from './policy.js';
import { minutesUp } from './result.js';
import type { TargetState, WarningOptions } from './result.js';
import type { Segs } from './segments.js';
import { MINUTE } from './time.js';
import { NO_DEADLINE, thousands, wall } from './trace.js';

/** Adds trace rules (present only when explaining). */
interface RuleSink {
  add(note: string, at?: number): void;
}

/** The update target's cycle: the anchor (last update / missed due / reopen) and the time owed from it. */
class UpdateCycle {
  missed = 0;
  anchorT = 0;
  anchorPos = 0;
  dur = 0;
  private segs!: Segs;
  private start = 0;
  private cal!: CompiledCalendar;
  private every = 0;
  private R: RuleSink | null = null;
  private everyText = '';

  reset(segs: Segs, start: number, cal: CompiledCalendar, first: number, every: number, R: RuleSink | null, everyText: string): void {
    this.segs = segs;
    this.start = start;
    this.cal = cal;
    this.every = every;
    this.R = R;
    this.everyText = everyText;
    this.missed = 0;
    this.anchorT = start;
    this.anchorPos = 0;
    this.dur = first;
    this.posT = NaN;
  }

  /** The current due instant; beyond the segments only when running (projected from `projT`, NaN: not running). */
  dueOf(projT: number, projPos: number): number | null {
    const r = this.segs.reach(this.start, this.anchorPos + this.dur, this.cal, projT, projPos);
    return r === null ? null : Math.max(this.anchorT, r);
  }

  private miss(d: number): void {
    this.missed++;
    this.anchorT = d;
    this.anchorPos += this.dur;
    this.dur = this.every;
  }

  /**
   * Counts the dues strictly before `limit` as missed, moving the anchor past
   * them (arithmetically: no walk from due to due), and explains the run of
   * misses in one rule with its count, first and last. The counted position
   * at `limit` decides most dues without their instants: a due whose position
   * is past it is not missed, one below it is (when the anchor is before
   * `limit`); only a due at that very position is looked up.
   */
  missUntil(limit: number): void {
    const P = this.posAt(limit);
    if (this.anchorPos + this.dur > P) return;
    const before = this.missed;
    let first = NaN;
    if (!this.R && this.anchorPos + this.dur < P && this.anchorT < limit && this.anchorPos + this.dur + this.every < P) {
      // certainly missed, and so is the next one: the first's instant is needed only for the trace (the last one's is the anchor)
      this.missed++;
      this.anchorPos += this.dur;
      this.dur = this.every;
    } else {
      const d = this.dueOf(NaN, 0);
      if (d === null || d >= limit) return;
      first = d;
      this.miss(d);
    }
    // after one miss, dues follow every `every` of counted time: count those whose position is below the position at `limit`
    const every = this.every;
    if (this.anchorPos + every < P) {
      const k = Math.floor((P - 1 - (this.anchorPos + every)) / every) + 1;
      this.missed += k;
      this.anchorPos += k * every;
    }
    if (first !== first || this.missed - before > 1) {
      // the last missed due is the anchor (the dues' instants grow with their positions)
      const r = this.segs.reach(this.start, this.anchorPos, this.cal, NaN, 0);
      if (r !== null) this.anchorT = Math.max(this.anchorT, r);
    }
    // the dues the positions cannot tell (a due reached before a closed stretch that ends at or after `limit`)
    for (let guard = 0; guard < 1_000_000; guard++) {
      if (this.anchorPos + this.dur > P) break;
      const d = this.dueOf(NaN, 0);
      if (d === null || d >= limit) break;
      this.miss(d);
    }
    if (!this.R) return;
    const count = this.missed - before;
    const last = this.anchorT;
    const { cal, everyText } = this;
    this.R.add(
      count === 1
        ? `update due ${wall(cal, first)} missed; the next is due ${everyText} after it`
        : `${thousands(count)} updates missed, ${wall(cal, first)} to ${wall(cal, last)}; each next one was due ${everyText} after the one missed`,
      first,
    );
  }

  /** The counted position at t (the last one asked is kept: a limit is often the next restart). */
  private posT = NaN;
  private posP = 0;
  private posAt(t: number): number {
    if (t !== this.posT) {
      this.posP = this.segs.posAt(t, this.cal);
      this.posT = t;
    }
    return this.posP;
  }

  /** An update logged or a reopen at `at`: the next update is due `every` after it. */
  restart(at: number): void {
    this.anchorT = at;
    this.anchorPos = this.posAt(at);
    this.dur = this.every;
  }
}

const U = new UpdateCycle();

/** The updates and reopens of [start, evalAt] in time order, read from the history without copying. */
class Marks {
  ui = 0;
  private si = 0;
  private h!: History;
  private start = 0;
  private evalAt = 0;
  private prevStop = false;
  private stopAt = 0;
  /** The resolution the last reopen found ends. */
  reopenMiss = 0;

  reset(h: History, start: number, evalAt: number): void {
    this.h = h;
    this.start = start;
    this.evalAt = evalAt;
    this.ui = 0;
    this.si = 0;
    this.prevStop = h.stopAt(h.indexAt(start));
    this.stopAt = start;
    this.reopenMiss = start;
  }

  /** The next update at or after start, up to evalAt, logged while not resolved (NaN: none). */
  nextUpdate(): number {
    const h = this.h;
    for (; this.ui < h.nu; this.ui++) {
      const u = h.updates[this.ui] as number;
      if (u >= this.start && u <= this.evalAt && !h.stopAt(h.indexAt(u))) return u;
    }
    return NaN;
  }

  /** The next reopen after start, up to evalAt (NaN: none); `reopenMiss`: the resolution it ends. */
  nextReopen(): number {
    const h = this.h;
    for (; this.si < h.n; this.si++) {
      const at = h.at[this.si] as number;
      if (at <= this.start) continue;
      if (at > this.evalAt) break;
      const st = h.stop[this.si] as boolean;
      if (!this.prevStop && st) this.stopAt = at;
      const reopen = this.prevStop && !st;
      this.prevStop = st;
      if (reopen) {
        this.si++;
        this.reopenMiss = this.stopAt;
        return at;
      }
    }
    this.si = h.n;
    return NaN;
  }
}

const M = new Marks();

export interface UpdateResult {
  dueAt: number | null;
  remainingMinutes: number | null;
  missed: number;
}
const out: UpdateResult = { dueAt: null, remainingMinutes: null, missed: 0 };

/**
 * The update target on its segments: missed updates, the next due, remaining
 * time and warnings (pushed to `warnAt`).
 */
export function updateTarget(
  t: Target,
  cal: CompiledCalendar,
  segs: Segs,
  h: History,
  start: number,
  evalAt: number,
  state: TargetState,
  elapsedMs: number,
  W: Required<WarningOptions>,
  warnAt: { push(x: number): void },
  R: RuleSink | null,
): UpdateResult {
  const every = (t.every as Duration & { kind: 'open' }).ms;
  const first = (t.within as Duration & { kind: 'open' }).ms;
  const everyText = (t.every as Duration).text;
  U.reset(segs, start, cal, first, every, R, everyText);
  // updates and reopens in time order (an update before a reopen at the same instant);
  // dues before an update are missed; before a reopen, those before the resolution it ends (a due at that instant is met, §4)
  M.reset(h, start, evalAt);
  let u = M.nextUpdate();
  let re = M.nextReopen();
  while (u === u || re === re) {
    if (u === u && !(re < u)) {
      U.missUntil(u);
      U.restart(u);
      R?.add(`update logged ${wall(cal, u)}: the next update is due ${everyText} after it`, u);
      M.ui++;
      u = M.nextUpdate();
    } else {
      U.missUntil(M.reopenMiss);
      U.restart(re);
      R?.add(`reopened ${wall(cal, re)}: the next update is due ${everyText} after it`, re);
      re = M.nextReopen();
    }
  }
  U.missUntil(evalAt);
  const { missed, anchorPos, anchorT, dur } = U;
  let dueAt: number | null = null;
  let remainingMinutes: number | null = null;
  if (state === 'running') {
    dueAt = U.dueOf(evalAt, elapsedMs);
    remainingMinutes = minutesUp(anchorPos + dur - elapsedMs);
    if (dueAt !== null) {
      for (let i = 0, P = W.percent; i < P.length; i++) {
        const p = P[i] as number;
        const r = segs.reach(start, anchorPos + (dur * p) / 100, cal, evalAt, elapsedMs);
        if (r !== null) warnAt.push(Math.max(anchorT, r));
      }
      for (let i = 0, B = W.beforeMinutes; i < B.length; i++) warnAt.push(dueAt - (B[i] as number) * MINUTE);
      R?.add(`next update due ${wall(cal, dueAt)} if nothing changes`);
    } else R?.add(NO_DEADLINE);
  } else if (state === 'paused') {
    remainingMinutes = minutesUp(anchorPos + dur - elapsedMs);
    R?.add('paused: no update is due while paused');
  }
  // one object, reused: read it before the next call
  out.dueAt = dueAt;
  out.remainingMinutes = remainingMinutes;
  out.missed = missed;
  return out;
}

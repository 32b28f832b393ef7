/**
 * Evaluation of a ticket's targets at an instant (§2-§4), with warnings,
 * the next instant anything changes, and an explanation trace.
 */
import type { CompiledCalendar } from './calendar.js';
import type { TicketEvent } from './events.js';
import type { Duration, Metric, Policy, Status, Target } from './policy.js';
import { SlaError, issue } from './errors.js';
import { MINUTE, formatDate, formatHHMM } from './time.js';
import { END_OF_RANGE_MS, INSTANT_RANGE_TEXT, instantInRange } from '../time-range.js';
import { NO_DEADLINE, buildTrace, thousands, wall } from './trace.js';
import type { TraceItem } from './trace.js';

/** Warning thresholds. Defaults: 75 % of the target's time used, and 15 minutes (wall clock) before the deadline. */
export interface WarningOptions {
  /** Percentages of the target's duration (open time) after which to warn. */
  percent?: number[];
  /** Minutes of wall-clock time before the deadline at which to warn. */
  beforeMinutes?: number[];
}

export const DEFAULT_WARNINGS: Required<WarningOptions> = { percent: [75], beforeMinutes: [15] };

export type { TraceItem } from './trace.js';

export type TargetState = 'pending' | 'running' | 'paused' | 'stopped';

/** A target's status at the evaluation instant (§4). Instants are epoch ms. */
export interface TargetStatus {
  metric: Metric;
  state: TargetState;
  /** Deadline (for `update`: the next update due); null as §4 says. */
  dueAt: number | null;
  /** When the target stopped (response given, ticket resolved/closed); null otherwise. */
  stoppedAt: number | null;
  breached: boolean;
  /** Counted open time up to the evaluation instant, whole minutes (rounded down). */
  elapsedMinutes: number;
  /** minutes/hours targets: N minus elapsed, rounded up, never below 0; null otherwise (and when pending). For `update`, of the current interval. */
  remainingMinutes: number | null;
  /** `update` only: missed updates so far. */
  missed?: number;
  /** When the target started (null while pending). */
  startedAt: number | null;
  /** The calendar the target counts on. */
  calendar: string;
  /** Warning instants of a running target (past ones included), ascending; [] otherwise. */
  warnAt: number[];
  /** Present when `explain` was asked for. */
  trace?: TraceItem[];
}

/** The result of `evaluateTicket`. */
export interface TicketStatus {
  /** The policy the ticket is measured against (the latest one, applied from creation). */
  policy: string;
  targets: TargetStatus[];
  /**
   * The first instant after `now` at which the evaluation changes by itself
   * (a warning threshold is reached, a deadline passes, an update is missed),
   * for a scheduler to sleep until; null when nothing will change without
   * new events. A deadline D counts as passed from D + 1 ms (D itself is met).
   */
  nextChangeAt: number | null;
}

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

type Kind = 'active' | 'paused' | 'resolved';
interface Seg {
  a: number;
  b: number;
  kind: Kind;
  posA: number;
  posB: number;
}

function lookup<T>(m: ReadonlyMap<string, T> | Readonly<Record<string, T>>, k: string): T | undefined {
  if (m instanceof Map) return (m as ReadonlyMap<string, T>).get(k);
  return Object.prototype.hasOwnProperty.call(m, k) ? (m as Record<string, T>)[k] : undefined;
}

const isStop = (s: Status): boolean => s === 'resolved' || s === 'closed';

/** The ticket's history up to `now`, in time order. */
interface History {
  created: number;
  policy: string;
  policyNote: string | false | null;
  /** status in force from `at` (first entry: created, "open"). */
  statuses: { at: number; status: Status }[];
  firstResponse: number | null;
  firstResolution: number | null;
  updates: number[];
}

function history(events: readonly TicketEvent[], now: number, explain: boolean): History | null {
  let inOrder = true;
  for (let i = 1; i < events.length; i++) if ((events[i] as TicketEvent).at < (events[i - 1] as TicketEvent).at) inOrder = false;
  const sorted = inOrder
    ? events.filter((e) => e.at <= now)
    : events
        .map((e, i) => ({ e, i }))
        .filter(({ e }) => e.at <= now)
        .sort((x, y) => x.e.at - y.e.at || x.i - y.i)
        .map(({ e }) => e);
  const c = sorted.find((e) => e.type === 'created');
  if (!c || c.type !== 'created') return null;
  let policy = c.policy;
  let policyNote: string | false | null = null;
  const statuses: { at: number; status: Status }[] = [{ at: c.at, status: 'open' }];
  let firstResponse: number | null = null;
  let firstResolution: number | null = null;
  const updates: number[] = [];
  for (const e of sorted) {
    switch (e.type) {
      case 'policy_changed':
        if (e.policy !== policy) policyNote = explain && `policy changed from "${policy}" to "${e.policy}" at ${new Date(e.at).toISOString()}: the ticket is measured against "${e.policy}" from its creation`;
        policy = e.policy;
        break;
      case 'responded':
        firstResponse ??= e.at;
        break;
      case 'status':
        // one status per instant: the last one given at that time (a status that lasts no time never happened)
        if ((statuses[statuses.length - 1] as { at: number }).at === e.at) statuses.pop();
        statuses.push({ at: e.at, status: e.status });
        if (isStop(e.status)) firstResolution ??= e.at;
        break;
      case 'update_logged':
        updates.push(e.at);
        break;
      default:
        break;
    }
  }
  return { created: c.at, policy, policyNote, statuses, firstResponse, firstResolution, updates };
}

/** The status in force at instant t (after all events at t). */
function statusAt(h: History, t: number): Status {
  let s: Status = 'open';
  for (const x of h.statuses) {
    if (x.at <= t) s = x.status;
    else break;
  }
  return s;
}

/**
 * Builds the target's segments over [start, end): active, paused or resolved,
 * with counted positions (open ms) at their ends.
 */
function kindOf(s: Status, pausable: boolean, pauseWhen: ReadonlySet<Status>): Kind {
  return isStop(s) ? 'resolved' : pausable && pauseWhen.has(s) ? 'paused' : 'active';
}

function pushSeg(segs: Seg[], a: number, b: number, kind: Kind, pos: number, cal: CompiledCalendar): number {
  if (b <= a) return pos;
  const o = kind === 'active' ? cal.openMs(a, b) : 0;
  const last = segs[segs.length - 1];
  if (last && last.kind === kind && last.b === a) {
    last.b = b;
    last.posB += o;
  } else segs.push({ a, b, kind, posA: pos, posB: pos + o });
  return pos + o;
}

function segments(h: History, start: number, end: number, pausable: boolean, pauseWhen: ReadonlySet<Status>, cal: CompiledCalendar): Seg[] {
  const segs: Seg[] = [];
  if (end <= start) return segs;
  let cur = kindOf(statusAt(h, start), pausable, pauseWhen);
  let a = start;
  let pos = 0;
  for (const x of h.statuses) {
    if (x.at <= start) continue;
    if (x.at >= end) break;
    const k = kindOf(x.status, pausable, pauseWhen);
    if (k !== cur) {
      pos = pushSeg(segs, a, x.at, cur, pos, cal);
      if (x.at > a) a = x.at;
      cur = k;
    }
  }
  pushSeg(segs, a, end, cur, pos, cal);
  return segs;
}

/** Counted position at instant t within segments (t clipped to their span). */
function posAt(segs: Seg[], t: number, cal: CompiledCalendar): number {
  let p = 0;
  for (const s of segs) {
    if (t <= s.a) return s.posA;
    if (t < s.b) return s.kind === 'active' ? s.posA + cal.openMs(s.a, t) : s.posA;
    p = s.posB;
  }
  return p;
}

/**
 * The earliest instant at which the counted position reaches p; beyond the
 * segments, `projectFrom` (when running) continues counting on the calendar.
 */
function reach(segs: Seg[], start: number, p: number, cal: CompiledCalendar, projectFrom: { t: number; pos: number } | null): number | null {
  if (p <= 0) return start;
  for (const s of segs) {
    if (s.kind === 'active' && s.posB >= p) return cal.addOpen(s.a, p - s.posA);
  }
  if (projectFrom) return cal.addOpen(projectFrom.t, p - projectFrom.pos);
  return null;
}

const NO_BUSINESS_DAY = 'no deadline within the supported range: the calendar has no such business day before 3000-01-01 (or none for 10 years)';

/** Deadline of a businessDays / nextBusinessDay duration started at s (§2), with the rule that set it. */
export function fixedDeadline(cal: CompiledCalendar, s: number, d: Duration, explain = true): { due: number | null; notes: string[] } {
  const list: string[] = [];
  const notes = { push: (f: string | (() => string)): void => void (explain && list.push(typeof f === 'string' ? f : f())) };
  if (d.kind === 'businessDays') {
    const s1 = cal.isOpen(s) ? s : cal.nextOpen(s);
    if (s1 === null) return { due: null, notes: ['the calendar never opens: no deadline'] };
    if (s1 !== s) notes.push(() => `started outside opening hours (${wall(cal, s)}): counted from the next opening, ${wall(cal, s1)}`);
    let day = cal.localDay(s1);
    const ms = cal.localMsOfDay(s1);
    if (d.days > 0) {
      const n = cal.stepBusinessDays(day, d.days);
      if (n === null) return { due: null, notes: [...list, NO_BUSINESS_DAY] };
      day = n;
    }
    const w = cal.wallToInstant(day, ms);
    const iv = cal.dayIntervals(day);
    let due: number | null = null;
    for (let i = 0; i < iv.length; i += 2) {
      if (w < (iv[i + 1] as number)) {
        due = Math.max(w, iv[i] as number);
        break;
      }
    }
    if (due === null) {
      due = cal.closeOf(day) as number;
      notes.push(() => `${d.text} from ${formatDate(cal.localDay(s1 as number))} ${formatHHMM(ms)} is ${formatDate(day)}; it closes before ${formatHHMM(ms)}, so the deadline is its close, ${wall(cal, due)}`);
    } else {
      notes.push(() => `${d.text} from ${formatDate(cal.localDay(s1 as number))} ${formatHHMM(ms)} is ${formatDate(day)}: due at the first open instant from ${formatHHMM(ms)} that day, ${wall(cal, due)}`);
    }
    if (due >= END_OF_RANGE_MS) return { due: null, notes: [...list, NO_BUSINESS_DAY] };
    return { due, notes: list };
  }
  if (d.kind === 'nextBusinessDay') {
    const day = cal.localDay(s);
    const ms = cal.localMsOfDay(s);
    let receipt: number | null;
    if (cal.isBusinessDay(day) && ms < d.cutoffMs) {
      receipt = day;
      notes.push(() => `reported ${wall(cal, s)}, a business day before the cut-off ${d.cutoff}: received that day`);
    } else {
      receipt = cal.nextBusinessDay(day);
      if (receipt !== null) {
        notes.push(() =>
          cal.isBusinessDay(day)
            ? `cut-off ${d.cutoff} passed (reported ${wall(cal, s)}): received next business day, ${formatDate(receipt as number)}`
            : `reported ${wall(cal, s)} on a day that is not a business day: received next business day, ${formatDate(receipt as number)}`,
        );
      }
    }
    const dueDay = receipt === null ? null : cal.nextBusinessDay(receipt);
    const due = dueDay === null ? null : (cal.closeOf(dueDay) as number);
    if (dueDay === null || due === null || due >= END_OF_RANGE_MS) return { due: null, notes: [...list, NO_BUSINESS_DAY] };
    notes.push(() => `due at the close of the business day after receipt, ${formatDate(dueDay)}: ${wall(cal, due)}`);
    return { due, notes: list };
  }
  throw new Error('fixedDeadline: open-time duration');
}

function minutesDown(ms: number): number {
  return Math.floor(ms / MINUTE + 1e-9);
}
function minutesUp(ms: number): number {
  return Math.max(0, Math.ceil(ms / MINUTE - 1e-9));
}

interface Ctx {
  h: History;
  now: number;
  policy: Policy;
  warnings: Required<WarningOptions>;
  explain: boolean;
}

/** Collects trace rules; notes are built only when explaining (formatting local times is not free). */
class Rules {
  readonly items: TraceItem[] = [];
  constructor(readonly on: boolean) {}
  add(note: string | (() => string), at?: number): void {
    if (!this.on) return;
    const text = typeof note === 'string' ? note : note();
    this.items.push(at === undefined ? { kind: 'rule', note: text } : { kind: 'rule', note: text, at });
  }
}

/** The update target's cycle: the anchor (last update / missed due / reopen) and the time owed from it. */
class UpdateCycle {
  missed = 0;
  anchorT: number;
  anchorPos = 0;
  dur: number;
  constructor(
    private readonly segs: Seg[],
    private readonly start: number,
    private readonly cal: CompiledCalendar,
    first: number,
    private readonly every: number,
    private readonly R: Rules,
    private readonly everyText: string,
  ) {
    this.anchorT = start;
    this.dur = first;
  }

  /** The current due instant; beyond the segments only with a projection (running). */
  dueOf(proj: { t: number; pos: number } | null): number | null {
    const r = reach(this.segs, this.start, this.anchorPos + this.dur, this.cal, proj);
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
   * misses in one rule with its count, first and last.
   */
  missUntil(limit: number): void {
    const first = this.dueOf(null);
    if (first === null || first >= limit) return;
    const before = this.missed;
    this.miss(first);
    // after one miss, dues follow every `every` of counted time: count those whose position is below the position at `limit`
    const P = posAt(this.segs, limit, this.cal);
    const every = this.every;
    if (this.anchorPos + every < P) {
      const k = Math.floor((P - 1 - (this.anchorPos + every)) / every) + 1;
      this.missed += k;
      this.anchorPos += k * every;
      const r = reach(this.segs, this.start, this.anchorPos, this.cal, null);
      if (r !== null) this.anchorT = Math.max(this.anchorT, r);
    }
    // the dues the positions cannot tell (a due reached before a closed stretch that ends after `limit`)
    for (let guard = 0; guard < 1_000_000; guard++) {
      const d = this.dueOf(null);
      if (d === null || d >= limit) break;
      this.miss(d);
    }
    if (!this.R.on) return;
    const count = this.missed - before;
    const last = this.anchorT;
    const { cal, everyText } = this;
    this.R.add(
      () =>
        count === 1
          ? `update due ${wall(cal, first)} missed; the next is due ${everyText} after it`
          : `${thousands(count)} updates missed, ${wall(cal, first)} to ${wall(cal, last)}; each next one was due ${everyText} after the one missed`,
      first,
    );
  }
}

function evaluateTarget(t: Target, cal: CompiledCalendar, ctx: Ctx): TargetStatus {
  const { h, now, policy } = ctx;
  const R = new Rules(ctx.explain);
  const rules = R.items;
  const pw = policy.pauseWhen;

  // When the target starts and stops.
  const responseStop = h.firstResponse === null ? h.firstResolution : h.firstResolution === null ? h.firstResponse : Math.min(h.firstResponse, h.firstResolution);
  let start: number | null = h.created;
  if (t.metric !== 'response' && t.startsAt === 'response') start = responseStop;
  if (ctx.policy && ctx.explain && h.policyNote) R.add(h.policyNote);
  if (start === null || start > now) {
    R.add('starts at the first response (or resolution), which has not happened yet');
    const r: TargetStatus = { metric: t.metric, calendar: cal.id, state: 'pending', dueAt: null, stoppedAt: null, breached: false, elapsedMinutes: 0, remainingMinutes: null, startedAt: null, warnAt: [] };
    if (t.metric === 'update') r.missed = 0;
    if (ctx.explain) r.trace = rules;
    return r;
  }
  R.add(() => `started ${t.startsAt === 'response' && t.metric !== 'response' ? 'at the first response' : 'at creation'}, ${wall(cal, start)}; counts on calendar "${cal.id}"${t.pausable && policy.pauseWhen.size ? `, paused while ${[...policy.pauseWhen].join(' or ')}` : ''}`, start);

  let state: TargetState;
  let stoppedAt: number | null = null;
  let kindAtStop: Kind = 'active';
  let segs: Seg[];
  if (t.metric === 'response') {
    const stop = responseStop !== null && responseStop <= now ? responseStop : null;
    segs = segments(h, start, stop ?? now, t.pausable, pw, cal);
    if (stop !== null) {
      state = 'stopped';
      stoppedAt = stop;
      kindAtStop = segs.length ? (segs[segs.length - 1] as Seg).kind : kindOf(statusAt(h, start), t.pausable, pw) === 'paused' ? 'paused' : 'active';
      R.add(() => stop === h.firstResponse ? `stopped by the first response, ${wall(cal, stop)}` : `stopped by the resolution (no response before it), ${wall(cal, stop)}`, stop);
    } else state = kindOf(statusAt(h, now), t.pausable, pw) === 'paused' ? 'paused' : 'running';
  } else {
    const cur = kindOf(statusAt(h, now), t.pausable, pw);
    if (cur === 'resolved') {
      // the instant the final resolved/closed run began
      let last = start;
      let prev: Kind = kindOf(statusAt(h, start), t.pausable, pw);
      for (const x of h.statuses) {
        if (x.at <= start) continue;
        if (x.at > now) break;
        const k = kindOf(x.status, t.pausable, pw);
        if (k === 'resolved' && prev !== 'resolved') last = x.at;
        prev = k;
      }
      stoppedAt = last;
      state = 'stopped';
      segs = segments(h, start, stoppedAt, t.pausable, pw, cal);
      kindAtStop = segs.length ? (segs[segs.length - 1] as Seg).kind : 'active';
      R.add(() => `stopped: ${statusAt(h, now)} at ${wall(cal, stoppedAt)}`, stoppedAt);
    } else {
      state = cur === 'paused' ? 'paused' : 'running';
      segs = segments(h, start, now, t.pausable, pw, cal);
    }
  }
  const evalAt = stoppedAt ?? now;
  const elapsedMs = segs.length ? (segs[segs.length - 1] as Seg).posB : 0;
  const projectFrom = state === 'running' ? { t: now, pos: elapsedMs } : null;
  let dueAt: number | null = null;
  let remainingMinutes: number | null = null;
  let missed: number | undefined;
  let breached = false;
  const warnAt: number[] = [];
  const W = ctx.warnings;

  if (t.metric === 'update') {
    const every = (t.every as Duration & { kind: 'open' }).ms;
    const first = (t.within as Duration & { kind: 'open' }).ms;
    const U = new UpdateCycle(segs, start, cal, first, every, R, (t.every as Duration).text);
    // updates and reopens, in time order
    // `missBefore`: dues before it are missed; for a reopen, that is the resolution it ends (a due at that instant is met, §4)
    const marks: { at: number; what: 'update' | 'reopen'; missBefore: number }[] = [];
    for (const u of h.updates) if (u >= start && u <= evalAt && !isStop(statusAt(h, u))) marks.push({ at: u, what: 'update', missBefore: u });
    let prevStop = isStop(statusAt(h, start));
    let stopAt = start;
    for (const x of h.statuses) {
      if (x.at <= start) continue;
      if (x.at > evalAt) break;
      const st = isStop(x.status);
      if (!prevStop && st) stopAt = x.at;
      if (prevStop && !st) marks.push({ at: x.at, what: 'reopen', missBefore: stopAt });
      prevStop = st;
    }
    marks.sort((a, b) => a.at - b.at);
    for (const m of marks) {
      U.missUntil(m.missBefore);
      U.anchorT = m.at;
      U.anchorPos = posAt(segs, m.at, cal);
      U.dur = every;
      R.add(() => `${m.what === 'update' ? 'update logged' : 'reopened'} ${wall(cal, m.at)}: the next update is due ${(t.every as Duration).text} after it`, m.at);
    }
    U.missUntil(evalAt);
    missed = U.missed;
    const { anchorPos, anchorT, dur } = U;
    breached = missed > 0;
    if (state === 'running') {
      dueAt = U.dueOf(projectFrom);
      remainingMinutes = minutesUp(anchorPos + dur - elapsedMs);
      if (dueAt !== null) {
        for (const p of W.percent) {
          const r = reach(segs, start, anchorPos + (dur * p) / 100, cal, projectFrom);
          if (r !== null) warnAt.push(Math.max(anchorT, r));
        }
        for (const m of W.beforeMinutes) warnAt.push(dueAt - m * MINUTE);
        R.add(() => `next update due ${wall(cal, dueAt)} if nothing changes`);
      } else R.add(NO_DEADLINE);
    } else if (state === 'paused') {
      remainingMinutes = minutesUp(anchorPos + dur - elapsedMs);
      R.add('paused: no update is due while paused');
    }
  } else if (t.within.kind === 'open') {
    const N = t.within.ms;
    let due: number | null = null;
    if (N === 0) due = start;
    else due = reach(segs, start, N, cal, null);
    if (due !== null && due <= evalAt) {
      dueAt = due;
      R.add(() => `${t.within.text} of counted open time reached at ${wall(cal, due)}`, due);
    } else if (state === 'running' || (state === 'stopped' && kindAtStop === 'active')) {
      dueAt = cal.addOpen(evalAt, N - elapsedMs);
      if (dueAt !== null) R.add(() => `${t.within.text} of open time: ${state === 'stopped' ? 'the deadline as it stood when it stopped' : 'due if nothing changes'}, ${wall(cal, dueAt)}`);
      else R.add(NO_DEADLINE);
    } else {
      R.add(state === 'paused' ? 'paused before the deadline: no deadline while paused' : 'stopped while paused: no deadline');
    }
    remainingMinutes = minutesUp(N - elapsedMs);
    if (state === 'running') {
      for (const p of W.percent) {
        const r = reach(segs, start, (N * p) / 100, cal, projectFrom);
        if (r !== null) warnAt.push(r);
      }
      if (dueAt !== null) for (const m of W.beforeMinutes) warnAt.push(dueAt - m * MINUTE);
    }
  } else {
    const fd = fixedDeadline(cal, start, t.within, ctx.explain);
    for (const n of fd.notes) R.add(n);
    dueAt = fd.due;
    if (state === 'running' && dueAt !== null) {
      const total = cal.openMs(start, dueAt);
      for (const p of W.percent) {
        const r = cal.addOpen(start, Math.floor((total * p) / 100));
        if (r !== null) warnAt.push(r);
      }
      for (const m of W.beforeMinutes) warnAt.push(dueAt - m * MINUTE);
    }
  }
  if (t.metric !== 'update') breached = dueAt !== null && evalAt > dueAt;

  warnAt.sort((a, b) => a - b);
  const uniq = warnAt.filter((x, i) => i === 0 || x !== warnAt[i - 1]);
  const r: TargetStatus = {
    metric: t.metric,
    state,
    dueAt,
    stoppedAt,
    breached,
    elapsedMinutes: minutesDown(elapsedMs),
    remainingMinutes,
    startedAt: start,
    calendar: cal.id,
    warnAt: uniq,
  };
  if (missed !== undefined) r.missed = missed;
  if (ctx.explain) {
    const items = buildTrace(segs, evalAt, cal);
    if (breached) rules.push({ kind: 'rule', note: t.metric === 'update' ? `${missed} update(s) missed` : `breached: ${stoppedAt !== null ? 'stopped' : 'now'} ${wall(cal, evalAt)} is after the deadline` });
    r.trace = [...rules.slice(0, 1), ...items, ...rules.slice(1)];
  }
  return r;
}

/** Inputs outside the supported range are refused: the engine never computes towards a far instant. */
function checkRange(input: EvaluateInput): void {
  if (!instantInRange(input.now)) outOfRange('now', input.now);
  const evs = input.events;
  for (let i = 0; i < evs.length; i++) {
    const t = (evs[i] as TicketEvent).at;
    if (!instantInRange(t)) outOfRange(`events[${i}].at`, t);
  }
}

function outOfRange(what: string, t: number): never {
  throw new RangeError(`evaluateTicket: ${what} ${Number.isFinite(t) && Math.abs(t) <= 8.64e15 ? new Date(t).toISOString() : String(t)} is not ${INSTANT_RANGE_TEXT}`);
}

/**
 * Evaluates a ticket's targets at `now` against the latest policy (applied
 * from creation). Inputs must be valid (see `evalCase` / `checkContract` for
 * validation from JSON); a policy or calendar that is missing throws.
 */
export function evaluateTicket(input: EvaluateInput): TicketStatus {
  checkRange(input);
  const h = history(input.events, input.now, input.explain === true);
  const createdEv = input.events.find((e) => e.type === 'created');
  if (!createdEv || createdEv.type !== 'created') throw new SlaError('invalid_events', [issue('', 'noCreatedEvent')]);
  const policyId = h ? h.policy : createdEv.policy;
  const policy = lookup(input.policies, policyId);
  if (!policy) throw new SlaError('invalid_policy', [issue('', 'policyNotInContract', { id: policyId })]);
  const warnings = { percent: input.warnings?.percent ?? DEFAULT_WARNINGS.percent, beforeMinutes: input.warnings?.beforeMinutes ?? DEFAULT_WARNINGS.beforeMinutes };
  const targets: TargetStatus[] = [];
  let next: number | null = null;
  for (const t of policy.targets) {
    const cal = lookup(input.calendars, t.calendar);
    if (!cal) throw new SlaError('invalid_calendar', [issue('', 'calendarNotInContract', { id: t.calendar })]);
    if (!h) {
      const r: TargetStatus = { metric: t.metric, calendar: cal.id, state: 'pending', dueAt: null, stoppedAt: null, breached: false, elapsedMinutes: 0, remainingMinutes: null, startedAt: null, warnAt: [] };
      if (t.metric === 'update') r.missed = 0;
      if (input.explain) r.trace = [{ kind: 'rule', note: 'the ticket is created after the evaluation instant' }];
      targets.push(r);
      next = next === null ? createdEv.at : Math.min(next, createdEv.at);
      continue;
    }
    const ts = evaluateTarget(t, cal, { h, now: input.now, policy, warnings, explain: input.explain === true });
    targets.push(ts);
    if (ts.state === 'running') {
      const cands = [...ts.warnAt];
      if (ts.dueAt !== null) cands.push(ts.dueAt + 1);
      for (const c of cands) if (c > input.now && c < END_OF_RANGE_MS && (next === null || c < next)) next = c;
    }
  }
  return { policy: policyId, targets, nextChangeAt: next };
}

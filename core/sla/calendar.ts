/**
 * Calendars: when an SLA clock may run. The compiled form the engine counts
 * with: open intervals as instants, merged, with cumulative open-time prefix
 * sums so that "open time between a and b" and "add N open minutes to s" are
 * binary searches (validation: calendar-json.ts).
 */
import { SlaError } from './errors.js';
import { publicHolidays } from './holidays.js';
import { validateCalendar } from './calendar-json.js';
import type { CalendarJson, WallPair } from './calendar-json.js';
import { DAY, WEEKDAYS, formatDate, formatHHMM, localDay, localMsOfDay, parseDate, parseHHMM, wallToInstant, weekday, zoneOffsets } from './time.js';
import type { ZoneOffsets } from './time.js';
import { END_OF_RANGE_MS } from '../time-range.js';
import { DayWindow, lowerBound } from './window.js';
import type { CalendarPiece } from './window.js';
import { firstDayOfYear, scheduleOpen, summarizeYear, yearOfDay } from './years.js';
import type { YearSource, YearSummary } from './years.js';

export type { CalendarPiece } from './window.js';
export { validateCalendar } from './calendar-json.js';
export type { CalendarJson, WallPair } from './calendar-json.js';

/** A calendar without open time for this long (10 years) gives no deadline. */
export const HORIZON_DAYS = 366 * 10;
const HORIZON_YEARS = 10;
/** Spans up to this many days are counted on one window of flattened intervals; longer ones per year (years.ts). */
const NEAR_SPAN_DAYS = 400;
/** Bounds of what a compiled calendar keeps, whatever it is asked: window length, windows, cached days and years. */
const MAX_WINDOW_DAYS = 800;
const MAX_WINDOWS = 3;
const MAX_CACHED_DAYS = 4_096;
const MAX_CACHED_YEARS = 1_100;
/** The first local day that is certainly out of the supported range. */
const END_DAY = Math.floor(END_OF_RANGE_MS / DAY) + 1;

/** The instant, or null when it is past the supported range (never a deadline past 2999-12-31). */
function inRange(t: number | null): number | null {
  return t !== null && t < END_OF_RANGE_MS ? t : null;
}

/** Sorted day numbers of `days` within [from, to). */
function daysIn(days: number[], from: number, to: number): number[] {
  return days.slice(lowerBound(days, from), lowerBound(days, to));
}

/**
 * A validated calendar ready for counting. Open intervals are computed per
 * local day on demand (cached, bounded) and flattened into a few bounded
 * windows with prefix sums; spans longer than a window are summed per year
 * (years.ts), so no query walks day by day to a far instant. All instants are
 * epoch milliseconds; no answer is past the supported range (core/time-range.ts).
 */
export class CompiledCalendar implements YearSource {
  readonly id: string;
  readonly timezone: string;
  readonly zone: ZoneOffsets;
  readonly weekOpen: number[];
  private readonly week: number[][];
  private readonly closed: Set<number>;
  private readonly closedDays: number[];
  private readonly special: Map<number, number[]>;
  private readonly specialDays: number[];
  private readonly holidays: { country: string; region: string | undefined } | null;
  private readonly dayCache = new Map<number, number[]>();
  private readonly windows: DayWindow[] = [];
  private readonly years = new Map<number, YearSummary>();
  /** Work done: local days compiled and years summarised (tests check it is bounded). */
  readonly work = { days: 0, years: 0 };

  /** Use `compileCalendar`; the json must already be valid. */
  constructor(
    readonly json: CalendarJson,
    id: string,
  ) {
    this.id = id;
    this.timezone = json.timezone;
    this.zone = zoneOffsets(json.timezone);
    const full = [0, DAY];
    const toMs = (pairs: WallPair[]): number[] => pairs.flatMap(([s, e]) => [parseHHMM(s) as number, parseHHMM(e) as number]);
    this.week = WEEKDAYS.map((d) => (json.week === '24x7' ? full : toMs(json.week[d])));
    this.weekOpen = this.week.map(scheduleOpen);
    this.closed = new Set((json.closed ?? []).map((d) => parseDate(d) as number));
    this.closedDays = [...this.closed].sort((a, b) => a - b);
    this.special = new Map(Object.entries(json.special ?? {}).map(([d, p]) => [parseDate(d) as number, toMs(p)]));
    this.specialDays = [...this.special.keys()].sort((a, b) => a - b);
    this.holidays = json.holidays ? { country: json.holidays.country, region: json.holidays.region } : null;
  }

  /** Why a local day has the schedule it has. */
  dayRule(day: number): 'special' | 'closed' | 'holiday' | 'week' {
    if (this.special.has(day)) return 'special';
    if (this.closed.has(day)) return 'closed';
    if (this.holidays && publicHolidays(this.holidays.country, this.holidays.region, yearOfDay(day)).has(day)) return 'holiday';
    return 'week';
  }

  /** The wall-time schedule of a local day as [startMs, endMs, ...] since midnight. */
  daySchedule(day: number): number[] {
    switch (this.dayRule(day)) {
      case 'special':
        return this.special.get(day) as number[];
      case 'closed':
      case 'holiday':
        return [];
      default:
        return this.week[weekday(day)] as number[];
    }
  }

  /** Local days in [from, to) whose schedule is not the weekly one (holiday, closed or special). */
  exceptionDays(from: number, to: number): number[] {
    const out = new Set<number>([...daysIn(this.closedDays, from, to), ...daysIn(this.specialDays, from, to)]);
    if (this.holidays) {
      for (let y = yearOfDay(from); y <= yearOfDay(to - 1); y++) {
        for (const d of publicHolidays(this.holidays.country, this.holidays.region, y)) if (d >= from && d < to) out.add(d);
      }
    }
    return [...out];
  }

  /**
   * The open intervals of a local day as instants [s0, e0, s1, e1, ...]:
   * wall times converted with the DST rules, empty intervals dropped,
   * overlapping ones (possible around a DST gap) merged.
   */
  dayIntervals(day: number): number[] {
    let iv = this.dayCache.get(day);
    if (iv) return iv;
    this.work.days++;
    const sched = this.daySchedule(day);
    const raw: [number, number][] = [];
    for (let i = 0; i < sched.length; i += 2) {
      const s = wallToInstant(this.zone, day, sched[i] as number);
      const e = wallToInstant(this.zone, day, sched[i + 1] as number);
      if (e > s) raw.push([s, e]);
    }
    raw.sort((a, b) => a[0] - b[0]);
    iv = [];
    for (const [s, e] of raw) {
      const n = iv.length;
      if (n && s <= (iv[n - 1] as number)) iv[n - 1] = Math.max(iv[n - 1] as number, e);
      else iv.push(s, e);
    }
    if (this.dayCache.size >= MAX_CACHED_DAYS) this.dayCache.clear();
    this.dayCache.set(day, iv);
    return iv;
  }

  /** True when the local day has at least one open interval. */
  isBusinessDay(day: number): boolean {
    return this.dayIntervals(day).length > 0;
  }

  /** The end of the day's last open interval (null when the day is closed). */
  closeOf(day: number): number | null {
    const iv = this.dayIntervals(day);
    return iv.length ? (iv[iv.length - 1] as number) : null;
  }

  /** The first business day strictly after `day` (null beyond the horizon or the supported range). */
  nextBusinessDay(day: number): number | null {
    return this.stepBusinessDays(day, 1);
  }

  /**
   * The n-th business day (n >= 1) after `day`; null when there is none
   * before the end of the supported range or none for HORIZON_YEARS years.
   * Whole years are skipped by their count of business days.
   */
  stepBusinessDays(day: number, n: number): number | null {
    let left = n;
    const y0 = yearOfDay(day);
    for (let d = day + 1, end = firstDayOfYear(y0 + 1); d < end; d++) if (this.isBusinessDay(d) && --left === 0) return d;
    let idle = 0;
    for (let y = y0 + 1; ; y++) {
      const d0 = firstDayOfYear(y);
      if (d0 >= END_DAY) return null;
      const sm = this.yearSummary(y);
      if (left <= sm.businessDays) {
        for (let d = d0; ; d++) if (this.isBusinessDay(d) && --left === 0) return d;
      }
      left -= sm.businessDays;
      idle = sm.businessDays > 0 ? 0 : idle + 1;
      if (idle >= HORIZON_YEARS) return null;
    }
  }

  /** Local day number of an instant in this calendar's zone. */
  localDay(t: number): number {
    return localDay(this.zone, t);
  }

  /** Milliseconds since local midnight of an instant. */
  localMsOfDay(t: number): number {
    return localMsOfDay(this.zone, t);
  }

  /** Instant of a wall time on a local day (DST rules of the spec). */
  wallToInstant(day: number, msOfDay: number): number {
    return wallToInstant(this.zone, day, msOfDay);
  }

  /** Open time and business days of local year y (cached, bounded). */
  yearSummary(y: number): YearSummary {
    let sm = this.years.get(y);
    if (sm) return sm;
    this.work.years++;
    sm = summarizeYear(this, y);
    if (this.years.size >= MAX_CACHED_YEARS) this.years.clear();
    this.years.set(y, sm);
    return sm;
  }

  /** Local midnight starting year y. */
  private boundary(y: number): number {
    return this.wallToInstant(firstDayOfYear(y), 0);
  }

  /** The local year of instant t. */
  private yearOf(t: number): number {
    return yearOfDay(this.localDay(t));
  }

  /**
   * A window covering local days [from, to) (to - from <= MAX_WINDOW_DAYS - 7):
   * a kept one, the latest one grown (doubling, as a count walks forward), or a new one.
   */
  private window(from: number, to: number): DayWindow {
    const ws = this.windows;
    const w0 = ws[0];
    if (w0 !== undefined && from >= w0.lo && to <= w0.hi) return w0;
    for (let i = 1; i < ws.length; i++) {
      const w = ws[i] as DayWindow;
      if (w.covers(from, to)) {
        if (i > 0) ws.unshift(...ws.splice(i, 1));
        return w;
      }
    }
    let lo = from - 7;
    let hi = Math.min(to + 60, lo + MAX_WINDOW_DAYS);
    if (w0) {
      const span = w0.hi - w0.lo;
      const glo = from < w0.lo ? Math.min(from - 7, w0.lo - span) : w0.lo;
      const ghi = to > w0.hi ? Math.max(to + 60, w0.hi + span) : w0.hi;
      if (ghi - glo <= MAX_WINDOW_DAYS) {
        lo = glo;
        hi = ghi;
        ws.shift();
      }
    }
    const w = DayWindow.build((d) => this.dayIntervals(d), lo, hi);
    ws.unshift(w);
    if (ws.length > MAX_WINDOWS) ws.pop();
    return w;
  }

  /** Grows the window `w` of a forward search from day d (null when the search should go per year). */
  private grow(w: DayWindow, d: number): DayWindow | null {
    if (w.hi - d >= NEAR_SPAN_DAYS) return null;
    return this.window(d - 2, Math.min(d + NEAR_SPAN_DAYS, w.hi + Math.max(60, w.hi - w.lo)));
  }

  private windowAt(t: number): DayWindow {
    const d = Math.floor(t / DAY); // local day is within one day of the UTC day
    return this.window(d - 2, d + 3);
  }

  /** True when instant t is open (inside an open interval of its local date). */
  isOpen(t: number): boolean {
    return this.windowAt(t).isOpen(t);
  }

  /**
   * The latest window when it holds [a, b) as `openMs`'s usual case does
   * (undefined otherwise): `w.F(b) - w.F(a)` is then `openMs(a, b)`, and
   * counting on it from a point of [a, b] (`w.reachFrom`) gives what
   * `addOpen` gives whenever it answers (null: ask `addOpen`).
   */
  nearWindow(a: number, b: number): DayWindow | undefined {
    const w0 = this.windows[0];
    const da = Math.floor(a / DAY);
    const db = Math.floor(b / DAY);
    return w0 !== undefined && da - 2 >= w0.lo && db + 3 <= w0.hi && db - da <= NEAR_SPAN_DAYS ? w0 : undefined;
  }

  /** Open time in milliseconds in [a, b) (0 when b <= a). */
  openMs(a: number, b: number): number {
    if (b <= a) return 0;
    // the usual case first, in a function small enough for the JIT to inline: both in the latest window
    const w0 = this.windows[0];
    const da = Math.floor(a / DAY);
    const db = Math.floor(b / DAY);
    if (w0 !== undefined && da - 2 >= w0.lo && db + 3 <= w0.hi && db - da <= NEAR_SPAN_DAYS) return w0.F(b) - w0.F(a);
    return this.openMsFar(a, b);
  }

  /** openMs when [a, b) is not within the latest window. */
  private openMsFar(a: number, b: number): number {
    const da = Math.floor(a / DAY);
    const db = Math.floor(b / DAY);
    if (db - da <= NEAR_SPAN_DAYS) {
      const w = this.window(da - 2, db + 3);
      return w.F(b) - w.F(a);
    }
    let y1 = this.yearOf(a) + 1;
    while (this.boundary(y1) <= a) y1++;
    let y2 = this.yearOf(b);
    while (this.boundary(y2) > b) y2--;
    let sum = this.openMs(a, this.boundary(y1)) + this.openMs(this.boundary(y2), b);
    for (let y = y1; y < y2; y++) sum += this.yearSummary(y).open;
    return sum;
  }

  /**
   * The earliest instant D >= s such that the open time in [s, D) is `ms`
   * (so a count that completes at the end of an interval gives that end).
   * `ms` <= 0 gives s. Null when D would be past the supported range, or
   * the calendar has no open time for HORIZON_YEARS years on the way.
   */
  addOpen(s: number, ms: number): number | null {
    if (ms <= 0) return s;
    // the usual case first, in a function small enough for the JIT to inline: found in the latest window
    const w0 = this.windows[0];
    const d = Math.floor(s / DAY);
    if (w0 !== undefined && d - 2 >= w0.lo && d + 3 <= w0.hi) {
      const r = w0.reach(s, ms);
      if (r !== null && r < END_OF_RANGE_MS) return r;
    }
    return this.addOpenFar(s, ms, d);
  }

  /** addOpen when the answer is not in the latest window (`d`: s's UTC day). */
  private addOpenFar(s: number, ms: number, d: number): number | null {
    for (let w: DayWindow | null = this.windowAt(s); w; w = this.grow(w, d)) {
      const r = w.reach(s, ms);
      if (r !== null) return inRange(r);
      if (w.hi > END_DAY) return null;
    }
    let y = this.yearOf(s) + 1;
    while (this.boundary(y) <= s) y++;
    let rem = ms - this.openMs(s, this.boundary(y));
    for (let idle = 0; ; y++) {
      const d0 = firstDayOfYear(y);
      if (d0 >= END_DAY) return null;
      const sm = this.yearSummary(y);
      if (rem <= sm.open) return inRange(this.window(d0 - 2, firstDayOfYear(y + 1) + 3).reach(sm.start, rem));
      rem -= sm.open;
      idle = sm.open > 0 ? 0 : idle + 1;
      if (idle >= HORIZON_YEARS) return null;
    }
  }

  /** The first open instant at or after t (null beyond the horizon or the supported range). */
  nextOpen(t: number): number | null {
    const d = Math.floor(t / DAY);
    for (let w: DayWindow | null = this.windowAt(t); w; w = this.grow(w, d)) {
      const r = w.nextOpen(t);
      if (r !== null) return inRange(r);
      if (w.hi > END_DAY) return null;
    }
    for (let y = this.yearOf(t) + 1, idle = 0; idle < HORIZON_YEARS; y++, idle++) {
      const d0 = firstDayOfYear(y);
      if (d0 >= END_DAY) return null;
      const sm = this.yearSummary(y);
      if (sm.open > 0) return inRange(this.window(d0 - 2, firstDayOfYear(y + 1) + 3).nextOpen(Math.max(t, sm.start)));
    }
    return null;
  }

  /** Splits [a, b) into consecutive open and closed pieces. */
  split(a: number, b: number): CalendarPiece[] {
    const out: CalendarPiece[] = [];
    for (let t = a; t < b;) {
      const d = Math.floor(t / DAY);
      const e = Math.min(b, (d + NEAR_SPAN_DAYS) * DAY);
      this.window(d - 2, Math.floor(e / DAY) + 3).split(t, e, out);
      t = e;
    }
    return out;
  }

  /** What the calendar holds now (tests check it stays bounded). */
  get cached(): { days: number; windowDays: number; years: number } {
    return { days: this.dayCache.size, windowDays: this.windows.reduce((n, w) => n + w.hi - w.lo, 0), years: this.years.size };
  }

  /** `YYYY-MM-DD HH:MM` of an instant in this calendar's zone (for traces). */
  formatLocal(t: number): string {
    return `${formatDate(this.localDay(t))} ${formatHHMM(this.localMsOfDay(t))}`;
  }
}

/** Validates and compiles a calendar; throws `SlaError('invalid_calendar')` naming the field and rule. */
export function compileCalendar(json: unknown, key?: string): CompiledCalendar {
  const issues = validateCalendar(json, key);
  if (issues.length) throw new SlaError('invalid_calendar', issues);
  const cal = json as CalendarJson;
  return new CompiledCalendar(cal, key ?? (cal.id as string));
}

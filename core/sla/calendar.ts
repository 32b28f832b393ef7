/**
 * Calendars: when an SLA clock may run. Validation (§1 of the spec), and the
 * compiled form the engine counts with: open intervals as instants, merged,
 * with cumulative open-time prefix sums so that "open time between a and b"
 * and "add N open minutes to s" are binary searches.
 */
import { isPlainObject, describe, SlaError } from './errors.js';
import type { ValidationIssue } from './errors.js';
import { isKnownCountry, knownRegions, publicHolidays } from './holidays.js';
import {
  DAY,
  WEEKDAYS,
  formatDate,
  formatHHMM,
  isValidZone,
  localDay,
  localMsOfDay,
  parseDate,
  parseHHMM,
  wallToInstant,
  weekday,
  zoneOffsets,
} from './time.js';
import type { Weekday, ZoneOffsets } from './time.js';

/** A `[start, end)` wall-time pair, `HH:MM`, end may be `24:00`. */
export type WallPair = [string, string];

/** A calendar in the contract format (§1). */
export interface CalendarJson {
  id?: string;
  name?: string;
  description?: string;
  timezone: string;
  week: Record<Weekday, WallPair[]> | '24x7';
  holidays?: { country: string; region?: string };
  closed?: string[];
  special?: Record<string, WallPair[]>;
}

const CALENDAR_KEYS = new Set(['id', 'name', 'description', 'timezone', 'week', 'holidays', 'closed', 'special']);

/** Validates a list of pairs; returns [startMs, endMs] pairs when valid. */
function validatePairs(v: unknown, path: string, issues: ValidationIssue[]): number[] | null {
  if (!Array.isArray(v)) {
    issues.push({ path, message: `must be a list of ["HH:MM","HH:MM"] pairs, got ${describe(v)}` });
    return null;
  }
  const out: number[] = [];
  let ok = true;
  let prev: { s: number; e: number; text: string } | null = null;
  v.forEach((pair, i) => {
    const p = `${path}[${i}]`;
    if (!Array.isArray(pair) || pair.length !== 2) {
      issues.push({ path: p, message: `must be a pair ["HH:MM","HH:MM"], got ${describe(pair)}` });
      ok = false;
      return;
    }
    const s = parseHHMM(pair[0]);
    const e = parseHHMM(pair[1]);
    if (s === null || s >= 24 * 3_600_000) {
      issues.push({ path: `${p}[0]`, message: `start must be a wall time "HH:MM" from 00:00 to 23:59, got ${describe(pair[0])}` });
      ok = false;
      return;
    }
    if (e === null) {
      issues.push({ path: `${p}[1]`, message: `end must be a wall time "HH:MM" from 00:01 to 24:00, got ${describe(pair[1])}` });
      ok = false;
      return;
    }
    if (s >= e) {
      issues.push({ path: p, message: `start ${pair[0]} must be before end ${pair[1]} (a pair never crosses midnight: split it over two days)` });
      ok = false;
      return;
    }
    if (prev) {
      if (s < prev.s) {
        issues.push({ path: p, message: `not sorted: starts before ${prev.text}` });
        ok = false;
      } else if (s < prev.e) {
        issues.push({ path: p, message: `overlaps ${prev.text}` });
        ok = false;
      }
    }
    prev = { s, e, text: `[${pair[0]},${pair[1]})` };
    out.push(s, e);
  });
  return ok ? out : null;
}

/**
 * Checks a calendar against §1. `key` is the id it is filed under (a map key),
 * if any. Paths are relative to the calendar (e.g. `week.tue[1]`).
 */
export function validateCalendar(json: unknown, key?: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!isPlainObject(json)) return [{ path: '', message: `a calendar must be an object, got ${describe(json)}` }];
  for (const k of Object.keys(json)) {
    if (!CALENDAR_KEYS.has(k)) issues.push({ path: k, message: `unknown field (allowed: ${[...CALENDAR_KEYS].join(', ')})` });
  }
  if (json.id !== undefined && typeof json.id !== 'string') issues.push({ path: 'id', message: 'must be a string' });
  else if (json.id === undefined && key === undefined) issues.push({ path: 'id', message: 'required when the calendar is not filed under its id' });
  else if (key !== undefined && json.id !== undefined && json.id !== key) issues.push({ path: 'id', message: `"${String(json.id)}" does not match its key "${key}"` });
  if (json.name !== undefined && typeof json.name !== 'string') issues.push({ path: 'name', message: 'must be a string' });
  if (json.description !== undefined && typeof json.description !== 'string') issues.push({ path: 'description', message: 'must be a string' });
  if (typeof json.timezone !== 'string' || !isValidZone(json.timezone)) {
    issues.push({ path: 'timezone', message: `must be an IANA time zone such as "Europe/Copenhagen", got ${describe(json.timezone)}` });
  }
  const week = json.week;
  if (week === '24x7') {
    // fine
  } else if (isPlainObject(week)) {
    for (const k of Object.keys(week)) {
      if (!(WEEKDAYS as readonly string[]).includes(k)) issues.push({ path: `week.${k}`, message: `unknown day (use ${WEEKDAYS.join(', ')})` });
    }
    for (const d of WEEKDAYS) {
      if (week[d] === undefined) issues.push({ path: `week.${d}`, message: 'missing: list every day from mon to sun ([] for a closed day)' });
      else validatePairs(week[d], `week.${d}`, issues);
    }
  } else {
    issues.push({ path: 'week', message: `must be "24x7" or an object with mon..sun lists of pairs, got ${describe(week)}` });
  }
  if (json.holidays !== undefined) {
    const h = json.holidays;
    if (!isPlainObject(h)) issues.push({ path: 'holidays', message: `must be { "country": "DK", "region"?: "..." }, got ${describe(h)}` });
    else {
      for (const k of Object.keys(h)) if (k !== 'country' && k !== 'region') issues.push({ path: `holidays.${k}`, message: 'unknown field (allowed: country, region)' });
      if (typeof h.country !== 'string' || !isKnownCountry(h.country)) {
        issues.push({ path: 'holidays.country', message: `must be a country code the holiday library knows (ISO 3166-1 alpha-2, upper case, e.g. "DK"), got ${describe(h.country)}` });
      } else if (h.region !== undefined) {
        const regions = knownRegions(h.country);
        if (typeof h.region !== 'string' || !regions.includes(h.region)) {
          issues.push({ path: 'holidays.region', message: `unknown region of ${h.country}${regions.length ? ` (known: ${regions.slice(0, 20).join(', ')}${regions.length > 20 ? ', ...' : ''})` : ' (it has none)'}, got ${describe(h.region)}` });
        }
      }
    }
  }
  if (json.closed !== undefined) {
    if (!Array.isArray(json.closed)) issues.push({ path: 'closed', message: `must be a list of "YYYY-MM-DD" dates, got ${describe(json.closed)}` });
    else
      json.closed.forEach((d, i) => {
        if (parseDate(d) === null) issues.push({ path: `closed[${i}]`, message: `must be a real date "YYYY-MM-DD", got ${describe(d)}` });
      });
  }
  if (json.special !== undefined) {
    if (!isPlainObject(json.special)) issues.push({ path: 'special', message: `must map "YYYY-MM-DD" dates to lists of pairs, got ${describe(json.special)}` });
    else
      for (const [d, pairs] of Object.entries(json.special)) {
        if (parseDate(d) === null) issues.push({ path: `special.${d}`, message: 'key must be a real date "YYYY-MM-DD"' });
        validatePairs(pairs, `special.${d}`, issues);
      }
  }
  return issues;
}

/** How far ahead (local days) the engine looks for open time before calling a deadline unreachable. */
export const HORIZON_DAYS = 366 * 10;

function lowerBound(a: number[], x: number): number {
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

function lastAtOrBefore(a: number[], x: number): number {
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

/**
 * A validated calendar ready for counting. Open intervals are computed per
 * local day on demand, cached, and flattened into sorted arrays with prefix
 * sums over a growing range of days. All instants are epoch milliseconds.
 */
export class CompiledCalendar {
  readonly id: string;
  readonly timezone: string;
  readonly zone: ZoneOffsets;
  private readonly week: number[][];
  private readonly closed: Set<number>;
  private readonly special: Map<number, number[]>;
  private readonly holidays: { country: string; region: string | undefined } | null;
  private readonly dayCache = new Map<number, number[]>();
  // flattened, merged open intervals over local days [lo, hi)
  private lo = 0;
  private hi = 0;
  private S: number[] = [];
  private E: number[] = [];
  private CE: number[] = [];

  /** Use `compileCalendar`; the json must already be valid. */
  constructor(readonly json: CalendarJson, id: string) {
    this.id = id;
    this.timezone = json.timezone;
    this.zone = zoneOffsets(json.timezone);
    const full = [0, DAY];
    const toMs = (pairs: WallPair[]): number[] => pairs.flatMap(([s, e]) => [parseHHMM(s) as number, parseHHMM(e) as number]);
    this.week = WEEKDAYS.map((d) => (json.week === '24x7' ? full : toMs(json.week[d])));
    this.closed = new Set((json.closed ?? []).map((d) => parseDate(d) as number));
    this.special = new Map(Object.entries(json.special ?? {}).map(([d, p]) => [parseDate(d) as number, toMs(p)]));
    this.holidays = json.holidays ? { country: json.holidays.country, region: json.holidays.region } : null;
  }

  /** Why a local day has the schedule it has. */
  dayRule(day: number): 'special' | 'closed' | 'holiday' | 'week' {
    if (this.special.has(day)) return 'special';
    if (this.closed.has(day)) return 'closed';
    if (this.holidays && publicHolidays(this.holidays.country, this.holidays.region, new Date(day * DAY).getUTCFullYear()).has(day)) return 'holiday';
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

  /**
   * The open intervals of a local day as instants [s0, e0, s1, e1, ...]:
   * wall times converted with the DST rules, empty intervals dropped,
   * overlapping ones (possible around a DST gap) merged.
   */
  dayIntervals(day: number): number[] {
    let iv = this.dayCache.get(day);
    if (iv) return iv;
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

  /** The first business day strictly after `day` (null beyond the horizon). */
  nextBusinessDay(day: number): number | null {
    for (let d = day + 1; d <= day + HORIZON_DAYS; d++) if (this.isBusinessDay(d)) return d;
    return null;
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

  private rebuild(lo: number, hi: number): void {
    const S: number[] = [];
    const E: number[] = [];
    for (let d = lo; d < hi; d++) {
      const iv = this.dayIntervals(d);
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
    this.lo = lo;
    this.hi = hi;
    this.S = S;
    this.E = E;
    this.CE = CE;
  }

  /** Makes sure the flattened arrays cover local days [from, to). */
  private cover(from: number, to: number): void {
    if (this.hi > this.lo && from >= this.lo && to <= this.hi) return;
    if (this.hi === this.lo) {
      this.rebuild(from - 7, to + 60);
      return;
    }
    const span = this.hi - this.lo;
    const lo = from < this.lo ? Math.min(from - 7, this.lo - span) : this.lo;
    const hi = to > this.hi ? Math.max(to + 60, this.hi + span) : this.hi;
    this.rebuild(lo, hi);
  }

  private coverInstant(t: number): void {
    const d = Math.floor(t / DAY); // local day is within one day of the UTC day
    this.cover(d - 2, d + 3);
  }

  /** Cumulative open ms up to t, relative to the current range (call coverInstant first). */
  private F(t: number): number {
    const i = lastAtOrBefore(this.S, t);
    if (i < 0) return 0;
    const s = this.S[i] as number;
    const e = this.E[i] as number;
    return (this.CE[i] as number) - (e - s) + Math.min(t, e) - s;
  }

  /** True when instant t is open (inside an open interval of its local date). */
  isOpen(t: number): boolean {
    this.coverInstant(t);
    const i = lastAtOrBefore(this.S, t);
    return i >= 0 && t < (this.E[i] as number);
  }

  /** Open time in milliseconds in [a, b) (0 when b <= a). */
  openMs(a: number, b: number): number {
    if (b <= a) return 0;
    this.coverInstant(a);
    this.coverInstant(b);
    return this.F(b) - this.F(a);
  }

  /**
   * The earliest instant D >= s such that the open time in [s, D) is `ms`
   * (so a count that completes at the end of an interval gives that end).
   * `ms` <= 0 gives s. Null when the calendar has not that much open time
   * within the horizon.
   */
  addOpen(s: number, ms: number): number | null {
    if (ms <= 0) return s;
    this.coverInstant(s);
    const limit = Math.floor(s / DAY) + HORIZON_DAYS;
    for (;;) {
      const target = this.F(s) + ms;
      const n = this.CE.length;
      if (n && target <= (this.CE[n - 1] as number)) {
        const i = lowerBound(this.CE, target);
        return (this.E[i] as number) - ((this.CE[i] as number) - target);
      }
      if (this.hi > limit) return null;
      this.cover(this.lo, this.hi + 1);
    }
  }

  /** The first open instant at or after t (null beyond the horizon). */
  nextOpen(t: number): number | null {
    this.coverInstant(t);
    const limit = Math.floor(t / DAY) + HORIZON_DAYS;
    for (;;) {
      const i = lastAtOrBefore(this.S, t);
      if (i >= 0 && t < (this.E[i] as number)) return t;
      if (i + 1 < this.S.length) return this.S[i + 1] as number;
      if (this.hi > limit) return null;
      this.cover(this.lo, this.hi + 1);
    }
  }

  /** Splits [a, b) into consecutive open and closed pieces. */
  split(a: number, b: number): CalendarPiece[] {
    const out: CalendarPiece[] = [];
    if (b <= a) return out;
    this.coverInstant(a);
    this.coverInstant(b);
    let i = lastAtOrBefore(this.S, a);
    let t = a;
    if (i < 0) i = 0;
    while (t < b) {
      const s = this.S[i];
      const e = this.E[i];
      if (s === undefined || e === undefined || s >= b) {
        out.push({ from: t, to: b, open: false });
        break;
      }
      if (e <= t) {
        i++;
        continue;
      }
      if (s > t) {
        out.push({ from: t, to: s, open: false });
        t = s;
      }
      const end = Math.min(e, b);
      out.push({ from: t, to: end, open: true });
      t = end;
      i++;
    }
    return out;
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

/** JSON with sorted keys, for content-addressed caching. */
export function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (isPlainObject(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/**
 * Compiled calendars keyed by id + content, so that evaluating many tickets
 * reuses each calendar's per-day intervals and prefix sums. Bounded (LRU).
 */
export class CalendarCache {
  private readonly map = new Map<string, CompiledCalendar>();
  constructor(private readonly max = 256) {}

  /** The compiled calendar for `json` filed under `key` (compiled once per content). Throws like compileCalendar. */
  get(json: unknown, key?: string): CompiledCalendar {
    const k = `${key ?? ''}\u0000${stableStringify(json)}`;
    const hit = this.map.get(k);
    if (hit) {
      this.map.delete(k);
      this.map.set(k, hit);
      return hit;
    }
    const c = compileCalendar(json, key);
    this.map.set(k, c);
    if (this.map.size > this.max) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) this.map.delete(oldest);
    }
    return c;
  }

  get size(): number {
    return this.map.size;
  }
}

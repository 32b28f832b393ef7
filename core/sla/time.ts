/**
 * Time-zone arithmetic for the SLA engine: UTC offsets (from Intl, cached per zone and
 * year), local date/time of an instant, and wall time -> instant with the
 * spec's DST rules (gap: moved forward by the gap; overlap: FIRST occurrence).
 *
 * Local dates are "day numbers": days since 1970-01-01 of the local calendar
 * date. Wall times inside a day are milliseconds since local midnight.
 */
import { IANAZone } from 'luxon';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

interface YearOffsets {
  /** Offset (minutes) in force at the start of the sampled range. */
  first: number;
  /** Instants at which the offset changes, ascending. */
  at: number[];
  /** Offset (minutes) from at[i] on. */
  off: number[];
}

/**
 * Years of offsets a zone keeps; more than the supported range (core/time-range.ts),
 * so the cache never thrashes in use, yet stays bounded whatever it is asked.
 */
const MAX_CACHED_YEARS = 1_100;
/**
 * Offsets are sampled every week and transitions found by bisection: every
 * zone's transitions since 2000 are weeks apart (Ramadan suspensions: about
 * a month), and a year costs ~110 Intl look-ups instead of ~1,500.
 */
const SAMPLE_STEP = 7 * DAY;

/** An offset as ICU writes it with `timeZoneName: 'longOffset'` in en-US (`…, GMT+02:00`; `GMT` alone at 0). */
const LONG_OFFSET_RE = /GMT(?:([+-])(\d{2}):(\d{2}))?$/;

/** Offsets of one IANA zone, computed with Intl once per UTC year and cached. */
export class ZoneOffsets {
  /** The zone's offset as text, from ICU (one call ~1 µs, a twentieth of luxon's `formatToParts` and date arithmetic on first use). */
  private readonly dtf: Intl.DateTimeFormat;
  /** luxon's zone, for an offset ICU writes with seconds (local mean time, before ~1900): made when first needed. */
  private zone: IANAZone | null = null;
  private readonly years = new Map<number, YearOffsets>();
  private lastYO: YearOffsets | null = null;
  private lastFrom = 0;
  private lastTo = 0;
  /** The stretch [sFrom, sTo) of the last answer, with its offset sOff. */
  private sFrom = 0;
  private sTo = 0;
  private sOff = 0;

  constructor(readonly name: string) {
    this.dtf = new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'longOffset' });
  }

  /** The offset in minutes at instant t (equal to luxon's `IANAZone.offset`: test/core/sla/caches.test.ts). */
  private raw(t: number): number {
    const m = LONG_OFFSET_RE.exec(this.dtf.format(t));
    if (m === null) return (this.zone ??= IANAZone.create(this.name)).offset(t);
    if (m[1] === undefined) return 0;
    const o = Number(m[2]) * 60 + Number(m[3]);
    return m[1] === '-' ? -o : o;
  }

  private year(y: number): YearOffsets {
    let yo = this.years.get(y);
    if (yo) return yo;
    const from = Date.UTC(y, 0, 1);
    const to = Date.UTC(y + 1, 0, 1);
    const step = SAMPLE_STEP;
    const first = this.raw(from);
    const at: number[] = [];
    const off: number[] = [];
    let prevT = from;
    let prevO = first;
    for (let t = from + step; ; t += step) {
      const tt = Math.min(t, to);
      const o = this.raw(tt);
      if (o !== prevO) {
        const hi = this.change(prevT, tt, prevO);
        if (hi < to) {
          at.push(hi);
          off.push(o);
        }
        prevO = o;
      }
      prevT = tt;
      if (tt >= to) break;
    }
    yo = { first, at, off };
    if (this.years.size >= MAX_CACHED_YEARS) this.years.clear();
    this.years.set(y, yo);
    return yo;
  }

  /** The instants in [from, to) at which the offset changes, ascending. */
  transitions(from: number, to: number): number[] {
    const out: number[] = [];
    for (let y = new Date(from).getUTCFullYear(); Date.UTC(y, 0, 1) < to; y++) {
      const start = Date.UTC(y, 0, 1);
      const yo = this.year(y);
      // a change exactly at the start of a UTC year is that year's `first`, not in `at`
      if (start >= from && yo.first !== this.offset(start - 1)) out.push(start);
      for (const t of yo.at) if (t >= from && t < to) out.push(t);
    }
    return out;
  }

  /** Years cached (for tests: the cache is bounded). */
  get cachedYears(): number {
    return this.years.size;
  }

  /**
   * The first instant in (lo, hi] with an offset other than `before` (there is
   * one: `raw(hi)` differs). Bisected to the minute first (every change since
   * 2000 is on a whole minute, so this is the one Intl look-up in two that is
   * saved), then to the millisecond when the change is not on that minute.
   */
  private change(lo: number, hi: number, before: number): number {
    let l = Math.floor(lo / MINUTE);
    let h = Math.ceil(hi / MINUTE);
    // minutes: raw(l * MINUTE) is `before` or l * MINUTE <= lo; raw(h * MINUTE) differs or h * MINUTE >= hi
    while (h - l > 1) {
      const mid = Math.floor((l + h) / 2);
      if (this.raw(mid * MINUTE) === before) l = mid;
      else h = mid;
    }
    let b = Math.max(lo, Math.min(hi, h * MINUTE));
    if (b - 1 <= lo || this.raw(b - 1) === before) return b;
    // not on the minute: bisect the last minute by the millisecond
    let a = Math.max(lo, l * MINUTE);
    while (b - a > 1) {
      const mid = Math.floor((a + b) / 2);
      if (this.raw(mid) === before) a = mid;
      else b = mid;
    }
    return b;
  }

  /**
   * UTC offset in minutes at instant t. The stretch of constant offset around
   * the last answer is kept, so nearby look-ups (the usual case) compare two
   * numbers; others find their UTC year's offsets (cached per year).
   */
  offset(t: number): number {
    if (t >= this.sFrom && t < this.sTo) return this.sOff;
    let yo = this.lastYO;
    if (yo === null || t < this.lastFrom || t >= this.lastTo) {
      const y = utcYear(t);
      yo = this.year(y);
      this.lastYO = yo;
      this.lastFrom = Date.UTC(y, 0, 1);
      this.lastTo = Date.UTC(y + 1, 0, 1);
    }
    const at = yo.at;
    let o = yo.first;
    let from = this.lastFrom;
    let to = this.lastTo;
    for (let i = 0; i < at.length; i++) {
      const x = at[i] as number;
      if (x <= t) {
        o = yo.off[i] as number;
        from = x;
      } else {
        to = x;
        break;
      }
    }
    this.sFrom = from;
    this.sTo = to;
    this.sOff = o;
    return o;
  }
}

/** The UTC year of instant t (arithmetic: no Date object). */
export function utcYear(t: number): number {
  // days since 1970-01-01 to a civil year (Howard Hinnant's days_from_civil, inverted)
  const z = Math.floor(t / DAY) + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  return yoe + era * 400 + (mp >= 10 ? 1 : 0);
}

const zoneCache = new Map<string, ZoneOffsets>();

/** Zone names found valid (bounded: a process meets a few). */
const validZones = new Set<string>();

/** True when `name` is an IANA zone luxon/Intl know. */
export function isValidZone(name: string): boolean {
  if (typeof name !== 'string' || name.length === 0) return false;
  if (validZones.has(name)) return true;
  // each answer costs an Intl formatter; a contract is validated more than once (checked, then compiled)
  const ok = IANAZone.isValidZone(name);
  if (ok && validZones.size < 1_024) validZones.add(name);
  return ok;
}

/** The shared offset cache of a zone (assumes the zone is valid). */
export function zoneOffsets(name: string): ZoneOffsets {
  let z = zoneCache.get(name);
  if (!z) {
    z = new ZoneOffsets(name);
    zoneCache.set(name, z);
  }
  return z;
}

/** Local day number (days since 1970-01-01) of instant t in zone z. */
export function localDay(z: ZoneOffsets, t: number): number {
  return Math.floor((t + z.offset(t) * MINUTE) / DAY);
}

/** Milliseconds since local midnight of instant t in zone z. */
export function localMsOfDay(z: ZoneOffsets, t: number): number {
  const l = t + z.offset(t) * MINUTE;
  return l - Math.floor(l / DAY) * DAY;
}

/**
 * The instant of local wall time `ms` (since midnight; may be 24:00 = next
 * midnight) on local day `day`. A wall time in a spring-forward gap is moved
 * forward by the gap; a wall time that occurs twice means its first occurrence.
 */
export function wallToInstant(z: ZoneOffsets, day: number, ms: number): number {
  const w = day * DAY + ms;
  const oa = z.offset(w - 26 * HOUR) * MINUTE;
  const ob = z.offset(w + 26 * HOUR) * MINUTE;
  const ta = w - oa;
  const tb = w - ob;
  const va = z.offset(ta) * MINUTE === oa;
  const vb = z.offset(tb) * MINUTE === ob;
  if (va && vb) return Math.min(ta, tb);
  if (va) return ta;
  if (vb) return tb;
  // In the gap: keep the offset from before the transition, i.e. move forward by the gap.
  return ta;
}

/** Day of week of a day number: 0 = Monday .. 6 = Sunday. */
export function weekday(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of a `YYYY-MM-DD` date, or null when it is not a real date. */
export function parseDate(s: unknown): number | null {
  if (typeof s !== 'string') return null;
  const m = DATE_RE.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return Math.floor(t / DAY);
}

/** `YYYY-MM-DD` of a day number. */
export function formatDate(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

const HHMM_RE = /^(\d{2}):(\d{2})$/;

/** Milliseconds since midnight of an `HH:MM` wall time (00:00..24:00), or null. */
export function parseHHMM(s: unknown): number | null {
  if (typeof s !== 'string') return null;
  const m = HHMM_RE.exec(s);
  if (!m) return null;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  if (mi > 59) return null;
  if (h > 24 || (h === 24 && mi !== 0)) return null;
  return h * HOUR + mi * MINUTE;
}

/** `HH:MM` of milliseconds since midnight. */
export function formatHHMM(ms: number): string {
  const h = Math.floor(ms / HOUR);
  const m = Math.floor((ms - h * HOUR) / MINUTE);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}:?\d{2})$/;

/**
 * Epoch ms of an ISO-8601 date-time that carries an offset (`Z` or `+HH:MM`).
 * Returns null for anything else (including times without an offset).
 */
export function parseInstant(s: unknown): number | null {
  if (typeof s !== 'string') return null;
  const m = ISO_RE.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const sec = m[6] === undefined ? 0 : Number(m[6]);
  const frac = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || sec > 59) return null;
  const day = parseDate(`${m[1]}-${m[2]}-${m[3]}`);
  if (day === null) return null;
  let off = 0;
  const tz = m[8] as string;
  if (tz !== 'Z' && tz !== 'z') {
    const sign = tz[0] === '-' ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2, 4));
    if (oh > 23 || om > 59) return null;
    off = sign * (oh * 60 + om);
  }
  return Date.UTC(y, mo - 1, d, h, mi, sec, frac) - off * MINUTE;
}

/** The spec's output form: UTC ISO-8601 with milliseconds and `Z`. */
export function formatInstant(t: number): string {
  return new Date(t).toISOString();
}

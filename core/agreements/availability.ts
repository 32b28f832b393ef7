/**
 * Services and availability (issue 20 item 2, docs/availability.md).
 *
 * A contract may name services, each with an availability target per
 * calendar month, counted over 24/7 or over one of the contract's calendars:
 *
 *   "services": [{ "id": "connexys-app", "name": "Connexys application",
 *                  "target": 99.5, "timezone": "Europe/Amsterdam" }]
 *
 * An outage has a start and (once it is over) an end. A month's availability
 * is (measured time - time down) / measured time, where the measured time is
 * the whole month in the service's time zone (DST months have 743 or 745
 * hours) or the open time of its calendar, and time down is the union of the
 * outages clipped to the month (and to the calendar): overlapping outages,
 * from two monitors say, count once; an outage across a month boundary counts
 * in each month for its part; an open outage counts up to `now`.
 * Pure: no clock, `now` is passed in.
 */
import { DateTime, IANAZone } from 'luxon';
import type { CompiledCalendar } from '../sla/calendar.js';
import { describe, idProblem, isPlainObject } from '../sla/errors.js';
import type { ValidationIssue } from '../sla/errors.js';
import { INSTANT_RANGE_TEXT, instantInRange, OUT_OF_RANGE } from '../time-range.js';

export interface ServiceTarget {
  id: string;
  name: string;
  /** Availability target in percent per calendar month (e.g. 99.5). */
  target: number;
  /** A calendar of the contract to count over; none: 24/7. */
  calendar?: string;
  /** IANA zone of the month's boundaries for 24/7 (the calendar's own with a calendar); default UTC. */
  timezone?: string;
}

export interface Outage {
  id: string;
  start: number;
  /** null: still going on. */
  end: number | null;
}

const SERVICE_KEYS = new Set(['id', 'name', 'target', 'calendar', 'timezone', 'description']);

/**
 * Every problem of a contract's `services` section, with its path
 * (`services[0].target`); `calendarIds` are the contract's calendars. [] when absent.
 */
export function servicesIssues(json: unknown, calendarIds: ReadonlySet<string>): ValidationIssue[] {
  if (json === undefined || json === null) return [];
  if (!Array.isArray(json)) return [{ path: 'services', message: `must be a list of services ({id, name, target}), got ${describe(json)}` }];
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  json.forEach((s: unknown, i) => {
    const p = `services[${i}]`;
    if (!isPlainObject(s)) {
      issues.push({ path: p, message: `must be an object {id, name, target}, got ${describe(s)}` });
      return;
    }
    for (const k of Object.keys(s)) if (!SERVICE_KEYS.has(k)) issues.push({ path: `${p}.${k}`, message: `unknown field (allowed: ${[...SERVICE_KEYS].join(', ')})` });
    if (typeof s.id !== 'string' || !/^[A-Za-z0-9._:-]{1,100}$/.test(s.id)) issues.push({ path: `${p}.id`, message: `must be 1-100 letters, digits or . _ : -, got ${describe(s.id)}` });
    else if (idProblem(s.id)) issues.push({ path: `${p}.id`, message: idProblem(s.id) as string });
    else if (seen.has(s.id)) issues.push({ path: `${p}.id`, message: `"${s.id}" is named twice` });
    else seen.add(s.id);
    if (typeof s.name !== 'string' || !s.name.trim() || s.name.length > 200) issues.push({ path: `${p}.name`, message: `must be a name of 1-200 characters, got ${describe(s.name)}` });
    if (typeof s.target !== 'number' || !Number.isFinite(s.target) || s.target <= 0 || s.target > 100)
      issues.push({ path: `${p}.target`, message: `must be a percentage above 0 and at most 100 (e.g. 99.5), got ${describe(s.target)}` });
    if (s.calendar !== undefined && (typeof s.calendar !== 'string' || !calendarIds.has(s.calendar)))
      issues.push({ path: `${p}.calendar`, message: `names no calendar of the contract (${describe(s.calendar)}; calendars: ${[...calendarIds].join(', ') || 'none'})` });
    if (s.timezone !== undefined && (typeof s.timezone !== 'string' || !IANAZone.isValidZone(s.timezone)))
      issues.push({ path: `${p}.timezone`, message: `must be an IANA time zone such as Europe/Amsterdam, got ${describe(s.timezone)}` });
    if (s.timezone !== undefined && s.calendar !== undefined) issues.push({ path: `${p}.timezone`, message: 'give either a calendar (its time zone is used) or a timezone, not both' });
    if (s.description !== undefined && typeof s.description !== 'string') issues.push({ path: `${p}.description`, message: 'must be a string' });
  });
  return issues;
}

/** Every problem of an outage's times, with its path; [] when it may be stored. */
export function outageIssues(o: { start: unknown; end?: unknown }): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const k of ['start', 'end'] as const) {
    const v = o[k];
    if (k === 'end' && (v === null || v === undefined)) continue;
    if (typeof v !== 'number' || !instantInRange(v)) issues.push({ path: k, message: `${OUT_OF_RANGE}, got ${describe(v)}` });
  }
  if (typeof o.start === 'number' && typeof o.end === 'number' && o.end < o.start) issues.push({ path: 'end', message: 'is before start' });
  return issues;
}

/** `YYYY-MM` of a month. */
export type MonthKey = string;

/** The month's bounds [from, to) in `zone`; null when `month` is not YYYY-MM in range. */
export function monthBounds(month: MonthKey, zone: string): { from: number; to: number } | null {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return null;
  const start = DateTime.fromObject({ year: Number(m[1]), month: Number(m[2]), day: 1 }, { zone });
  if (!start.isValid) return null;
  const from = start.toMillis();
  const to = start.plus({ months: 1 }).toMillis();
  return instantInRange(from) && instantInRange(to) ? { from, to } : null;
}

/** The `YYYY-MM` that contains instant `t` in `zone`. */
export function monthOf(t: number, zone: string): MonthKey {
  return DateTime.fromMillis(t, { zone }).toFormat('yyyy-MM');
}

/** Merges [start, end) intervals into sorted disjoint ones. */
export function mergeIntervals(iv: readonly (readonly [number, number])[]): [number, number][] {
  const sorted = iv
    .filter(([a, b]) => b > a)
    .map(([a, b]) => [a, b] as [number, number])
    .sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

export interface OutageInMonth {
  id: string;
  start: number;
  end: number | null;
  /** Minutes of this outage counted in the month (clipped to the month and the calendar; overlaps with others not removed). */
  minutes: number;
}

export interface MonthAvailability {
  serviceId: string;
  month: MonthKey;
  from: number;
  to: number;
  target: number;
  /** Minutes measured: the month (24/7) or the calendar's open time in it. */
  periodMinutes: number;
  /** Minutes down allowed by the target. */
  allowedMinutes: number;
  downMinutes: number;
  /** 100 when nothing was measured (a calendar closed all month). */
  availability: number;
  /** False while the month is not over at `now` (the figures are so far). */
  complete: boolean;
  /** breached: more down than allowed (final even mid-month); met: not breached. */
  state: 'met' | 'breached';
  outages: OutageInMonth[];
}

const MIN = 60_000;
const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * Availability of one service in one month at `now`. `calendar` is the
 * compiled calendar the service names (undefined: 24/7 in `service.timezone`).
 * Throws on a month that is not YYYY-MM (the callers check their input).
 */
export function monthAvailability(service: ServiceTarget, outages: readonly Outage[], month: MonthKey, now: number, calendar?: CompiledCalendar): MonthAvailability {
  const zone = calendar?.timezone ?? service.timezone ?? 'UTC';
  const b = monthBounds(month, zone);
  if (!b) throw new RangeError(`month must be YYYY-MM ${INSTANT_RANGE_TEXT}, got ${JSON.stringify(month)}`);
  const measure = (a: number, z: number): number => (z <= a ? 0 : calendar ? calendar.openMs(a, z) : z - a);
  const clip = (o: Outage): [number, number] => [Math.max(o.start, b.from), Math.min(o.end ?? Math.max(now, o.start), b.to)];
  const inMonth = outages.filter((o) => {
    const [a, z] = clip(o);
    return z > a;
  });
  const periodMs = measure(b.from, b.to);
  const downMs = mergeIntervals(inMonth.map(clip)).reduce((s, [a, z]) => s + measure(a, z), 0);
  const availability = periodMs === 0 ? 100 : ((periodMs - downMs) / periodMs) * 100;
  const allowedMs = (periodMs * (100 - service.target)) / 100;
  return {
    serviceId: service.id,
    month,
    from: b.from,
    to: b.to,
    target: service.target,
    periodMinutes: round2(periodMs / MIN),
    allowedMinutes: round2(allowedMs / MIN),
    downMinutes: round2(downMs / MIN),
    availability: Math.round(availability * 1000) / 1000,
    complete: now >= b.to,
    // Compared in milliseconds, not on the rounded figures.
    state: downMs > allowedMs ? 'breached' : 'met',
    outages: inMonth
      .sort((x, y) => x.start - y.start)
      .map((o) => {
        const [a, z] = clip(o);
        return { id: o.id, start: o.start, end: o.end, minutes: round2(measure(a, z) / MIN) };
      }),
  };
}

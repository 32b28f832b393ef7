/**
 * Calendars in the contract format (§1 of the spec) and their validation:
 * every rule broken is named with its field, never silently repaired.
 */
import { isPlainObject, describe, namingIssues } from './errors.js';
import type { ValidationIssue } from './errors.js';
import { isKnownCountry, knownRegions } from './holidays.js';
import { WEEKDAYS, isValidZone, parseDate, parseHHMM } from './time.js';
import type { Weekday } from './time.js';

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
  issues.push(...namingIssues(json, key, 'calendar'));
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

/**
 * Calendars in the contract format (§1 of the spec) and their validation:
 * every rule broken is named with its field, never silently repaired.
 */
import { isPlainObject, describe, issue, namingIssues } from './errors.js';
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
    issues.push(issue(path, 'pairList', { got: describe(v) }));
    return null;
  }
  const out: number[] = [];
  let ok = true;
  let prev: { s: number; e: number; text: string } | null = null;
  v.forEach((pair, i) => {
    const p = `${path}[${i}]`;
    if (!Array.isArray(pair) || pair.length !== 2) {
      issues.push(issue(p, 'pair', { got: describe(pair) }));
      ok = false;
      return;
    }
    const s = parseHHMM(pair[0]);
    const e = parseHHMM(pair[1]);
    if (s === null || s >= 24 * 3_600_000) {
      issues.push(issue(`${p}[0]`, 'pairStart', { got: describe(pair[0]) }));
      ok = false;
      return;
    }
    if (e === null) {
      issues.push(issue(`${p}[1]`, 'pairEnd', { got: describe(pair[1]) }));
      ok = false;
      return;
    }
    if (s >= e) {
      issues.push(issue(p, 'pairOrder', { start: pair[0], end: pair[1] }));
      ok = false;
      return;
    }
    if (prev) {
      if (s < prev.s) {
        issues.push(issue(p, 'notSorted', { other: prev.text }));
        ok = false;
      } else if (s < prev.e) {
        issues.push(issue(p, 'overlaps', { other: prev.text }));
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
  if (!isPlainObject(json)) return [issue('', 'calendarNotObject', { got: describe(json) })];
  for (const k of Object.keys(json)) {
    if (!CALENDAR_KEYS.has(k)) issues.push(issue(k, 'unknownField', { allowed: [...CALENDAR_KEYS].join(', ') }));
  }
  issues.push(...namingIssues(json, key, 'calendar'));
  if (typeof json.timezone !== 'string' || !isValidZone(json.timezone)) {
    issues.push(issue('timezone', 'timezone', { got: describe(json.timezone) }));
  }
  const week = json.week;
  if (week === '24x7') {
    // fine
  } else if (isPlainObject(week)) {
    for (const k of Object.keys(week)) {
      if (!(WEEKDAYS as readonly string[]).includes(k)) issues.push(issue(`week.${k}`, 'unknownDay', { days: WEEKDAYS.join(', ') }));
    }
    for (const d of WEEKDAYS) {
      if (week[d] === undefined) issues.push(issue(`week.${d}`, 'dayMissing'));
      else validatePairs(week[d], `week.${d}`, issues);
    }
  } else {
    issues.push(issue('week', 'week', { got: describe(week) }));
  }
  if (json.holidays !== undefined) {
    const h = json.holidays;
    if (!isPlainObject(h)) issues.push(issue('holidays', 'holidaysNotObject', { got: describe(h) }));
    else {
      for (const k of Object.keys(h)) if (k !== 'country' && k !== 'region') issues.push(issue(`holidays.${k}`, 'unknownField', { allowed: 'country, region' }));
      if (typeof h.country !== 'string' || !isKnownCountry(h.country)) {
        issues.push(issue('holidays.country', 'country', { got: describe(h.country) }));
      } else if (h.region !== undefined) {
        const regions = knownRegions(h.country);
        if (typeof h.region !== 'string' || !regions.includes(h.region)) {
          issues.push(
            regions.length
              ? issue('holidays.region', 'region', { country: h.country, known: `${regions.slice(0, 20).join(', ')}${regions.length > 20 ? ', ...' : ''}`, got: describe(h.region) })
              : issue('holidays.region', 'regionNone', { country: h.country, got: describe(h.region) }),
          );
        }
      }
    }
  }
  if (json.closed !== undefined) {
    if (!Array.isArray(json.closed)) issues.push(issue('closed', 'closedList', { got: describe(json.closed) }));
    else
      json.closed.forEach((d, i) => {
        if (parseDate(d) === null) issues.push(issue(`closed[${i}]`, 'realDate', { got: describe(d) }));
      });
  }
  if (json.special !== undefined) {
    if (!isPlainObject(json.special)) issues.push(issue('special', 'specialNotMap', { got: describe(json.special) }));
    else
      for (const [d, pairs] of Object.entries(json.special)) {
        if (parseDate(d) === null) issues.push(issue(`special.${d}`, 'specialKeyDate'));
        validatePairs(pairs, `special.${d}`, issues);
      }
  }
  return issues;
}

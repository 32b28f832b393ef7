/**
 * Night shifts in the calendar editor (issue 5 §5). The officer may enter an
 * interval that crosses midnight on the day it starts (22:00–06:00 on
 * Monday); the contract format (specs/sla-clock.md §1) never has a pair that
 * crosses midnight, so it is stored split over the two days: Monday
 * 22:00–24:00 and Tuesday 00:00–06:00 (Sunday's spill goes to Monday).
 */
import { WEEKDAYS, parseHHMM } from '../sla/time.js';
import type { Weekday } from '../sla/time.js';

export type Pair = [string, string];
export type Week = Record<Weekday, Pair[]>;

/** True when [start, end] is a well-formed HH:MM pair that ends on the next day (end <= start, end not 24:00). */
export function crossesMidnight(pair: readonly unknown[]): boolean {
  const s = parseHHMM(pair[0]);
  const e = parseHHMM(pair[1]);
  return s !== null && e !== null && s < 24 * 3_600_000 && e < 24 * 3_600_000 && e <= s;
}

/**
 * Splits every pair that crosses midnight over its day and the next; the
 * other pairs are kept as they are. Each day's pairs come back sorted by
 * start. Returns the same object when nothing crosses midnight. Pairs that are
 * not well-formed are left alone for the validator to report.
 */
export function splitNightShifts<W extends Partial<Record<string, unknown>>>(week: W): W {
  if (!WEEKDAYS.some((d) => Array.isArray(week[d]) && (week[d] as unknown[]).some((p) => Array.isArray(p) && p.length === 2 && crossesMidnight(p)))) return week;
  const out: Record<string, unknown[]> = {};
  for (const d of WEEKDAYS) out[d] = Array.isArray(week[d]) ? [] : (week[d] as unknown[]);
  WEEKDAYS.forEach((d, i) => {
    const pairs = week[d];
    if (!Array.isArray(pairs)) return;
    const next = WEEKDAYS[(i + 1) % 7] as Weekday;
    for (const p of pairs as unknown[]) {
      if (Array.isArray(p) && p.length === 2 && crossesMidnight(p)) {
        const [s, e] = p as Pair;
        out[d]!.push([s, '24:00']);
        if (e !== '00:00' && Array.isArray(out[next])) out[next].push(['00:00', e]);
      } else out[d]!.push(p);
    }
  });
  const start = (p: unknown) => (Array.isArray(p) ? (parseHHMM(p[0]) ?? -1) : -1);
  for (const d of WEEKDAYS) if (Array.isArray(out[d])) out[d].sort((a, b) => start(a) - start(b));
  return { ...week, ...out };
}

/** The calendars of a policy set with every weekly schedule's night shifts split (see splitNightShifts). */
export function splitCalendarNightShifts<C extends Record<string, unknown>>(calendars: C): C {
  const out: Record<string, unknown> = {};
  for (const [id, cal] of Object.entries(calendars)) {
    if (cal && typeof cal === 'object' && !Array.isArray(cal) && (cal as { week?: unknown }).week && typeof (cal as { week?: unknown }).week === 'object') {
      const c = cal as { week: Record<string, unknown> };
      out[id] = { ...c, week: splitNightShifts(c.week) };
    } else out[id] = cal;
  }
  return out as C;
}

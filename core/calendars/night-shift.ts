/**
 * Night shifts in the calendar editor (issue 5 §5). The officer may enter an
 * interval that crosses midnight on the day it starts (22:00–06:00 on
 * Monday); the contract format (specs/sla-clock.md §1) never has a pair that
 * crosses midnight, so it is stored split over the two days: Monday
 * 22:00–24:00 and Tuesday 00:00–06:00 (Sunday's spill goes to Monday).
 */
import { compileCalendar, validateCalendar } from '../sla/calendar.js';
import { DAY, WEEKDAYS, formatDate, formatHHMM, parseDate, parseHHMM } from '../sla/time.js';
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

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isPair = (p: unknown): p is Pair => Array.isArray(p) && p.length === 2;
const startOf = (p: unknown) => (Array.isArray(p) ? (parseHHMM(p[0]) ?? -1) : -1);

/** Union of well-formed pairs (overlapping or touching ones merged), sorted. */
function unionPairs(pairs: Pair[]): Pair[] {
  const iv = pairs.map(([a, b]) => [parseHHMM(a) as number, parseHHMM(b) as number] as [number, number]).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of iv) {
    const last = out.at(-1);
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out.map(([a, b]) => [formatHHMM(a), formatHHMM(b)]);
}

/**
 * Splits the night shifts of a calendar's special days (date-specific
 * openings, specs/sla-clock.md §1): a pair on a date that crosses midnight
 * (2026-12-23 22:00–06:00) keeps its part on the date (22:00–24:00) and puts
 * the rest on the next date (00:00–06:00 on 2026-12-24).
 *
 * A special day replaces the whole schedule of its date, so where the next
 * date has no special day of its own, it gets one made of what that date
 * would have had otherwise (its weekly hours; nothing on a closed date or a
 * public holiday) joined with the spill. Where it has one, the spill is
 * added to it and sorted (an overlap is then reported by the validator at
 * the officer's own entry). When the rest of the calendar is not valid, or
 * nothing crosses midnight, the calendar comes back as it is (same object):
 * the validator reports the problems, and the split happens at the next
 * check once they are fixed.
 */
export function splitSpecialNightShifts<C>(cal: C): C {
  if (!isObject(cal) || !isObject(cal.special)) return cal;
  const special = cal.special;
  const crossing = Object.keys(special)
    .filter((d) => parseDate(d) !== null && Array.isArray(special[d]) && (special[d] as unknown[]).some((p) => isPair(p) && crossesMidnight(p)))
    .sort();
  if (!crossing.length) return cal;
  // The calendar with the crossing pairs cut at midnight, without the spills: what each next date would have had.
  const cut: Record<string, unknown> = Object.fromEntries(
    Object.entries(special).map(([d, pairs]) => [
      d,
      crossing.includes(d) ? (pairs as unknown[]).map((p) => (isPair(p) && crossesMidnight(p) ? [p[0], '24:00'] : p)).sort((a, b) => startOf(a) - startOf(b)) : pairs,
    ]),
  );
  const base = { ...cal, special: cut };
  const key = typeof cal.id === 'string' ? cal.id : 'calendar';
  if (validateCalendar(base, key).length) return cal;
  const compiled = compileCalendar(base, key);
  const out: Record<string, unknown[]> = Object.fromEntries(Object.entries(cut).map(([d, p]) => [d, [...(p as unknown[])]]));
  const derived = new Set<string>();
  for (const d of crossing) {
    const next = formatDate((parseDate(d) as number) + 1);
    const spill = (special[d] as unknown[]).filter((p): p is Pair => isPair(p) && crossesMidnight(p) && p[1] !== '00:00').map((p) => ['00:00', p[1]] as Pair);
    if (!spill.length) continue;
    if (next in special) {
      out[next] = [...(out[next] ?? []), ...spill].sort((a, b) => startOf(a) - startOf(b));
    } else if (derived.has(next)) {
      out[next] = unionPairs([...(out[next] as Pair[]), ...spill]);
    } else {
      const day = parseDate(next) as number;
      const sched = compiled.daySchedule(day);
      const own: Pair[] = [];
      for (let i = 0; i < sched.length; i += 2) own.push([formatHHMM(sched[i] as number), formatHHMM(Math.min(sched[i + 1] as number, DAY))]);
      out[next] = unionPairs([...own, ...spill]);
      derived.add(next);
    }
  }
  const sorted = Object.fromEntries(
    Object.keys(out)
      .sort()
      .map((d) => [d, out[d]]),
  );
  return { ...cal, special: sorted } as C;
}

/** One calendar with its night shifts split: the weekly schedule's first, then the special days' (see above). */
export function splitCalendarJsonNightShifts<C>(cal: C): C {
  if (!isObject(cal)) return cal;
  const withWeek = isObject(cal.week) ? { ...cal, week: splitNightShifts(cal.week) } : cal;
  return splitSpecialNightShifts(withWeek) as C;
}

/** The calendars of a policy set with every night shift split: weekly schedules and special days. */
export function splitCalendarNightShifts<C extends Record<string, unknown>>(calendars: C): C {
  // fromEntries defines own properties: an id such as "__proto__" stays a key (and is then refused by checkContract)
  return Object.fromEntries(Object.entries(calendars).map(([id, cal]) => [id, splitCalendarJsonNightShifts(cal)])) as C;
}

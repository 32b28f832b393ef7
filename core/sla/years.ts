/**
 * Year summaries of a compiled calendar: the open time and the number of
 * business days of each local year, computed arithmetically (weekdays counted,
 * then corrected for the year's holidays, closed and special days and the days
 * around its UTC-offset changes) rather than day by day. They let the engine
 * skip whole years when it counts or searches over a long span, so its cost is
 * bounded by the number of years, not days, whatever the input.
 */
import type { ZoneOffsets } from './time.js';
import { DAY, weekday } from './time.js';
import { DayWindow } from './window.js';

/** What a summary needs of a calendar. */
export interface YearSource {
  readonly zone: ZoneOffsets;
  /** Open ms of each weekday's schedule (0 = Monday). */
  readonly weekOpen: readonly number[];
  /** Local days in [from, to) whose schedule is not the weekly one (holiday, closed, special). */
  exceptionDays(from: number, to: number): number[];
  daySchedule(day: number): number[];
  dayIntervals(day: number): number[];
  wallToInstant(day: number, msOfDay: number): number;
}

export interface YearSummary {
  /** Local midnight starting the year (an instant). */
  start: number;
  /** Local midnight starting the next year. */
  end: number;
  /** Open ms in [start, end). */
  open: number;
  /** Local dates of the year with open time. */
  businessDays: number;
}

/** Day number of local date y-01-01. */
export function firstDayOfYear(y: number): number {
  return Math.floor(Date.UTC(y, 0, 1) / DAY);
}

/** The (local) year of a day number. */
export function yearOfDay(day: number): number {
  return new Date(day * DAY).getUTCFullYear();
}

/** Days within this many days of an offset change are computed exactly (wall-time probes reach ±26 h, offsets ±14 h). */
const NEAR = 3;

/** Open ms of a wall-time schedule [s0, e0, ...] (its wall-clock length). */
export function scheduleOpen(sched: number[]): number {
  let ms = 0;
  for (let i = 0; i < sched.length; i += 2) ms += (sched[i + 1] as number) - (sched[i] as number);
  return ms;
}

export function summarizeYear(cal: YearSource, y: number): YearSummary {
  const d0 = firstDayOfYear(y);
  const d1 = firstDayOfYear(y + 1);
  const start = cal.wallToInstant(d0, 0);
  const end = cal.wallToInstant(d1, 0);
  // a plain day (no offset change near it) is open exactly its schedule's wall-clock length, inside its own midnights
  const n = d1 - d0;
  const w0 = weekday(d0);
  let open = 0;
  let businessDays = 0;
  for (let w = 0; w < 7; w++) {
    const count = Math.floor(n / 7) + ((w - w0 + 7) % 7 < n % 7 ? 1 : 0);
    const o = cal.weekOpen[w] as number;
    open += count * o;
    if (o > 0) businessDays += count;
  }
  const near = new Set<number>();
  for (const t of cal.zone.transitions((d0 - NEAR - 1) * DAY, (d1 + NEAR + 1) * DAY)) {
    const td = Math.floor(t / DAY);
    for (let d = Math.max(d0, td - NEAR); d <= Math.min(d1 - 1, td + NEAR); d++) near.add(d);
  }
  const unweek = (d: number): void => {
    const o = cal.weekOpen[weekday(d)] as number;
    open -= o;
    if (o > 0) businessDays--;
  };
  for (const d of cal.exceptionDays(d0, d1)) {
    if (near.has(d)) continue;
    unweek(d);
    const o = scheduleOpen(cal.daySchedule(d));
    open += o;
    if (o > 0) businessDays++;
  }
  // days near an offset change: their exact intervals, run by run, measured between the runs' midnights
  const runs = [...near].sort((a, b) => a - b);
  for (let i = 0; i < runs.length;) {
    let j = i;
    while (j + 1 < runs.length && runs[j + 1] === (runs[j] as number) + 1) j++;
    const a = runs[i] as number;
    const b = (runs[j] as number) + 1;
    for (let d = a; d < b; d++) {
      unweek(d);
      if (cal.dayIntervals(d).length) businessDays++;
    }
    const win = DayWindow.build((d) => cal.dayIntervals(d), a - 1, b + 1);
    open += win.F(cal.wallToInstant(b, 0)) - win.F(cal.wallToInstant(a, 0));
    i = j + 1;
  }
  return { start, end, open, businessDays };
}

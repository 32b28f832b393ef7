/**
 * Deadlines fixed from a target's start (§2): `businessDays` and
 * `nextBusinessDay` (with its cut-off), with the rule that set them.
 */
import type { CompiledCalendar } from './calendar.js';
import type { Duration } from './policy.js';
import { formatDate, formatHHMM } from './time.js';
import { END_OF_RANGE_MS } from '../time-range.js';
import { wall } from './trace.js';

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
      notes.push(
        () => `${d.text} from ${formatDate(cal.localDay(s1 as number))} ${formatHHMM(ms)} is ${formatDate(day)}; it closes before ${formatHHMM(ms)}, so the deadline is its close, ${wall(cal, due)}`,
      );
    } else {
      notes.push(
        () => `${d.text} from ${formatDate(cal.localDay(s1 as number))} ${formatHHMM(ms)} is ${formatDate(day)}: due at the first open instant from ${formatHHMM(ms)} that day, ${wall(cal, due)}`,
      );
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

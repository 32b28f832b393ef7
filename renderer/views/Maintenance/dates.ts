/** Local dates of a planned visit's window, in the plan's zone (docs/maintenance.md). */
import { locale } from '../../format.js';

/** "1 Apr 2026" in `zone`. */
export function formatDay(at: number, zone?: string): string {
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', ...(zone ? { timeZone: zone } : {}) }).format(at);
}

/** The window's first and last day (its end is the midnight after its last day). */
export function windowDays(w: { windowStart: number; windowEnd: number }, zone?: string): { from: string; to: string } {
  return { from: formatDay(w.windowStart, zone), to: formatDay(w.windowEnd - 1, zone) };
}

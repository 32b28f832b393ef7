import { DateTime } from 'luxon';
import type { QuietHours } from './types.js';

function minutesOf(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new Error(`quiet hours: "${hhmm}" is not HH:MM`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Is `now` inside the quiet hours (a daily [start, end) window in the user's zone, possibly across midnight)? */
export function isQuiet(now: number, q: QuietHours | null): boolean {
  if (!q) return false;
  const local = DateTime.fromMillis(now, { zone: q.timezone });
  const m = local.hour * 60 + local.minute;
  const s = minutesOf(q.start);
  const e = minutesOf(q.end);
  if (s === e) return false;
  return s < e ? m >= s && m < e : m >= s || m < e;
}

/** The first instant after `now` at which the quiet hours end (null when not quiet now). */
export function quietEndsAt(now: number, q: QuietHours | null): number | null {
  if (!q || !isQuiet(now, q)) return null;
  const e = minutesOf(q.end);
  let day = DateTime.fromMillis(now, { zone: q.timezone }).startOf('day');
  for (let i = 0; i < 3; i++) {
    const end = day.set({ hour: Math.floor(e / 60), minute: e % 60 }).toMillis();
    if (end > now) return end;
    day = day.plus({ days: 1 });
  }
  return null;
}

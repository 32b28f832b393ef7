/** Business-hours calendars: a month as the engine sees it (stored or a draft), ICS closed days: core/api/desk.ts, docs/desk.md. */
import type { CalendarDayView, CalendarMonthView, deskMethods } from '../../../core/api/desk.js';
import { parseIcsClosedDays } from '../../../core/calendars/ics.js';
import { splitCalendarJsonNightShifts } from '../../../core/calendars/night-shift.js';
import { compileCalendar, validateCalendar } from '../../../core/sla/index.js';
import type { CompiledCalendar } from '../../../core/sla/index.js';
import { formatHHMM } from '../../../core/sla/time.js';
import { ApiFailure } from '../../api/dispatch.js';
import type { HandlersFor } from '../../api/dispatch.js';
import { guard } from '../../api/guard.js';
import { requireContract } from '../../api/require.js';
import type { AppContext } from '../../app/context.js';
import { ticketViews } from '../../tickets/views.js';

/** Days since 1970-01-01 of the first of a `YYYY-MM` month, and the month's length. */
function monthDays(month: string): { first: number; count: number } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const first = Math.floor(Date.UTC(y, m - 1, 1) / 86_400_000);
  const next = Math.floor(Date.UTC(y, m, 1) / 86_400_000);
  return { first, count: next - first };
}

/** The engine's view of local days `first..first+count-1` of a compiled calendar. */
export function calendarDays(cal: CompiledCalendar, first: number, count: number): CalendarDayView[] {
  const out: CalendarDayView[] = [];
  for (let day = first; day < first + count; day++) {
    const iv = cal.dayIntervals(day);
    const intervals: [string, string][] = [];
    let ms = 0;
    for (let i = 0; i < iv.length; i += 2) {
      const a = iv[i] as number;
      const b = iv[i + 1] as number;
      ms += b - a;
      intervals.push([formatHHMM(cal.localMsOfDay(a)), cal.localDay(b) > day ? '24:00' : formatHHMM(cal.localMsOfDay(b))]);
    }
    out.push({ date: new Date(day * 86_400_000).toISOString().slice(0, 10), weekday: (((day + 3) % 7) + 7) % 7, rule: cal.dayRule(day), intervals, openMinutes: Math.round(ms / 60_000) });
  }
  return out;
}

export function calendarHandlers(ctx: AppContext): Pick<HandlersFor<typeof deskMethods>, 'desk.calendarMonth' | 'desk.parseIcs'> {
  const store = ctx.store;
  const { compiledOrRefuse } = ticketViews(ctx);

  return {
    'desk.calendarMonth': ({ contractId, calendar, month, draft }) =>
      guard(async () => {
        const c = await requireContract(store, contractId);
        const { first, count } = monthDays(month);
        let cal: CompiledCalendar;
        let json: unknown;
        if (draft !== undefined) {
          json = splitCalendarJsonNightShifts(draft);
          const issues = validateCalendar(json, calendar);
          if (issues.length) {
            const view: CalendarMonthView = { calendar, name: null, timezone: '', month, days: [], issues };
            return view;
          }
          cal = compileCalendar(json, calendar);
        } else {
          const found = (await compiledOrRefuse(c)).calendars.get(calendar);
          if (!found) throw new ApiFailure('not_found', `calendar "${calendar}" is not in contract ${c.agreementNumber}`, 'calendar');
          cal = found;
          json = c.policySet.calendars[calendar];
        }
        const name = (json as { name?: unknown }).name;
        const view: CalendarMonthView = { calendar, name: typeof name === 'string' ? name : null, timezone: cal.timezone, month, days: calendarDays(cal, first, count), issues: [] };
        return view;
      }),

    'desk.parseIcs': ({ text }) => {
      try {
        return parseIcsClosedDays(text);
      } catch (err) {
        throw new ApiFailure('invalid_request', (err as Error).message, 'text');
      }
    },
  };
}

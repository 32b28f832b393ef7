/**
 * The bench's baseline: the same tickets' deadlines computed from scratch
 * with moment-business-time, the way one would without the engine: for each
 * target, walk the ticket's history, count working time stretch by stretch
 * (`workingDiff`) and find deadlines with `addWorkingTime`, update by update.
 * moment-business-time counts in the process's zone with one global set of
 * working hours, so tickets are grouped by calendar and TZ is set per group.
 * Every result is compared with the engine's (bench/sla.ts fails on a mismatch).
 */
import moment from 'moment';
import 'moment-business-time';
import Holidays from 'date-holidays';
import type { TicketEvent } from '../core/sla/index.js';
import type { BenchCalendar, BenchPolicy, BenchTicket } from './sla-data.js';
import { NOW, PAUSE_WHEN, calendars, policyDefs } from './sla-data.js';

type MomentBT = moment.Moment & { addWorkingTime(n: number, unit: string): moment.Moment; workingDiff(m: moment.Moment, unit: string): number };

const HOUR = 3_600_000;
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** One target's figures, as the engine reports them. */
export interface BaselineTarget {
  metric: 'response' | 'resolution' | 'update';
  dueAt: number | null;
  elapsedMinutes: number;
  missed?: number;
}

/** Points moment-business-time at a calendar: its zone, weekly hours, public holidays and closed days. */
function useCalendar(cal: BenchCalendar): void {
  process.env.TZ = cal.timezone;
  const wh: Record<number, string[] | null> = {};
  DAY_NAMES.forEach((d, i) => {
    const pairs = cal.week === '24x7' ? [['00:00', '24:00']] : (cal.week[d] ?? []);
    wh[i] = pairs.length ? pairs.flatMap(([s, e]) => [`${s}:00`, `${e}:00`]) : null;
  });
  const holidays = [...(cal.closed ?? [])];
  if (cal.holidays) {
    const hd = cal.holidays.region ? new Holidays(cal.holidays.country, cal.holidays.region) : new Holidays(cal.holidays.country);
    for (const y of [2025, 2026]) for (const h of hd.getHolidays(y)) if (h.type === 'public') holidays.push(h.date.slice(0, 10));
  }
  moment.updateLocale('en', { workinghours: wh, holidays } as unknown as moment.LocaleSpecification);
}

const m = (t: number): MomentBT => moment(t) as MomentBT;
/** Working ms from t to the end of local day `end` (moment's `workingDiff` is right when its end is after the day's last opening). */
const toEndOf = (t: number, end: moment.Moment): number => (end as MomentBT).workingDiff(m(t), 'milliseconds');
/**
 * Working ms in [a, b). Not `b.workingDiff(a)`: on a day with a break it adds
 * the openings after `b` negatively (08:11 to 10:41 on 08:00-11:30,
 * 12:00-16:00 gives 71 minutes, not 150), so both ends are counted to the
 * end of b's day and subtracted.
 */
const counted = (a: number, b: number): number => {
  if (b <= a) return 0;
  const end = moment(b).endOf('day');
  return toEndOf(a, end) - toEndOf(b, end);
};
/** The instant `ms` working ms after t. */
const after = (t: number, ms: number): number => (ms <= 0 ? t : m(t).addWorkingTime(ms, 'milliseconds').valueOf());

/** The stretches [a, b) in which a target counts, from `start` to `end`. */
function running(events: readonly TicketEvent[], start: number, end: number, pausable: boolean): [number, number][] {
  const out: [number, number][] = [];
  let from: number | null = start;
  for (const e of events) {
    if (e.type !== 'status' || e.at <= start || e.at >= end) continue;
    const paused = pausable && PAUSE_WHEN.includes(e.status);
    if (paused && from !== null) {
      out.push([from, e.at]);
      from = null;
    } else if (!paused && from === null) from = e.at;
  }
  if (from !== null) out.push([from, end]);
  return out;
}

/**
 * The instant the count reaches `p` ms (from 0 at the first stretch);
 * beyond the stretches, from `end` when the target is still running there.
 */
function reach(stretches: [number, number][], p: number, end: number, runsOn: boolean): number | null {
  let pos = 0;
  for (const [a, b] of stretches) {
    const c = counted(a, b);
    if (pos + c >= p) return after(a, p - pos);
    pos += c;
  }
  return runsOn ? after(end, p - pos) : null;
}

const isPaused = (events: readonly TicketEvent[]): boolean => {
  const last = events.filter((e) => e.type === 'status').pop();
  return last !== undefined && last.type === 'status' && PAUSE_WHEN.includes(last.status);
};

/** Response or resolution within `hours` (bench tickets are never resolved). */
function within(tk: BenchTicket, metric: 'response' | 'resolution', hours: number): BaselineTarget {
  const created = (tk.events[0] as TicketEvent).at;
  const responded = tk.events.find((e) => e.type === 'responded')?.at ?? null;
  const stop = metric === 'response' ? responded : null;
  const pausable = metric === 'resolution';
  const end = stop ?? NOW;
  const st = running(tk.events, created, end, pausable);
  const elapsed = st.reduce((n, [a, b]) => n + counted(a, b), 0);
  const N = hours * HOUR;
  const runsOn = stop !== null || !(pausable && isPaused(tk.events));
  let dueAt = reach(st, N, end, false);
  if (dueAt === null || dueAt > end) dueAt = runsOn ? after(end, N - elapsed) : null;
  return { metric, dueAt, elapsedMinutes: Math.floor(elapsed / 60_000) };
}

/** Updates: first after `first` hours, then every `every` after each update or missed one. */
function updates(tk: BenchTicket, p: BenchPolicy): BaselineTarget {
  const created = (tk.events[0] as TicketEvent).at;
  const st = running(tk.events, created, NOW, true);
  const runsOn = !isPaused(tk.events);
  const posAt = (t: number): number => st.reduce((n, [a, b]) => n + counted(a, Math.min(b, t)), 0);
  let anchorT = created;
  let anchorPos = 0;
  let dur = p.first * HOUR;
  let missed = 0;
  const due = (proj: boolean): number | null => {
    const r = reach(st, anchorPos + dur, NOW, proj);
    return r === null ? null : Math.max(anchorT, r);
  };
  const missUntil = (limit: number): void => {
    for (let d = due(false); d !== null && d < limit; d = due(false)) {
      missed++;
      anchorT = d;
      anchorPos += dur;
      dur = p.every * HOUR;
    }
  };
  for (const e of tk.events) {
    if (e.type !== 'update_logged') continue;
    missUntil(e.at);
    anchorT = e.at;
    anchorPos = posAt(e.at);
    dur = p.every * HOUR;
  }
  missUntil(NOW);
  const elapsed = posAt(NOW);
  return { metric: 'update', dueAt: runsOn ? due(true) : null, elapsedMinutes: Math.floor(elapsed / 60_000), missed };
}

/** The policy a ticket is measured against: the last one it was given. */
function policyOf(tk: BenchTicket): BenchPolicy {
  let id = tk.policy.id;
  for (const e of tk.events) if (e.type === 'policy_changed') id = e.policy;
  return policyDefs.find((p) => p.id === id) as BenchPolicy;
}

/** Each ticket's three targets, computed from scratch with moment-business-time (in ticket order). */
export function baseline(tickets: readonly BenchTicket[]): BaselineTarget[][] {
  const out: BaselineTarget[][] = tickets.map(() => []);
  const savedTz = process.env.TZ;
  for (const [id, cal] of Object.entries(calendars)) {
    useCalendar(cal);
    tickets.forEach((tk, i) => {
      const p = policyOf(tk);
      const row = out[i] as BaselineTarget[];
      if (p.cal === id) {
        row[0] = within(tk, 'response', p.r);
        row[1] = within(tk, 'resolution', p.s);
      }
      if (p.upd === id) row[2] = updates(tk, p);
    });
  }
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
  return out;
}

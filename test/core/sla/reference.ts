/**
 * The slow reference implementation of specs/sla-clock.md, for property tests
 * and the benchmark. Independent of core/sla: it converts wall times with
 * luxon (and corrects luxon's fall-back default to the first occurrence by
 * probing), keeps one open/closed flag per minute, and counts minute by minute.
 *
 * Limits (documented, enforced by the generators): every time in the input is
 * on a whole minute, durations are whole minutes, and the search for open time
 * stops after HORIZON_DAYS (it throws ReferenceHorizon).
 */
import { DateTime } from 'luxon';
import Holidays from 'date-holidays';

const MIN = 60_000;
export const REF_HORIZON_DAYS = 500;

export class ReferenceHorizon extends Error {}

type Pair = [string, string];
export interface RefCalendar {
  timezone: string;
  week: Record<string, Pair[]> | '24x7';
  holidays?: { country: string; region?: string };
  closed?: string[];
  special?: Record<string, Pair[]>;
}
type Dur = { minutes: number } | { hours: number } | { businessDays: number } | { nextBusinessDay: { cutoff: string } };
interface RefTarget {
  within?: Dur;
  first?: Dur;
  every?: Dur;
  calendar?: string;
  pausable?: boolean;
  startsAt?: 'created' | 'response';
}
export interface RefPolicy {
  calendar: string;
  pauseWhen?: string[];
  targets: { response?: RefTarget; resolution?: RefTarget; update?: RefTarget };
}
export interface RefEvent {
  type: string;
  at: string;
  policy?: string;
  status?: string;
}
export interface RefCase {
  calendars: Record<string, RefCalendar>;
  policies: Record<string, RefPolicy>;
  events: RefEvent[];
  now: string;
}
export interface RefTargetResult {
  metric: string;
  state: 'pending' | 'running' | 'paused' | 'stopped';
  dueAt: number | null;
  stoppedAt: number | null;
  breached: boolean;
  elapsedMinutes: number;
  remainingMinutes: number | null;
  missed?: number;
}

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const holidayCache = new Map<string, Set<string>>();
function isPublicHoliday(country: string, region: string | undefined, date: string): boolean {
  const key = `${country}|${region ?? ''}|${date.slice(0, 4)}`;
  let set = holidayCache.get(key);
  if (!set) {
    const hd = region ? new Holidays(country, region) : new Holidays(country);
    set = new Set(
      hd
        .getHolidays(Number(date.slice(0, 4)))
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10)),
    );
    holidayCache.set(key, set);
  }
  return set.has(date);
}

/** Wall time on a local date -> instant, per the spec: gap moves forward (luxon does that), overlap = first occurrence. */
export function refWallToInstant(zone: string, date: string, hhmm: string): number {
  let d = DateTime.fromISO(date, { zone });
  let [h, m] = hhmm.split(':').map(Number) as [number, number];
  if (h === 24) {
    d = d.plus({ days: 1 });
    h = 0;
    m = 0;
  }
  const dt = DateTime.fromObject({ year: d.year, month: d.month, day: d.day, hour: h, minute: m }, { zone });
  let t = dt.toMillis();
  // luxon picks the later of two occurrences; look for an earlier one with the same wall time
  for (const back of [30, 60, 90, 120, 180]) {
    const alt = DateTime.fromMillis(dt.toMillis() - back * MIN, { zone });
    if (alt.year === dt.year && alt.month === dt.month && alt.day === dt.day && alt.hour === dt.hour && alt.minute === dt.minute) t = Math.min(t, alt.toMillis());
  }
  return t;
}

/** A calendar as one open flag per minute, filled date by date on demand. */
export class MinuteCalendar {
  private readonly base: number; // epoch minute of index 0
  private open: Uint8Array;
  private nextDate: DateTime; // first local date not yet filled
  private readonly dayCache = new Map<string, [number, number][]>();

  constructor(
    readonly cal: RefCalendar,
    fromMs: number,
  ) {
    this.base = Math.floor(fromMs / MIN) - 3 * 1440;
    this.open = new Uint8Array(1440 * 30);
    this.nextDate = DateTime.fromMillis(this.base * MIN, { zone: cal.timezone })
      .startOf('day')
      .minus({ days: 1 });
  }

  /** The schedule of a local date as wall-time pairs. */
  schedule(date: string): Pair[] {
    const c = this.cal;
    if (c.special && Object.prototype.hasOwnProperty.call(c.special, date)) return c.special[date] as Pair[];
    if (c.closed?.includes(date)) return [];
    if (c.holidays && isPublicHoliday(c.holidays.country, c.holidays.region, date)) return [];
    if (c.week === '24x7') return [['00:00', '24:00']];
    const wd = DAYS[DateTime.fromISO(date).weekday - 1] as string;
    return c.week[wd] ?? [];
  }

  /** Open intervals (instants) of a local date, non-empty ones only. */
  intervals(date: string): [number, number][] {
    let iv = this.dayCache.get(date);
    if (!iv) {
      iv = this.schedule(date)
        .map(([s, e]) => [refWallToInstant(this.cal.timezone, date, s), refWallToInstant(this.cal.timezone, date, e)] as [number, number])
        .filter(([s, e]) => e > s);
      this.dayCache.set(date, iv);
    }
    return iv;
  }

  isBusinessDay(date: string): boolean {
    return this.intervals(date).length > 0;
  }

  private fillTo(minute: number): void {
    // every date whose intervals can reach `minute` (a local date spans at most UTC date +- 1)
    while (this.nextDate.toMillis() <= (minute + 2 * 1440) * MIN) {
      const date = this.nextDate.toISODate() as string;
      for (const [s, e] of this.intervals(date)) {
        const a = s / MIN - this.base;
        const b = e / MIN - this.base;
        if (b > this.open.length) this.grow(b);
        for (let i = Math.max(0, a); i < b; i++) this.open[i] = 1;
      }
      this.nextDate = this.nextDate.plus({ days: 1 });
    }
  }

  private grow(n: number): void {
    if (n > REF_HORIZON_DAYS * 1440 + 10 * 1440) throw new ReferenceHorizon('reference horizon exceeded');
    const bigger = new Uint8Array(Math.max(n + 1440, this.open.length * 2));
    bigger.set(this.open);
    this.open = bigger;
  }

  /** Is the minute starting at epoch-minute m open? */
  isOpenMinute(m: number): boolean {
    const i = m - this.base;
    if (i < 0) throw new Error('reference: before window');
    if (i >= this.open.length) this.grow(i + 1);
    this.fillTo(m);
    return this.open[i] === 1;
  }

  localDate(t: number): string {
    return DateTime.fromMillis(t, { zone: this.cal.timezone }).toISODate() as string;
  }
  localHHMM(t: number): string {
    return DateTime.fromMillis(t, { zone: this.cal.timezone }).toFormat('HH:mm');
  }
  nextDateOf(date: string): string {
    return DateTime.fromISO(date).plus({ days: 1 }).toISODate() as string;
  }
}

function toMinutes(d: Dur): number {
  if ('minutes' in d) return d.minutes;
  if ('hours' in d) return d.hours * 60;
  throw new Error('not an open-time duration');
}

const ms = (iso: string): number => DateTime.fromISO(iso, { setZone: true }).toMillis();
const STOP = new Set(['resolved', 'closed']);

/** Evaluates a case the slow way. Returns targets in policy order (response, resolution, update). */
export function referenceEval(c: RefCase): RefTargetResult[] {
  const now = ms(c.now);
  const evs = c.events
    .map((e, i) => ({ ...e, t: ms(e.at), i }))
    .filter((e) => e.t <= now)
    .sort((a, b) => a.t - b.t || a.i - b.i);
  const created = evs.find((e) => e.type === 'created');
  const allCreated = c.events.find((e) => e.type === 'created') as RefEvent;
  let policyId = (created ?? allCreated).policy as string;
  for (const e of evs) if (e.type === 'policy_changed') policyId = e.policy as string;
  const policy = c.policies[policyId] as RefPolicy;
  const out: RefTargetResult[] = [];
  const calendars = new Map<string, MinuteCalendar>();
  const calOf = (id: string): MinuteCalendar => {
    let mc = calendars.get(id);
    if (!mc) {
      mc = new MinuteCalendar(c.calendars[id] as RefCalendar, created ? created.t : now);
      calendars.set(id, mc);
    }
    return mc;
  };
  if (!created) {
    for (const metric of ['response', 'resolution', 'update'] as const) {
      if (!policy.targets[metric]) continue;
      out.push({ metric, state: 'pending', dueAt: null, stoppedAt: null, breached: false, elapsedMinutes: 0, remainingMinutes: null, ...(metric === 'update' ? { missed: 0 } : {}) });
    }
    return out;
  }
  const C = created.t;
  const statusAt = (t: number): string => {
    let s = 'open';
    for (const e of evs) if (e.type === 'status' && e.t <= t) s = e.status as string;
    return s;
  };
  const firstResponse = evs.find((e) => e.type === 'responded')?.t ?? null;
  const firstResolution = evs.find((e) => e.type === 'status' && STOP.has(e.status as string))?.t ?? null;
  const candidates = [firstResponse, firstResolution].filter((x): x is number => x !== null);
  const responseStop = candidates.length ? Math.min(...candidates) : null;
  const pauseWhen = new Set(policy.pauseWhen ?? []);

  for (const metric of ['response', 'resolution', 'update'] as const) {
    const tg = policy.targets[metric];
    if (!tg) continue;
    const cal = calOf(tg.calendar ?? policy.calendar);
    const pausable = tg.pausable ?? metric !== 'response';
    const start = metric !== 'response' && tg.startsAt === 'response' ? responseStop : C;
    if (start === null || start > now) {
      out.push({ metric, state: 'pending', dueAt: null, stoppedAt: null, breached: false, elapsedMinutes: 0, remainingMinutes: null, ...(metric === 'update' ? { missed: 0 } : {}) });
      continue;
    }
    // kind of the minute starting at t
    const kindAt = (t: number): 'active' | 'paused' | 'resolved' => {
      const s = statusAt(t);
      if (STOP.has(s)) return 'resolved';
      if (pausable && pauseWhen.has(s)) return 'paused';
      return 'active';
    };
    let state: RefTargetResult['state'];
    let stoppedAt: number | null = null;
    if (metric === 'response') {
      if (responseStop !== null && responseStop <= now) {
        state = 'stopped';
        stoppedAt = responseStop;
      } else state = kindAt(now) === 'paused' ? 'paused' : 'running';
    } else {
      const k = kindAt(now);
      if (k === 'resolved') {
        state = 'stopped';
        // start of the final resolved run
        let t = now;
        while (t - MIN >= start && kindAt(t - MIN) === 'resolved') t -= MIN;
        stoppedAt = t;
      } else state = k === 'paused' ? 'paused' : 'running';
    }
    const end = stoppedAt ?? now;
    // counted minute? (within [start, end); beyond end: "if nothing changes" only when running)
    const counted = (m: number): boolean => {
      const t = m * MIN;
      if (t < end) return kindAt(t) === 'active' && cal.isOpenMinute(m);
      return state === 'running' && cal.isOpenMinute(m);
    };
    let elapsed = 0;
    for (let m = start / MIN; m < end / MIN; m++) if (counted(m)) elapsed++;
    const kindBeforeEnd = end > start ? kindAt(end - MIN) : kindAt(start) === 'paused' ? 'paused' : 'active';

    if (metric === 'update') {
      const first = toMinutes(tg.first as Dur);
      const every = toMinutes(tg.every as Dur);
      // due: count `dur` counted minutes from anchor; beyond `end` only when running (projection)
      const dueFrom = (anchor: number, dur: number, project: boolean): number | null => {
        if (dur === 0) return anchor;
        let n = 0;
        const limit = anchor / MIN + REF_HORIZON_DAYS * 1440;
        for (let m = anchor / MIN; m < limit; m++) {
          if (m * MIN >= end && !project) return null;
          if (m * MIN >= end && state !== 'running') return null;
          if (counted(m)) n++;
          if (n === dur) return (m + 1) * MIN;
        }
        throw new ReferenceHorizon('update due beyond horizon');
      };
      // marks: updates and reopens; dues before `missBefore` are missed (for a reopen: before the resolution it ends,
      // as a due at the instant the ticket is resolved or closed is met, §4)
      const marks: { t: number; missBefore: number }[] = [];
      for (const e of evs) if (e.type === 'update_logged' && e.t >= start && e.t <= end && !STOP.has(statusAt(e.t))) marks.push({ t: e.t, missBefore: e.t });
      // reopens: minutes at which the status (after all events of that minute) leaves resolved/closed
      for (let t = start + MIN; t <= end; t += MIN) {
        if (!(STOP.has(statusAt(t - MIN)) && !STOP.has(statusAt(t)))) continue;
        let stop = t - MIN;
        while (stop - MIN >= start && STOP.has(statusAt(stop - MIN))) stop -= MIN;
        marks.push({ t, missBefore: stop });
      }
      marks.sort((a, b) => a.t - b.t);
      let anchor = start;
      let dur = first;
      let missed = 0;
      const missUntil = (limit: number): void => {
        for (;;) {
          const d = dueFrom(anchor, dur, false);
          if (d === null || d >= limit) return;
          missed++;
          anchor = d;
          dur = every;
        }
      };
      for (const mk of marks) {
        missUntil(mk.missBefore);
        anchor = mk.t;
        dur = every;
      }
      missUntil(end);
      let dueAt: number | null = null;
      let remaining: number | null = null;
      if (state === 'running' || state === 'paused') {
        let inCycle = 0;
        for (let m = anchor / MIN; m < end / MIN; m++) if (counted(m)) inCycle++;
        remaining = Math.max(0, dur - inCycle);
      }
      if (state === 'running') dueAt = dueFrom(anchor, dur, true);
      out.push({ metric, state, dueAt, stoppedAt, breached: missed > 0, elapsedMinutes: elapsed, remainingMinutes: remaining, missed });
      continue;
    }

    const w = tg.within as Dur;
    let dueAt: number | null = null;
    let remaining: number | null = null;
    if ('minutes' in w || 'hours' in w) {
      const N = toMinutes(w);
      remaining = Math.max(0, N - elapsed);
      if (N === 0) dueAt = start;
      else {
        let n = 0;
        const project = state === 'running' || (state === 'stopped' && kindBeforeEnd === 'active');
        const limit = start / MIN + REF_HORIZON_DAYS * 1440;
        for (let m = start / MIN; ; m++) {
          if (m >= limit) throw new ReferenceHorizon('deadline beyond horizon');
          const t = m * MIN;
          let c: boolean;
          if (t < end) c = kindAt(t) === 'active' && cal.isOpenMinute(m);
          else if (project) c = cal.isOpenMinute(m);
          else break;
          if (c) n++;
          if (n === N) {
            dueAt = (m + 1) * MIN;
            break;
          }
        }
      }
    } else if ('businessDays' in w) {
      let s1 = start;
      while (!cal.isOpenMinute(s1 / MIN)) {
        s1 += MIN;
        if (s1 - start > REF_HORIZON_DAYS * 86_400_000) throw new ReferenceHorizon('no opening');
      }
      let date = cal.localDate(s1);
      const hhmm = cal.localHHMM(s1);
      for (let k = 0; k < w.businessDays; k++) {
        do date = cal.nextDateOf(date);
        while (!cal.isBusinessDay(date));
      }
      const wt = refWallToInstant(cal.cal.timezone, date, hhmm);
      const iv = cal.intervals(date);
      const hit = iv.find(([, e]) => e > wt);
      dueAt = hit ? Math.max(hit[0], wt) : Math.max(...iv.map(([, e]) => e));
    } else {
      const date = cal.localDate(start);
      const [ch, cm] = w.nextBusinessDay.cutoff.split(':').map(Number) as [number, number];
      const lt = DateTime.fromMillis(start, { zone: cal.cal.timezone });
      const before = lt.hour * 60 + lt.minute < ch * 60 + cm;
      let receipt = date;
      if (!(cal.isBusinessDay(date) && before)) {
        do receipt = cal.nextDateOf(receipt);
        while (!cal.isBusinessDay(receipt));
      }
      let dueDate = receipt;
      do dueDate = cal.nextDateOf(dueDate);
      while (!cal.isBusinessDay(dueDate));
      dueAt = Math.max(...cal.intervals(dueDate).map(([, e]) => e));
    }
    out.push({ metric, state, dueAt, stoppedAt, breached: dueAt !== null && end > dueAt, elapsedMinutes: elapsed, remainingMinutes: remaining });
  }
  return out;
}

/**
 * The engine's cost is bounded whatever the span (issue 14 §2): it counts and
 * searches per year, not per day, its caches stay bounded, and its answers
 * over long spans are the same as counted piece by piece. No timings: work
 * (local days compiled) and cache sizes are counted.
 */
import { describe, expect, it, vi } from 'vitest';
import { CalendarCache, CompiledCalendar, compileCalendar, evalCase, parseInstant } from '../../../core/sla/index.js';
import { holidayCacheSize } from '../../../core/sla/holidays.js';

const DAY = 86_400_000;
const WD = {
  mon: [['08:00', '16:00']],
  tue: [['08:00', '16:00']],
  wed: [
    ['08:00', '11:30'],
    ['12:00', '16:00'],
  ],
  thu: [['08:00', '16:00']],
  fri: [['08:00', '16:00']],
  sat: [],
  sun: [],
};
const at = (s: string): number => parseInstant(s) as number;
const WEEKDAYS = { mon: [['08:00', '16:00']], tue: [['08:00', '16:00']], wed: [['08:00', '16:00']], thu: [['08:00', '16:00']], fri: [['08:00', '16:00']], sat: [], sun: [] };
const office = { timezone: 'Europe/Copenhagen', week: WEEKDAYS, holidays: { country: 'DK' } };
const policies = { p: { calendar: 'dk', targets: { response: { within: { hours: 4 } }, resolution: { within: { hours: 8 } }, update: { first: { hours: 2 }, every: { hours: 4 } } } } };
const farCase = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'far',
  calendars: { dk: office },
  policies,
  events: [{ type: 'created', at: '2001-03-01T10:00:00Z', policy: 'p' }],
  now: '2999-06-01T10:00:00Z',
  ...over,
});

/** The private per-day cache (present before and after the bound). */
const dayCacheSize = (c: CompiledCalendar): number => (c as unknown as { dayCache: Map<number, unknown> }).dayCache.size;

describe('a case 1,000 years long', () => {
  it('is counted per year: few local days compiled, caches bounded, same answer as day by day', () => {
    const cache = new CalendarCache();
    const days = vi.spyOn(CompiledCalendar.prototype, 'dayIntervals');
    const r = evalCase(farCase(), { cache, schedule: true }) as unknown as { targets: Record<string, unknown>[] };
    const calls = days.mock.calls.length;
    days.mockRestore();
    // day by day this is ~365,000 local days (and as many cached); per year, ~35 around its offset changes
    expect(calls).toBeLessThan(50_000);
    const cal = cache.get(office, 'dk');
    expect(dayCacheSize(cal)).toBeLessThanOrEqual(4_096);
    expect(cal.cached.windowDays).toBeLessThanOrEqual(3 * 800);
    expect(cal.cached.years).toBeLessThanOrEqual(1_000);
    expect(cal.zone.cachedYears).toBeLessThanOrEqual(1_100);
    expect(holidayCacheSize().years).toBeLessThanOrEqual(4_096);
    // the figures the day-by-day engine gave for this case
    expect(r.targets.map((t) => [t.metric, t.dueAt, t.elapsedMinutes, t.missed])).toEqual([
      ['response', '2001-03-01T14:00:00.000Z', 121_571_340, undefined],
      ['resolution', '2001-03-02T10:00:00.000Z', 121_571_340, undefined],
      ['update', '2999-06-03T07:00:00.000Z', 121_571_340, 506_547],
    ]);
  });

  it('its explanation is bounded: missed updates in one line per run, long stretches summed', () => {
    const r = evalCase(farCase(), { explain: true }) as { targets: { metric: string; trace: { kind: string; note?: string }[] }[] };
    const upd = r.targets.find((t) => t.metric === 'update')?.trace ?? [];
    expect(upd.length).toBeLessThan(200);
    const missed = upd.filter((i) => /missed/.test(i.note ?? ''));
    expect(missed.map((i) => i.note)).toEqual([
      expect.stringMatching(/^506,547 updates missed, 2001-03-01 13:00 Europe\/Copenhagen to 2999-05-31 13:00 Europe\/Copenhagen; each next one was due 4 hours after the one missed$/),
      '506547 update(s) missed',
    ]);
    expect(upd.some((i) => /: [\d,]+ h counted, [\d,]+ h closed \(not listed stretch by stretch\)$/.test(i.note ?? ''))).toBe(true);
  });
});

describe('long spans give the same answers as short pieces', () => {
  const zones = ['Europe/Copenhagen', 'Australia/Sydney', 'America/St_Johns', 'America/New_York', 'Asia/Kolkata', 'Pacific/Apia', 'Asia/Gaza'];
  const calendars = zones.map((timezone, i) =>
    compileCalendar({
      id: `c${i}`,
      timezone,
      week:
        i % 2
          ? '24x7'
          : {
              ...WD,
              sun: [
                ['00:00', '03:00'],
                ['22:00', '24:00'],
              ],
              sat: [['01:30', '02:30']],
            },
      ...(i === 0 ? { holidays: { country: 'DK' }, closed: ['2011-12-30', '2030-01-02'], special: { '2012-03-25': [['01:00', '04:00']], '2031-12-31': [['00:00', '24:00']] } } : {}),
      ...(i === 2 ? { holidays: { country: 'CA' } } : {}),
    }),
  );
  /** Open time of [a, b) summed over pieces shorter than the engine's near span. */
  const chunked = (c: CompiledCalendar, a: number, b: number): number => {
    let sum = 0;
    for (let t = a; t < b; t = Math.min(b, t + 97 * DAY)) sum += c.openMs(t, Math.min(b, t + 97 * DAY));
    return sum;
  };
  const a = at('2003-07-14T05:17:00Z');
  const b = at('2041-02-03T22:41:00Z');
  for (const c of calendars) {
    it(`${c.timezone}: openMs, addOpen and business days over 38 years`, () => {
      const total = c.openMs(a, b);
      expect(total).toBe(chunked(c, a, b));
      const mid = at('2029-10-28T01:30:00Z');
      const part = c.openMs(a, mid);
      expect(part).toBe(chunked(c, a, mid));
      const d = c.addOpen(a, part) as number;
      expect(d).toBeLessThanOrEqual(mid);
      expect(c.openMs(a, d)).toBe(part);
      expect(c.openMs(a, d - 1)).toBeLessThan(part);
      // the 900th business day, stepping whole years, is the one found day by day
      let day = c.localDay(a);
      for (let i = 0; i < 900; i++) day = c.stepBusinessDays(day, 1) as number;
      expect(c.stepBusinessDays(c.localDay(a), 900)).toBe(day);
    });
  }
});

describe('absurd durations are bounded too', () => {
  it('a billion business days, 1e305 hours, an update every 6 ms over 998 years', () => {
    const cache = new CalendarCache();
    const c = farCase({
      policies: {
        p: {
          calendar: 'dk',
          targets: {
            response: { within: { hours: 1e305 } },
            resolution: { within: { businessDays: 1_000_000_000 }, pausable: false },
            update: { first: { minutes: 0.0001 }, every: { minutes: 0.0001 } },
          },
        },
      },
    });
    const r = evalCase(c, { cache, explain: true }) as unknown as { targets: { metric: string; dueAt: string | null; missed?: number; trace: unknown[] }[] };
    expect(r.targets.map((t) => [t.metric, t.dueAt])).toEqual([
      ['response', null],
      ['resolution', null],
      ['update', '2999-06-03T06:00:00.006Z'],
    ]);
    expect(r.targets[2]?.missed).toBe(Math.floor((121_571_340 * 60_000) / 6));
    const cal = cache.get(office, 'dk');
    expect(cal.work.days).toBeLessThan(50_000);
    expect(cal.cached.years).toBeLessThanOrEqual(1_000);
    for (const t of r.targets) expect(t.trace.length).toBeLessThan(200);
  });
});

describe('zone offset changes', () => {
  it('a change exactly at the start of a UTC year is found (year summaries compile the days around it exactly)', async () => {
    const { ZoneOffsets } = await import('../../../core/sla/time.js');
    const z = new ZoneOffsets('Europe/London');
    // fake: a zone whose offset changes at 2030-01-01T00:00Z
    const at = Date.UTC(2030, 0, 1);
    (z as unknown as { raw: (t: number) => number }).raw = (t: number) => (t < at ? 0 : 60);
    expect(z.transitions(Date.UTC(2029, 6, 1), Date.UTC(2030, 6, 1))).toEqual([at]);
  });
});

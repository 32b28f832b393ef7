/**
 * The engine's caches give the answers they cache: zone offsets (per UTC
 * year, and the constant-offset stretch of the last look-up) across DST
 * changes and year ends, whatever the order of the look-ups; public holidays
 * computed with the library's "public only" and UTC options are the dates of the
 * public ones of the full list; the buffers an evaluation reuses from ticket
 * to ticket carry nothing over (a result does not depend on what was
 * evaluated before it).
 */
import { describe, expect, it } from 'vitest';
import Holidays from 'date-holidays';
import { IANAZone } from 'luxon';
import fc from 'fast-check';
import { ZoneOffsets, isValidZone, utcYear } from '../../../core/sla/time.js';
import { evalCase } from '../../../core/sla/index.js';
import { caseArb } from './gen.js';
import { publicHolidays } from '../../../core/sla/holidays.js';

const DAY = 86_400_000;
const ZONES = ['Europe/Copenhagen', 'America/New_York', 'Australia/Sydney', 'America/St_Johns', 'Australia/Lord_Howe', 'Africa/Casablanca', 'Asia/Kolkata', 'Pacific/Apia'];

/** Instants around every offset change of 2025-2027 and around the year ends, by luxon, each ±1 ms. */
function probes(zone: string): number[] {
  const z = IANAZone.create(zone);
  const out: number[] = [];
  for (const y of [2025, 2026, 2027, 2028]) for (const d of [-3_600_000, -1, 0, 1, 3_600_000]) out.push(Date.UTC(y, 0, 1) + d);
  for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2028, 0, 1); t += 6 * 3_600_000) {
    if (z.offset(t) === z.offset(t + 6 * 3_600_000)) continue;
    // the change is in (t, t + 6 h]: find it to the millisecond
    let lo = t;
    let hi = t + 6 * 3_600_000;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (z.offset(mid) === z.offset(t)) lo = mid;
      else hi = mid;
    }
    for (const d of [-DAY, -60_000, -1, 0, 1, 60_000, DAY]) out.push(hi + d);
  }
  return out;
}

describe('zone offsets', () => {
  it.each(ZONES)("%s: the cached offset is luxon's around each DST change and year end, in any order of look-up", (zone) => {
    const want = IANAZone.create(zone);
    const ts = probes(zone);
    expect(ts.length).toBeGreaterThanOrEqual(20);
    const orders = [ts, [...ts].reverse(), ts.map((_, i) => ts[(i * 7919) % ts.length] as number)];
    for (const order of orders) {
      const z = new ZoneOffsets(zone); // a fresh cache per order
      for (const t of order) expect([new Date(t).toISOString(), z.offset(t)]).toEqual([new Date(t).toISOString(), want.offset(t)]);
    }
  });

  it("every zone Intl knows: the offsets read from ICU's text equal luxon's, at year ends and mid-years across the supported range", () => {
    const zones = Intl.supportedValuesOf('timeZone');
    expect(zones.length).toBeGreaterThan(300);
    const ts = [2000, 2001, 2026, 2037, 2100, 2999].flatMap((y) => [Date.UTC(y, 0, 1), Date.UTC(y, 0, 1) - 1, Date.UTC(y, 3, 1, 12), Date.UTC(y, 6, 15, 3, 30, 0, 1), Date.UTC(y, 10, 1)]);
    for (const zone of zones) {
      const want = IANAZone.create(zone);
      const z = new ZoneOffsets(zone);
      for (const t of ts) expect([zone, new Date(t).toISOString(), z.offset(t)]).toEqual([zone, new Date(t).toISOString(), want.offset(t)]);
    }
  });

  it('transitions() lists the changes luxon sees, to the millisecond', () => {
    const z = new ZoneOffsets('Europe/Copenhagen');
    expect(z.transitions(Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1)).map((t) => new Date(t).toISOString())).toEqual(['2026-03-29T01:00:00.000Z', '2026-10-25T01:00:00.000Z']);
  });

  it('isValidZone remembers valid zones only: a wrong name stays wrong after right ones', () => {
    for (let i = 0; i < 2; i++) {
      expect(['Europe/Oslo', 'America/St_Johns', 'Europe/Osloo', 'europe/oslo ', '', 'UTC+2'].map(isValidZone)).toEqual([true, true, false, false, false, false]);
    }
  });

  it('utcYear is the UTC year of an instant, at the edges of years and of the supported range', () => {
    for (const y of [1999, 2000, 2024, 2025, 2100, 2400, 2999, 3000]) {
      for (const d of [-1, 0, 1, 59 * DAY]) {
        const t = Date.UTC(y, 0, 1) + d;
        expect(utcYear(t)).toBe(new Date(t).getUTCFullYear());
      }
    }
  });
});

describe('public holidays', () => {
  const full = (country: string, region: string | undefined, year: number): number[] => {
    const hd = region ? new Holidays(country, region) : new Holidays(country);
    return [
      ...new Set(
        hd
          .getHolidays(year)
          .filter((h) => h.type === 'public')
          .map((h) => Math.floor(Date.parse(`${h.date.slice(0, 10)}T00:00:00Z`) / DAY)),
      ),
    ].sort((a, b) => a - b);
  };
  it.each([
    ['DK', undefined],
    ['NO', undefined],
    ['NL', undefined],
    ['SE', undefined],
    ['DE', 'BY'],
    ['US', undefined],
    ['AU', 'NSW'],
    ['CA', undefined],
    ['IN', undefined],
  ])('%s %s: computed "public only", in UTC, they are the public ones of the full list', (country, region) => {
    for (const y of [2000, 2025, 2026, 2027, 2999]) expect([y, [...publicHolidays(country, region, y)].sort((a, b) => a - b)]).toEqual([y, full(country, region, y)]);
  });
});

describe('buffers reused from ticket to ticket', () => {
  it('give every ticket the result it gets alone, whatever came before (long histories before short ones, explained or not)', () => {
    const cases = fc.sample(caseArb(), { numRuns: 300, seed: 19 });
    const c0 = cases[0] as (typeof cases)[number];
    // a long history: many statuses and updates, so that a later, shorter ticket would see their leftovers
    const extra = Array.from({ length: 40 }, (_, i) => ({
      type: i % 3 ? 'status' : 'update_logged',
      at: new Date(Date.parse(c0.now) - (40 - i) * 60_000).toISOString(),
      status: i % 2 ? 'waiting_on_customer' : 'open',
    }));
    const long = { ...c0, events: [...c0.events, ...extra] };
    const opts = { explain: true, schedule: true };
    const alone = cases.map((c) => {
      evalCase({ ...c, id: 'first' }); // before it, the buffers hold only its own history
      return JSON.stringify(evalCase(c, opts));
    });
    const after = cases.map((c, i) => {
      evalCase(long, { explain: i % 2 === 0 });
      evalCase(cases[(i * 37) % cases.length]);
      return JSON.stringify(evalCase(c, opts));
    });
    expect(after).toEqual(alone);
  });
});

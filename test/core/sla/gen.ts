/**
 * fast-check generators of random SLA cases (calendars in DST zones,
 * policies, event histories) for the property tests and the benchmark.
 * All times are whole minutes (the reference counts minute by minute).
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import type { RefCase } from './reference.js';

export const ZONES = ['Europe/Copenhagen', 'Europe/Oslo', 'Europe/Amsterdam', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'America/St_Johns'] as const;
const COUNTRY: Record<string, string> = {
  'Europe/Copenhagen': 'DK',
  'Europe/Oslo': 'NO',
  'Europe/Amsterdam': 'NL',
  'America/New_York': 'US',
  'Australia/Sydney': 'AU',
  'Asia/Kolkata': 'IN',
  'America/St_Johns': 'CA',
};
/** Dates near DST changes and holidays, where bugs live. */
const BASE_DATES = [
  '2026-03-08',
  '2026-03-29',
  '2026-10-25',
  '2026-11-01',
  '2026-04-05',
  '2026-10-04',
  '2025-03-30',
  '2025-10-26',
  '2025-11-02',
  '2026-04-01',
  '2026-04-24',
  '2026-05-13',
  '2026-05-15',
  '2026-12-22',
  '2026-12-30',
  '2027-03-28',
  '2026-06-05',
  '2026-07-01',
];
const TIMES = [
  '00:00',
  '00:30',
  '01:00',
  '01:30',
  '02:00',
  '02:30',
  '03:00',
  '03:30',
  '06:00',
  '07:30',
  '08:00',
  '09:00',
  '12:00',
  '12:30',
  '13:00',
  '15:30',
  '16:00',
  '17:00',
  '20:00',
  '22:00',
  '23:00',
  '23:30',
  '24:00',
];
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const STATUSES = ['open', 'waiting_on_customer', 'waiting_on_vendor', 'resolved', 'closed'];

const pairsArb = fc
  .integer({ min: 0, max: 2 })
  .chain((k) => (k === 0 ? fc.constant([] as string[]) : fc.uniqueArray(fc.constantFrom(...TIMES), { minLength: 2 * k, maxLength: 2 * k })))
  .map((ts) => {
    const sorted = [...ts].sort();
    const out: [string, string][] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) out.push([sorted[i] as string, sorted[i + 1] as string]);
    return out;
  });

const dayOffsetArb = fc.integer({ min: -4, max: 8 });

function addDays(date: string, n: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days: n }).toISODate() as string;
}

export function calendarArb(zone: string, base: string) {
  const weekArb = fc.oneof(
    { weight: 1, arbitrary: fc.constant('24x7' as const) },
    {
      weight: 6,
      arbitrary: fc
        .tuple(...DAYS.map(() => pairsArb))
        .filter((days) => days.filter((d) => d.length > 0).length >= 2)
        .map((days) => Object.fromEntries(DAYS.map((d, i) => [d, days[i]]))),
    },
  );
  return fc.record(
    {
      timezone: fc.constant(zone),
      week: weekArb,
      holidays: fc.option(fc.constant({ country: COUNTRY[zone] as string }), { nil: undefined, freq: 2 }),
      closed: fc.option(
        fc.uniqueArray(
          dayOffsetArb.map((n) => addDays(base, n)),
          { maxLength: 2 },
        ),
        { nil: undefined, freq: 2 },
      ),
      special: fc.option(
        fc.dictionary(
          dayOffsetArb.map((n) => addDays(base, n)),
          pairsArb,
          { maxKeys: 2 },
        ),
        { nil: undefined, freq: 2 },
      ),
    },
    { requiredKeys: ['timezone', 'week'] },
  );
}

const openDur = fc.oneof(
  fc.constantFrom(0, 1, 15, 30, 45, 60, 90, 120, 240, 480, 600).map((minutes) => ({ minutes })),
  fc.constantFrom(1, 2, 4, 8, 12, 24).map((hours) => ({ hours })),
);
const fixedDur = fc.oneof(
  fc.integer({ min: 0, max: 4 }).map((businessDays) => ({ businessDays })),
  fc.constantFrom('00:00', '08:00', '12:00', '15:30', '16:00', '24:00').map((cutoff) => ({ nextBusinessDay: { cutoff } })),
);

function targetArb(metric: 'response' | 'resolution', calIds: string[]) {
  return fc.oneof(
    fc.record(
      {
        within: openDur,
        pausable: fc.option(fc.boolean(), { nil: undefined }),
        calendar: fc.option(fc.constantFrom(...calIds), { nil: undefined }),
        ...(metric === 'resolution' ? { startsAt: fc.option(fc.constantFrom('created', 'response'), { nil: undefined }) } : {}),
      },
      { requiredKeys: ['within'] },
    ),
    fc.record(
      {
        within: fixedDur,
        pausable: fc.constant(false),
        calendar: fc.option(fc.constantFrom(...calIds), { nil: undefined }),
        ...(metric === 'resolution' ? { startsAt: fc.option(fc.constantFrom('created', 'response'), { nil: undefined }) } : {}),
      },
      { requiredKeys: ['within', 'pausable'] },
    ),
  );
}

function updateArb(calIds: string[]) {
  return fc.record(
    {
      first: fc.oneof(
        fc.constantFrom(0, 15, 30, 60, 120).map((minutes) => ({ minutes })),
        fc.constantFrom(1, 2).map((hours) => ({ hours })),
      ),
      every: fc.oneof(
        fc.constantFrom(15, 30, 60, 90).map((minutes) => ({ minutes })),
        fc.constantFrom(1, 2, 4).map((hours) => ({ hours })),
      ),
      pausable: fc.option(fc.boolean(), { nil: undefined }),
      calendar: fc.option(fc.constantFrom(...calIds), { nil: undefined }),
      startsAt: fc.option(fc.constantFrom('created', 'response'), { nil: undefined }),
    },
    { requiredKeys: ['first', 'every'] },
  );
}

function policyArb(calIds: string[]) {
  return fc
    .record(
      {
        calendar: fc.constantFrom(...calIds),
        pauseWhen: fc.option(fc.subarray(['waiting_on_customer', 'waiting_on_vendor']), { nil: undefined }),
        targets: fc.record({ response: targetArb('response', calIds), resolution: targetArb('resolution', calIds), update: updateArb(calIds) }, { requiredKeys: [] }),
      },
      { requiredKeys: ['calendar', 'targets'] },
    )
    .filter((p) => Object.keys(p.targets).length > 0);
}

const minutesAfterArb = fc.oneof(fc.integer({ min: 0, max: 240 }), fc.integer({ min: 0, max: 3 * 1440 }));

function eventArb() {
  return fc.oneof(
    fc.record({ type: fc.constant('responded'), m: minutesAfterArb }),
    { arbitrary: fc.record({ type: fc.constant('status'), m: minutesAfterArb, status: fc.constantFrom(...STATUSES) }), weight: 3 },
    fc.record({ type: fc.constant('update_logged'), m: minutesAfterArb }),
    fc.record({ type: fc.constant('policy_changed'), m: minutesAfterArb }),
  );
}

const OFFSET_ZONES = ['UTC', 'UTC+2', 'UTC-3:30', 'UTC+5:30', 'UTC+11', 'UTC-5'];

/** A random case in the `vakt sla eval` format (with an id). */
export function caseArb(): fc.Arbitrary<RefCase & { id: string }> {
  return fc
    .record({ zone: fc.constantFrom(...ZONES), zone2: fc.constantFrom(...ZONES), base: fc.constantFrom(...BASE_DATES), twoCals: fc.boolean() })
    .chain(({ zone, zone2, base, twoCals }) => {
      const calIds = twoCals ? ['c1', 'c2'] : ['c1'];
      return fc.record({
        zone: fc.constant(zone),
        base: fc.constant(base),
        calendars: twoCals ? fc.record({ c1: calendarArb(zone, base), c2: calendarArb(zone2, base) }) : fc.record({ c1: calendarArb(zone, base) }),
        p: policyArb(calIds),
        q: policyArb(calIds),
        createdMin: fc.integer({ min: -2 * 1440, max: 2 * 1440 }),
        events: fc.array(eventArb(), { maxLength: 8 }),
        nowMin: fc.oneof(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 0, max: 4 * 1440 })),
        fmt: fc.array(fc.constantFrom(...OFFSET_ZONES), { minLength: 10, maxLength: 10 }),
      });
    })
    .map((r) => {
      const C = DateTime.fromISO(r.base, { zone: 'UTC' }).toMillis() + r.createdMin * 60_000;
      const iso = (t: number, i: number): string => DateTime.fromMillis(t, { zone: r.fmt[i % r.fmt.length] as string }).toISO() as string;
      const events: RefCase['events'] = [{ type: 'created', at: iso(C, 0), policy: 'p' }];
      r.events.forEach((e, i) => {
        const at = iso(C + e.m * 60_000, i + 1);
        if (e.type === 'status') events.push({ type: 'status', at, status: (e as { status: string }).status });
        else if (e.type === 'policy_changed') events.push({ type: 'policy_changed', at, policy: 'q' });
        else events.push({ type: e.type, at });
      });
      return {
        id: `prop-${C}`,
        calendars: r.calendars as RefCase['calendars'],
        policies: { p: r.p as RefCase['policies'][string], q: r.q as RefCase['policies'][string] },
        events,
        now: iso(C + r.nowMin * 60_000, 3),
      };
    });
}

import { describe, expect, it } from 'vitest';
import { checkContract, compileCalendar, evalCase, evalLine, SlaError } from '../../../core/sla/index.js';

const WD = { mon: [['08:00', '16:00']], tue: [['08:00', '16:00']], wed: [['08:00', '16:00']], thu: [['08:00', '16:00']], fri: [['08:00', '16:00']], sat: [], sun: [] };
const cal = (over: Record<string, unknown> = {}): Record<string, unknown> => ({ timezone: 'Europe/Copenhagen', week: WD, holidays: { country: 'DK' }, ...over });
const pol = (over: Record<string, unknown> = {}): Record<string, unknown> => ({ calendar: 'office', targets: { response: { within: { hours: 1 } } }, ...over });
const base = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'x',
  calendars: { office: cal() },
  policies: { p: pol() },
  events: [{ type: 'created', at: '2026-06-02T10:00:00+02:00', policy: 'p' }],
  now: '2026-06-02T10:00:00+02:00',
  ...over,
});
function err(c: unknown): { code: string; message: string } {
  const r = evalCase(c) as { error?: { code: string; message: string } };
  expect(r.error, JSON.stringify(r)).toBeDefined();
  return r.error as { code: string; message: string };
}

describe('invalid_json', () => {
  it('unparsable line', () => expect(evalLine('{"id":')).toEqual({ error: { code: 'invalid_json', message: expect.stringContaining('not valid JSON') } }));
  it('not an object', () => expect(err([1]).code).toBe('invalid_json'));
});

describe('invalid_calendar names the field and the rule', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    [
      'overlap',
      {
        week: {
          ...WD,
          tue: [
            ['08:00', '16:00'],
            ['15:00', '17:00'],
          ],
        },
      },
      'calendars.office.week.tue[1]: overlaps [08:00,16:00)',
    ],
    [
      'unsorted',
      {
        week: {
          ...WD,
          tue: [
            ['12:00', '16:00'],
            ['08:00', '10:00'],
          ],
        },
      },
      'calendars.office.week.tue[1]: not sorted: starts before [12:00,16:00)',
    ],
    ['start >= end', { week: { ...WD, mon: [['16:00', '08:00']] } }, 'calendars.office.week.mon[0]: start 16:00 must be before end 08:00'],
    ['bad wall time', { week: { ...WD, mon: [['8:00', '16:00']] } }, 'calendars.office.week.mon[0][0]: start must be a wall time'],
    ['25:00', { week: { ...WD, mon: [['08:00', '25:00']] } }, 'calendars.office.week.mon[0][1]'],
    ['missing day', { week: { mon: [] } }, 'calendars.office.week.tue: missing'],
    ['unknown day', { week: { ...WD, mo: [] } }, 'calendars.office.week.mo: unknown day'],
    ['bad week', { week: '24/7' }, 'calendars.office.week: must be "24x7"'],
    ['bad zone', { timezone: 'Europe/Kobenhavn' }, 'calendars.office.timezone: must be an IANA time zone'],
    ['bad country', { holidays: { country: 'XX' } }, 'calendars.office.holidays.country'],
    ['bad region', { holidays: { country: 'DK', region: 'ZZ' } }, 'calendars.office.holidays.region'],
    ['bad closed date', { closed: ['2026-02-30'] }, 'calendars.office.closed[0]: must be a real date'],
    ['bad special', { special: { '2026-12-23': [['12:00', '08:00']] } }, 'calendars.office.special.2026-12-23[0]'],
    ['unknown field', { holiday: { country: 'DK' } }, 'calendars.office.holiday: unknown field'],
    ['id mismatch', { id: 'other' }, 'calendars.office.id: "other" does not match its key "office"'],
  ];
  for (const [name, over, msg] of cases)
    it(name, () => {
      const e = err(base({ calendars: { office: cal(over) } }));
      expect(e.code).toBe('invalid_calendar');
      expect(e.message).toContain(msg);
    });
  it('compileCalendar throws SlaError', () => expect(() => compileCalendar(cal({ week: 'x' }), 'office')).toThrow(SlaError));
  it('a pair may touch the next one and end at 24:00', () =>
    expect(
      checkContract({
        calendars: {
          c: cal({
            week: {
              ...WD,
              sat: [
                ['00:00', '12:00'],
                ['12:00', '24:00'],
              ],
            },
          }),
        },
        policies: {},
      }),
    ).toEqual([]));
});

describe('invalid_policy', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['unknown calendar', pol({ calendar: 'nope' }), 'policies.p.calendar: unknown calendar "nope"'],
    ['unknown target calendar', pol({ targets: { response: { within: { hours: 1 }, calendar: 'nope' } } }), 'policies.p.targets.response.calendar: unknown calendar'],
    ['negative duration', pol({ targets: { response: { within: { hours: -1 } } } }), 'policies.p.targets.response.within.hours: must not be negative'],
    ['unknown duration', pol({ targets: { response: { within: { days: 1 } } } }), 'policies.p.targets.response.within.days: unknown duration kind'],
    ['two durations', pol({ targets: { response: { within: { hours: 1, minutes: 5 } } } }), 'exactly one'],
    ['pausable businessDays', pol({ targets: { response: { within: { businessDays: 1 }, pausable: true } } }), 'policies.p.targets.response.pausable: businessDays targets are not pausable'],
    [
      'pausable by default nextBusinessDay',
      pol({ targets: { resolution: { within: { nextBusinessDay: { cutoff: '16:00' } } } } }),
      'policies.p.targets.resolution.pausable: nextBusinessDay targets are not pausable',
    ],
    ['bad cutoff', pol({ targets: { resolution: { within: { nextBusinessDay: { cutoff: '4pm' } }, pausable: false } } }), 'cutoff: must be a wall time'],
    ['update every 0', pol({ targets: { update: { first: { hours: 1 }, every: { minutes: 0 } } } }), 'policies.p.targets.update.every: must be more than 0'],
    ['update in business days', pol({ targets: { update: { first: { businessDays: 1 }, every: { hours: 1 } } } }), 'policies.p.targets.update.first.businessDays'],
    ['unknown pause status', pol({ pauseWhen: ['lunch'] }), 'policies.p.pauseWhen[0]: unknown status'],
    ['unknown target', pol({ targets: { reply: { within: { hours: 1 } } } }), 'policies.p.targets.reply: unknown target'],
    ['bad startsAt', pol({ targets: { resolution: { within: { hours: 1 }, startsAt: 'later' } } }), 'policies.p.targets.resolution.startsAt'],
  ];
  for (const [name, p, msg] of cases)
    it(name, () => {
      const e = err(base({ policies: { p } }));
      expect(e.code).toBe('invalid_policy');
      expect(e.message).toContain(msg);
    });
});

describe('invalid_events', () => {
  const created = { type: 'created', at: '2026-06-02T10:00:00+02:00', policy: 'p' };
  const cases: [string, unknown[], string][] = [
    ['unknown type', [created, { type: 'reopened', at: '2026-06-02T11:00:00+02:00' }], 'events[1].type: unknown event type "reopened"'],
    ['unknown status', [created, { type: 'status', at: '2026-06-02T11:00:00+02:00', status: 'done' }], 'events[1].status: unknown status "done"'],
    ['time without offset', [created, { type: 'responded', at: '2026-06-02T11:00:00' }], 'events[1].at: must be an ISO-8601 time with an offset'],
    ['unknown policy', [created, { type: 'policy_changed', at: '2026-06-02T11:00:00+02:00', policy: 'gold' }], 'events[1].policy: unknown policy "gold"'],
    ['no created', [{ type: 'responded', at: '2026-06-02T11:00:00+02:00' }], 'events: needs exactly one "created" event'],
    ['two created', [created, created], 'events[1]: a second "created" event'],
    ['before created', [created, { type: 'responded', at: '2026-06-02T09:00:00+02:00' }], 'events[1].at: is before the "created" event'],
    ['not a list', 'nope' as unknown as unknown[], 'events: must be a list'],
  ];
  for (const [name, events, msg] of cases)
    it(name, () => {
      const e = err(base({ events }));
      expect(e.code).toBe('invalid_events');
      expect(e.message).toContain(msg);
    });
  it('now without offset', () => expect(err(base({ now: '2026-06-02T10:00:00' })).message).toContain('now: must be an ISO-8601 time with an offset'));
  it('keeps the id on error results', () => expect(evalCase(base({ now: 'x' }))).toMatchObject({ id: 'x', error: { code: 'invalid_events' } }));
});

describe('checkContract', () => {
  it('collects every problem with its path', () => {
    const issues = checkContract({
      calendars: { a: cal({ timezone: 'Mars/Olympus' }) },
      policies: { p: pol({ calendar: 'a', targets: { response: { within: { hours: -2 } } } }) },
      wording: { q: 'x' },
    });
    expect(issues.map((i) => i.path)).toEqual(['calendars.a.timezone', 'policies.p.targets.response.within.hours', 'wording["q"]']);
  });
});

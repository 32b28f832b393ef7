/**
 * Instants at the engine's entry (`vakt sla eval`) are bounded to the one
 * supported range (core/time-range.ts), and every instant it prints is plain
 * ISO-8601 with a four-digit year: a deadline past the range is null.
 */
import { describe, expect, it } from 'vitest';
import { evalCase, evaluateTicket, loadContract } from '../../../core/sla/index.js';
import { sla } from './cli.js';

const WD = { mon: [['08:00', '16:00']], tue: [['08:00', '16:00']], wed: [['08:00', '16:00']], thu: [['08:00', '16:00']], fri: [['08:00', '16:00']], sat: [], sun: [] };
const office = { timezone: 'Europe/Copenhagen', week: WD, holidays: { country: 'DK' } };
const policies = {
  p: {
    calendar: 'office',
    targets: { response: { within: { hours: 24 } }, resolution: { within: { businessDays: 5 }, pausable: false }, update: { first: { hours: 8 }, every: { hours: 8 } } },
  },
  nbd: { calendar: 'office', targets: { resolution: { within: { nextBusinessDay: { cutoff: '16:00' } }, pausable: false } } },
};
const base = (created: string, now: string, policy = 'p'): Record<string, unknown> => ({
  id: 'r',
  calendars: { office },
  policies,
  events: [{ type: 'created', at: created, policy }],
  now,
});

describe('instants outside 2000-01-01..2999-12-31 are invalid_events', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['an event in year 9999', base('9999-12-28T10:00:00Z', '9999-12-28T10:00:00Z'), 'events[0].at: must be between 2000-01-01 and 2999-12-31 (UTC), got "9999-12-28T10:00:00Z"'],
    ['an event before 2000', base('1999-12-31T23:59:59.999Z', '2026-01-01T00:00:00Z'), 'events[0].at: must be between 2000-01-01 and 2999-12-31 (UTC)'],
    ['now in year 3000 (offset)', base('2999-12-31T10:00:00Z', '3000-01-01T01:30:00+01:00'), 'now: must be between 2000-01-01 and 2999-12-31 (UTC), got "3000-01-01T01:30:00+01:00"'],
    ['now from 3000-01-01', base('2999-12-31T10:00:00Z', '3000-01-01T00:00:00Z'), 'now: must be between'],
  ];
  for (const [name, c, msg] of cases) {
    it(name, () => {
      const r = evalCase(c) as { error?: { code: string; message: string } };
      expect(r.error?.code, JSON.stringify(r)).toBe('invalid_events');
      expect(r.error?.message).toContain(msg);
    });
  }
  it('the range edges themselves are accepted', () => {
    const r = evalCase(base('2000-01-01T00:00:00Z', '2999-12-31T23:59:59.999Z')) as { error?: unknown };
    expect(r.error).toBeUndefined();
  });
  it('vakt sla eval answers the error on the case line and goes on', async () => {
    const lines = [base('9999-12-28T10:00:00Z', '9999-12-28T10:00:00Z'), base('2026-06-01T10:00:00Z', '2026-06-01T11:00:00Z')].map((c) => JSON.stringify(c)).join('\n');
    const r = await sla(['eval'], lines + '\n');
    expect(r.code).toBe(0);
    const out = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { error?: { code: string; message: string }; targets?: unknown[] });
    expect(out[0]?.error).toEqual({ code: 'invalid_events', message: expect.stringContaining('events[0].at: must be between 2000-01-01 and 2999-12-31 (UTC)') });
    expect(out[1]?.targets).toHaveLength(3);
  });
});

/** Every instant string anywhere in a result. */
function instants(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string' && /^[+-]?\d{4,6}-\d{2}-\d{2}T/.test(v)) out.push(v);
  else if (Array.isArray(v)) for (const x of v) instants(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) instants(x, out);
  return out;
}

describe('no instant escapes the range', () => {
  it('deadlines past 2999-12-31 are null ("no deadline within the supported range"), never a 5-digit year', () => {
    // created on the last Tuesday of the range: 24 open hours, 5 business days and the next update all fall in year 3000
    const c = base('2999-12-31T10:00:00Z', '2999-12-31T20:00:00Z');
    const r = evalCase(c, { schedule: true, explain: true }) as { targets: { metric: string; dueAt: string | null; state: string; trace: { note?: string }[] }[]; nextChangeAt: string | null };
    expect(r.targets.map((t) => [t.metric, t.state, t.dueAt])).toEqual([
      ['response', 'running', null],
      ['resolution', 'running', null],
      ['update', 'running', null],
    ]);
    for (const t of r.targets)
      expect(
        t.trace.some((i) => /no deadline within the supported range/.test(i.note ?? '')),
        JSON.stringify(t.trace),
      ).toBe(true);
    for (const s of instants(r)) expect(s).toMatch(/^2\d{3}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });
  it('a deadline on the last millisecond passes outside the range: no nextChangeAt for it (a scheduler would evaluate at 3000-01-01)', () => {
    const c = {
      calendars: { u: { timezone: 'UTC', week: '24x7' } },
      policies: { p: { calendar: 'u', targets: { response: { within: { minutes: 1 } } } } },
      events: [{ type: 'created', at: '2999-12-31T23:58:59.999Z', policy: 'p' }],
      now: '2999-12-31T23:59:59.000Z',
    };
    const r = evalCase(c, { schedule: true }) as { targets: { dueAt: string | null }[]; nextChangeAt: string | null };
    expect(r.targets[0]?.dueAt).toBe('2999-12-31T23:59:59.999Z');
    expect(r.nextChangeAt).toBeNull();
  });
  it('the next business day after the range is null too', () => {
    const r = evalCase(base('2999-12-31T16:30:00Z', '2999-12-31T17:00:00Z', 'nbd'), { schedule: true }) as { targets: { dueAt: string | null }[]; nextChangeAt: string | null };
    expect(r.targets[0]?.dueAt).toBeNull();
    for (const s of instants(r)) expect(s).toMatch(/^2\d{3}-/);
  });
});

describe('evaluateTicket refuses instants outside the range', () => {
  it('names the instant and the range', () => {
    const c = loadContract({ calendars: { office }, policies });
    const ev = (at: number, now: number) => () => evaluateTicket({ events: [{ type: 'created', at, policy: 'p' }], policies: c.policies, calendars: c.calendars, now });
    expect(ev(Date.UTC(2026, 0, 1), 8.64e15)).toThrow('evaluateTicket: now +275760-09-13T00:00:00.000Z is not between 2000-01-01 and 2999-12-31 (UTC)');
    expect(ev(5, Date.UTC(2026, 0, 1))).toThrow('evaluateTicket: events[0].at 1970-01-01T00:00:00.005Z is not between 2000-01-01 and 2999-12-31 (UTC)');
  });
});

import { describe, expect, it } from 'vitest';
import { CalendarCache, compileCalendar, evalCase, evaluateTicket, loadContract, parseInstant } from '../../../core/sla/index.js';
import type { TicketEvent } from '../../../core/sla/index.js';

const WD = { mon: [['08:00', '16:00']], tue: [['08:00', '16:00']], wed: [['08:00', '16:00']], thu: [['08:00', '16:00']], fri: [['08:00', '16:00']], sat: [], sun: [] };
const at = (s: string): number => parseInstant(s) as number;

describe('calendars', () => {
  const dk = compileCalendar({ id: 'dk', timezone: 'Europe/Copenhagen', week: WD, holidays: { country: 'DK' } });
  it('1 May 2026 is a working day in DK; Store bededag is gone; Easter is closed', () => {
    expect(dk.isOpen(at('2026-05-01T10:00:00+02:00'))).toBe(true);
    expect(dk.isOpen(at('2026-05-08T10:00:00+02:00'))).toBe(true); // would have been Store bededag (4th Friday after Easter)
    expect(dk.isOpen(at('2026-04-02T10:00:00+02:00'))).toBe(false); // Maundy Thursday
    expect(dk.isOpen(at('2026-12-24T10:00:00+01:00'))).toBe(true); // Christmas Eve is not a public holiday
  });
  it("King's Day is closed in NL", () => {
    const nl = compileCalendar({ id: 'nl', timezone: 'Europe/Amsterdam', week: WD, holidays: { country: 'NL' } });
    expect(nl.isOpen(at('2026-04-27T10:00:00+02:00'))).toBe(false);
    expect(nl.isOpen(at('2026-04-03T10:00:00+02:00'))).toBe(true); // Good Friday is not a public holiday in NL
  });
  it('DST: the fall-back day is 25 h open, spring-forward 23 h; gap wall times move forward; overlaps mean the first occurrence', () => {
    const c = compileCalendar({ id: 'c', timezone: 'Europe/Copenhagen', week: '24x7' });
    expect(c.openMs(at('2026-10-25T00:00:00+02:00'), at('2026-10-26T00:00:00+01:00'))).toBe(25 * 3_600_000);
    expect(c.openMs(at('2026-03-29T00:00:00+01:00'), at('2026-03-30T00:00:00+02:00'))).toBe(23 * 3_600_000);
    expect(c.wallToInstant(c.localDay(at('2026-03-29T12:00:00+02:00')), 2.5 * 3_600_000)).toBe(at('2026-03-29T03:30:00+02:00'));
    expect(c.wallToInstant(c.localDay(at('2026-10-25T12:00:00+01:00')), 2.5 * 3_600_000)).toBe(at('2026-10-25T02:30:00+02:00'));
  });
  it('special days win over week, holidays and closed', () => {
    const c = compileCalendar({
      id: 'c',
      timezone: 'Europe/Copenhagen',
      week: WD,
      holidays: { country: 'DK' },
      closed: ['2026-12-23'],
      special: { '2026-12-23': [['08:00', '12:00']], '2026-12-25': [['10:00', '11:00']] },
    });
    expect(c.isOpen(at('2026-12-23T11:00:00+01:00'))).toBe(true);
    expect(c.isOpen(at('2026-12-23T13:00:00+01:00'))).toBe(false);
    expect(c.isOpen(at('2026-12-25T10:30:00+01:00'))).toBe(true);
  });
  it('splits an interval into open and closed pieces (billing)', () => {
    expect(dk.split(at('2026-06-01T07:00:00+02:00'), at('2026-06-01T17:00:00+02:00'))).toEqual([
      { from: at('2026-06-01T07:00:00+02:00'), to: at('2026-06-01T08:00:00+02:00'), open: false },
      { from: at('2026-06-01T08:00:00+02:00'), to: at('2026-06-01T16:00:00+02:00'), open: true },
      { from: at('2026-06-01T16:00:00+02:00'), to: at('2026-06-01T17:00:00+02:00'), open: false },
    ]);
  });
  it('adding N open minutes ending exactly at a close gives that close', () => {
    expect(dk.addOpen(at('2026-06-01T12:00:00+02:00'), 4 * 3_600_000)).toBe(at('2026-06-01T16:00:00+02:00'));
    expect(dk.addOpen(at('2026-06-01T12:00:00+02:00'), 0)).toBe(at('2026-06-01T12:00:00+02:00'));
  });
  it('a calendar cache compiles each content once', () => {
    const cache = new CalendarCache();
    const json = { timezone: 'Europe/Oslo', week: '24x7' };
    expect(cache.get(json, 'a')).toBe(cache.get({ ...json }, 'a'));
    expect(cache.get(json, 'a')).not.toBe(cache.get({ ...json, closed: ['2026-01-02'] }, 'a'));
  });
});

describe('evaluation extras', () => {
  const contract = loadContract({
    calendars: { office: { timezone: 'Europe/Copenhagen', week: WD, holidays: { country: 'DK' } } },
    policies: {
      normal: {
        calendar: 'office',
        pauseWhen: ['waiting_on_customer'],
        targets: { response: { within: { hours: 4 } }, resolution: { within: { hours: 8 } }, update: { first: { hours: 2 }, every: { hours: 4 } } },
      },
    },
  });
  const events: TicketEvent[] = [{ type: 'created', at: at('2026-06-01T08:00:00+02:00'), policy: 'normal' }];
  it('gives warning instants (75 % used, 15 min before) and the next change for the scheduler', () => {
    const r = evaluateTicket({ events, ...contract, now: at('2026-06-01T09:00:00+02:00') });
    const resp = r.targets[0];
    expect(resp?.warnAt).toEqual([at('2026-06-01T11:00:00+02:00'), at('2026-06-01T11:45:00+02:00')]);
    const upd = r.targets[2];
    expect(upd?.dueAt).toBe(at('2026-06-01T10:00:00+02:00'));
    expect(r.nextChangeAt).toBe(at('2026-06-01T09:30:00+02:00')); // update at 75 % of its 2 h
  });
  it('nextChangeAt is D + 1 ms for a deadline (D itself is met) and null when nothing runs', () => {
    const r = evaluateTicket({ events, ...contract, now: at('2026-06-01T11:59:00+02:00'), warnings: { percent: [], beforeMinutes: [] } });
    expect(r.nextChangeAt).toBe(at('2026-06-01T12:00:00+02:00') + 1);
    const done = evaluateTicket({
      events: [...events, { type: 'responded', at: at('2026-06-01T09:00:00+02:00') }, { type: 'status', at: at('2026-06-01T09:10:00+02:00'), status: 'closed' }],
      ...contract,
      now: at('2026-06-01T10:00:00+02:00'),
    });
    expect(done.nextChangeAt).toBeNull();
  });
  it('paused targets have no deadline unless it passed before the pause', () => {
    const ev: TicketEvent[] = [...events, { type: 'status', at: at('2026-06-01T09:00:00+02:00'), status: 'waiting_on_customer' }];
    const r = evaluateTicket({ events: ev, ...contract, now: at('2026-06-01T10:00:00+02:00') });
    expect(r.targets.map((t) => [t.metric, t.state, t.dueAt])).toEqual([
      ['response', 'running', at('2026-06-01T12:00:00+02:00')],
      ['resolution', 'paused', null],
      ['update', 'paused', null],
    ]);
  });
  it('--explain trace: counted / closed / paused stretches and the rule', () => {
    const r = evalCase(
      {
        calendars: { office: { timezone: 'Europe/Oslo', week: WD, holidays: { country: 'NO' } } },
        policies: { nbd: { calendar: 'office', targets: { resolution: { within: { nextBusinessDay: { cutoff: '16:00' } }, pausable: false } } } },
        events: [{ type: 'created', at: '2026-06-08T16:30:00+02:00', policy: 'nbd' }],
        now: '2026-06-09T09:00:00+02:00',
      },
      { explain: true },
    ) as { targets: { trace: { kind: string; note?: string; from?: string; minutes?: number }[] }[] };
    const trace = r.targets[0]?.trace ?? [];
    expect(trace.some((i) => i.kind === 'rule' && i.note?.includes('cut-off 16:00 passed'))).toBe(true);
    expect(trace.filter((i) => i.kind === 'closed')[0]).toMatchObject({ from: '2026-06-08T14:30:00.000Z', minutes: 930 });
    expect(trace.filter((i) => i.kind === 'counted')[0]).toMatchObject({ from: '2026-06-09T06:00:00.000Z', minutes: 60 });
  });
  it('--schedule adds warnAt and nextChangeAt to the JSON', () => {
    const r = evalCase(
      {
        calendars: { c: { timezone: 'Europe/Oslo', week: '24x7' } },
        policies: { p: { calendar: 'c', targets: { response: { within: { hours: 1 } } } } },
        events: [{ type: 'created', at: '2026-06-08T10:00:00Z', policy: 'p' }],
        now: '2026-06-08T10:00:00Z',
      },
      { schedule: true },
    );
    expect(r).toMatchObject({ nextChangeAt: '2026-06-08T10:45:00.000Z', targets: [{ warnAt: ['2026-06-08T10:45:00.000Z'] }] });
  });
  it('events after now are ignored and events may come in any order', () => {
    const c = {
      calendars: { c: { timezone: 'Europe/Oslo', week: '24x7' } },
      policies: { p: { calendar: 'c', targets: { response: { within: { hours: 1 } } } } },
      now: '2026-06-08T10:30:00Z',
    };
    const r = evalCase({
      ...c,
      events: [
        { type: 'responded', at: '2026-06-08T11:00:00Z' },
        { type: 'created', at: '2026-06-08T10:00:00Z', policy: 'p' },
      ],
    });
    expect(r).toMatchObject({ targets: [{ state: 'running', elapsedMinutes: 30, remainingMinutes: 30 }] });
  });
});

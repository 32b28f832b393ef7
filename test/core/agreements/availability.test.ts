import { describe, expect, it } from 'vitest';
import { mergeIntervals, monthAvailability, monthBounds, monthOf, outageIssues, servicesIssues } from '../../../core/agreements/availability.js';
import type { Outage, ServiceTarget } from '../../../core/agreements/availability.js';
import { compileCalendar } from '../../../core/sla/index.js';

const t = (iso: string): number => Date.parse(iso);
const connexys: ServiceTarget = { id: 'connexys-app', name: 'Connexys application', target: 99.5, timezone: 'Europe/Amsterdam' };

// A hand-made October 2026 in Amsterdam: DST ends on Sunday the 25th (03:00 CEST -> 02:00 CET),
// so the month has 31 * 24 + 1 = 745 hours = 44 700 minutes; 0.5 % of it is 223.5 minutes.
const acrossSeptember: Outage = { id: 'a', start: t('2026-09-30T23:00:00+02:00'), end: t('2026-10-01T01:30:00+02:00') }; // 60 in Sep, 90 in Oct
const acrossDst: Outage = { id: 'b', start: t('2026-10-25T01:30:00+02:00'), end: t('2026-10-25T02:30:00+01:00') }; // 120 real minutes, 1 h on the wall
const insideB: Outage = { id: 'c', start: t('2026-10-25T00:00:00Z'), end: t('2026-10-25T00:45:00Z') }; // another monitor, inside b: counts once
const acrossNovember: Outage = { id: 'd', start: t('2026-10-31T23:00:00+01:00'), end: t('2026-11-01T00:20:00+01:00') }; // 60 in Oct, 20 in Nov

describe('availability arithmetic', () => {
  const now = t('2026-12-01T12:00:00Z');
  it('a month with outages across both month boundaries and the DST change', () => {
    const r = monthAvailability(connexys, [acrossDst, acrossSeptember, insideB, acrossNovember], '2026-10', now);
    expect(r.periodMinutes).toBe(44_700);
    expect(r.allowedMinutes).toBe(223.5);
    expect(r.downMinutes).toBe(90 + 120 + 60);
    expect(r.availability).toBe(Math.round(((44_700 - 270) / 44_700) * 100 * 1000) / 1000); // 99.396
    expect(r.state).toBe('breached');
    expect(r.complete).toBe(true);
    expect(r.outages.map((o) => [o.id, o.minutes])).toEqual([
      ['a', 90],
      ['b', 120],
      ['c', 45],
      ['d', 60],
    ]);
    expect(r.from).toBe(t('2026-10-01T00:00:00+02:00'));
    expect(r.to).toBe(t('2026-11-01T00:00:00+01:00'));
  });
  it('the neighbouring months get their own parts; without the DST outage October is met', () => {
    expect(monthAvailability(connexys, [acrossSeptember], '2026-09', now)).toMatchObject({ periodMinutes: 43_200, downMinutes: 60, state: 'met' });
    expect(monthAvailability(connexys, [acrossNovember], '2026-11', now)).toMatchObject({ periodMinutes: 43_200, downMinutes: 20, state: 'met' });
    expect(monthAvailability(connexys, [acrossSeptember, acrossNovember], '2026-10', now)).toMatchObject({ downMinutes: 150, state: 'met' });
  });
  it('exactly the allowed time down is met; a second more is breached', () => {
    const from = t('2026-10-10T00:00:00Z');
    const exact: Outage = { id: 'x', start: from, end: from + 223.5 * 60_000 };
    expect(monthAvailability(connexys, [exact], '2026-10', now).state).toBe('met');
    expect(monthAvailability(connexys, [{ ...exact, end: (exact.end as number) + 1000 }], '2026-10', now).state).toBe('breached');
  });
  it('March with the spring DST change has 743 hours', () => {
    expect(monthAvailability(connexys, [], '2026-03', now)).toMatchObject({ periodMinutes: 743 * 60, downMinutes: 0, availability: 100, state: 'met' });
  });
  it('an open outage counts up to now, and a month not over is not complete', () => {
    const open: Outage = { id: 'o', start: t('2026-10-31T22:00:00Z'), end: null };
    const mid = t('2026-11-01T02:00:00Z');
    const r = monthAvailability(connexys, [open], '2026-11', mid);
    expect(r).toMatchObject({ downMinutes: 180, complete: false, state: 'met' });
    expect(r.outages).toEqual([{ id: 'o', start: open.start, end: null, minutes: 180 }]);
    expect(monthAvailability(connexys, [open], '2026-11', t('2026-11-30T00:00:00Z')).state).toBe('breached');
  });
  it('over a calendar, only its open time counts (measured time and time down)', () => {
    const office = compileCalendar(
      {
        timezone: 'Europe/Amsterdam',
        week: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']], sat: [], sun: [] },
      },
      'office',
    );
    const svc: ServiceTarget = { id: 's', name: 'S', target: 99, calendar: 'office' };
    // October 2026: 22 working days of 8 hours. Friday 16:00 to Monday 10:00 is 2 open hours.
    const weekend: Outage = { id: 'w', start: t('2026-10-02T16:00:00+02:00'), end: t('2026-10-05T10:00:00+02:00') };
    expect(monthAvailability(svc, [weekend], '2026-10', now, office)).toMatchObject({ periodMinutes: 22 * 8 * 60, downMinutes: 120, allowedMinutes: 105.6, state: 'breached' });
  });
  it('month bounds and helpers', () => {
    expect(monthBounds('2026-13', 'UTC')).toBeNull();
    expect(monthBounds('1999-12', 'UTC')).toBeNull();
    expect(monthOf(t('2026-10-31T23:30:00Z'), 'Europe/Amsterdam')).toBe('2026-11');
    expect(
      mergeIntervals([
        [5, 8],
        [1, 3],
        [2, 4],
        [8, 9],
        [10, 10],
      ]),
    ).toEqual([
      [1, 4],
      [5, 9],
    ]);
    expect(() => monthAvailability(connexys, [], '2026-1', now)).toThrow(/YYYY-MM/);
  });
});

describe('services section and outage checks', () => {
  it('names each problem with its path', () => {
    expect(servicesIssues(undefined, new Set())).toEqual([]);
    expect(servicesIssues([connexys], new Set())).toEqual([]);
    expect(servicesIssues({}, new Set())).toEqual([{ path: 'services', message: expect.stringContaining('must be a list') }]);
    const bad = servicesIssues(
      [
        { id: 'a', name: '', target: 101, calendar: 'nope', extra: 1 },
        { id: 'a', name: 'B', target: 99, timezone: 'Mars/Base' },
      ],
      new Set(['office']),
    );
    expect(bad.map((i) => i.path)).toEqual(['services[0].extra', 'services[0].name', 'services[0].target', 'services[0].calendar', 'services[1].id', 'services[1].timezone']);
  });
  it('an outage ends after it starts, inside the supported range', () => {
    expect(outageIssues({ start: t('2026-10-01T00:00:00Z'), end: null })).toEqual([]);
    expect(outageIssues({ start: t('2026-10-01T00:00:00Z'), end: t('2026-09-01T00:00:00Z') })).toEqual([{ path: 'end', message: 'is before start' }]);
    expect(outageIssues({ start: 5, end: null })[0]?.path).toBe('start');
  });
});

describe('the services section in the contract checks', () => {
  const calendars = { office: { timezone: 'Europe/Amsterdam', week: '24x7' } };
  const policies = { p: { calendar: 'office', targets: { response: { within: { hours: 1 } } } } };
  it('checkContract (vakt sla check) names the service field', async () => {
    const { checkContract } = await import('../../../core/sla/index.js');
    expect(checkContract({ calendars, policies, services: [{ id: 'web', name: 'Web', target: 99.9, calendar: 'office' }] })).toEqual([]);
    expect(checkContract({ calendars, policies, services: [{ id: 'web', name: 'Web', target: 99.9, calendar: 'night' }] })).toEqual([
      { path: 'services[0].calendar', message: 'names no calendar of the contract ("night"; calendars: office)' },
    ]);
  });
  it('a contract record (what the sync server checks) names it under services too', async () => {
    const { recordIssues } = await import('../../../core/sync/records.js');
    const base = { customerId: 'c', agreementNumber: 'A-1', policySet: { calendars, policies }, createdAt: t('2026-10-01T00:00:00Z') };
    expect(recordIssues('contract', { ...base, services: [{ id: 'web', name: 'Web', target: 99.9 }] })).toEqual([]);
    expect(recordIssues('contract', { ...base, services: [{ id: 'web', name: 'Web', target: 0 }] })).toEqual([
      { path: 'services[0].target', message: 'must be a percentage above 0 and at most 100 (e.g. 99.5), got 0' },
    ]);
    expect(
      recordIssues('outage', { contractId: 'k', serviceId: 'web', start: t('2026-10-02T00:00:00Z'), end: t('2026-10-01T00:00:00Z'), source: 'manual', createdAt: t('2026-10-02T00:00:00Z') }),
    ).toEqual([{ path: 'end', message: 'is before start' }]);
    expect(recordIssues('outage', { contractId: 'k', serviceId: 'web', start: t('2026-10-02T00:00:00Z'), source: 'pigeon', createdAt: t('2026-10-02T00:00:00Z') })[0]?.path).toBe('source');
  });
});

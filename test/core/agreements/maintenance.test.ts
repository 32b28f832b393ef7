import { describe, expect, it } from 'vitest';
import { activePlans, checkMaintenance, plannedVisits, visitDueOn, visitIntake, visitOf } from '../../../core/agreements/maintenance.js';
import type { MaintenancePlan } from '../../../core/agreements/maintenance.js';
import { visitReport } from '../../../core/agreements/maintenance-report.js';

const OSLO = 'Europe/Oslo';
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const calendars = { 'no-office': { timezone: OSLO, week: '24x7' } };
const policies = { 'level-1': { calendar: 'no-office', targets: {} }, 'level-3': { calendar: 'no-office', targets: {} } };
const plan = (p: Partial<MaintenancePlan>): MaintenancePlan => ({ id: 'inspection', kind: 'inspection', ...p });

describe('plan dates', () => {
  it('"4 per year" without a start date: the 1st of Jan, Apr, Jul, Oct, across the year end', () => {
    const v = plannedVisits(plan({ perYear: 4, window: { daysAfter: 0 } }), OSLO, at('2026-09-01T00:00:00Z'), at('2027-05-01T00:00:00Z'));
    expect(v.map((x) => x.due)).toEqual(['2026-10-01', '2027-01-01', '2027-04-01']);
  });
  it('"every 3 months from 2026-01-15"', () => {
    const v = plannedVisits(plan({ every: { months: 3 }, from: '2026-01-15' }), OSLO, at('2025-01-01T00:00:00Z'), at('2027-02-01T00:00:00Z'));
    expect(v.map((x) => x.due)).toEqual(['2026-01-15', '2026-04-15', '2026-07-15', '2026-10-15', '2027-01-15']);
  });
  it('a 31st stays the 31st where the month has one (each date counted from the first)', () => {
    const v = plannedVisits(plan({ every: { months: 1 }, from: '2026-01-31' }), OSLO, at('2026-01-01T00:00:00Z'), at('2026-05-01T00:00:00Z'));
    expect(v.map((x) => x.due)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30']);
  });
  it('once a year (level 1), twice (level 2): whole-month steps', () => {
    expect(plannedVisits(plan({ perYear: 1, from: '2026-06-10' }), OSLO, at('2026-01-01T00:00:00Z'), at('2028-12-01T00:00:00Z')).map((x) => x.due)).toEqual(['2026-06-10', '2027-06-10', '2028-06-10']);
    expect(plannedVisits(plan({ perYear: 2, from: '2026-06-10' }), OSLO, at('2026-01-01T00:00:00Z'), at('2027-12-01T00:00:00Z')).map((x) => x.due)).toEqual(['2026-06-10', '2026-12-10', '2027-06-10']);
  });
  it('far from the start date, the dates are the same as counted from it', () => {
    const v = plannedVisits(plan({ every: { weeks: 2 }, from: '2026-01-05' }), OSLO, at('2030-01-01T00:00:00Z'), at('2030-01-20T00:00:00Z'));
    // 2026-01-05 + 208 weeks = 2029-12-31 (the 2029-12-17 window closed at 2030-01-01 00:00 local, before `from`)
    expect(v.map((x) => x.due)).toEqual(['2029-12-31', '2030-01-14']);
  });
  it('the window runs from local midnight to local midnight, across the year end', () => {
    const [v] = plannedVisits(plan({ every: { months: 12 }, from: '2026-12-24', window: { daysBefore: 2, daysAfter: 14 } }), OSLO, at('2026-12-01T00:00:00Z'), at('2026-12-31T00:00:00Z'));
    expect(iso(v!.windowStart)).toBe('2026-12-21T23:00:00.000Z'); // 2026-12-22 00:00 CET
    expect(iso(v!.windowEnd)).toBe('2027-01-07T23:00:00.000Z'); // 2027-01-08 00:00 CET
    expect(iso(v!.noticeAt)).toBe('2026-12-08T07:00:00.000Z'); // 14 days before, 08:00 CET
  });
  it('DST: a window on the spring-forward day is 23 hours, on the fall-back day 25 hours', () => {
    const spring = visitDueOn(plan({ every: { weeks: 1 }, from: '2026-03-01', window: { daysAfter: 0 } }), OSLO, '2026-03-29');
    expect(iso(spring!.windowStart)).toBe('2026-03-28T23:00:00.000Z');
    expect(iso(spring!.windowEnd)).toBe('2026-03-29T22:00:00.000Z');
    const fall = visitDueOn(plan({ every: { weeks: 1 }, from: '2026-10-04', window: { daysAfter: 0 } }), OSLO, '2026-10-25');
    expect(iso(fall!.windowStart)).toBe('2026-10-24T22:00:00.000Z');
    expect(iso(fall!.windowEnd)).toBe('2026-10-25T23:00:00.000Z');
    // weekly dates across the change stay at local midnight
    const weeks = plannedVisits(plan({ every: { weeks: 1 }, from: '2026-03-22', window: { daysAfter: 0 } }), OSLO, at('2026-03-21T00:00:00Z'), at('2026-04-06T00:00:00Z'));
    expect(weeks.map((w) => iso(w.windowStart))).toEqual(['2026-03-21T23:00:00.000Z', '2026-03-28T23:00:00.000Z', '2026-04-04T22:00:00.000Z']);
  });
  it('the notice of a visit whose window opens just after the spring change is at 08:00 local (CET then)', () => {
    const v = visitDueOn(plan({ every: { months: 3 }, from: '2026-04-10', noticeDays: 14 }), OSLO, '2026-04-10');
    expect(iso(v!.noticeAt)).toBe('2026-03-27T07:00:00.000Z');
  });
  it('visitDueOn answers null for a date that is not a due date of the plan', () => {
    expect(visitDueOn(plan({ every: { months: 3 }, from: '2026-01-15' }), OSLO, '2026-02-15')).toBeNull();
  });
  it('a plan applies at its service level only', () => {
    const section = [plan({ id: 'l1', level: 'level-1', perYear: 1 }), plan({ id: 'l3', level: 'level-3', perYear: 4 }), plan({ id: 'all', perYear: 1 })];
    expect(activePlans(section, 'level-3').map((p) => p.id)).toEqual(['l3', 'all']);
    expect(activePlans(section, null).map((p) => p.id)).toEqual(['all']);
  });
  it('the visit facts travel in the intake values and read back', () => {
    const v = visitDueOn(plan({ every: { months: 3 }, from: '2026-01-15' }), OSLO, '2026-04-15')!;
    expect(visitOf(visitIntake(v))).toEqual({ kind: 'inspection', planId: 'inspection', due: '2026-04-15', windowStart: v.windowStart, windowEnd: v.windowEnd, noticeAt: v.noticeAt });
    expect(visitOf({ site_address: 'x' })).toBeNull();
  });
});

describe('checkMaintenance', () => {
  it('accepts the Telekompetanse plans', () => {
    expect(
      checkMaintenance(
        [plan({ level: 'level-1', perYear: 1, assignee: 'Kari' }), plan({ id: 'x', every: { months: 3 }, from: '2026-01-15', window: { daysBefore: 7, daysAfter: 7 } })],
        calendars,
        policies,
      ),
    ).toEqual([]);
  });
  it('names the path of each problem', () => {
    const issues = checkMaintenance(
      [
        { id: 'a', kind: 'inspection', every: { months: 3 } },
        { id: 'a', kind: 'repair', perYear: 5, level: 'gold' },
        { id: 'c', kind: 'inspection', perYear: 4, every: { months: 3 }, from: '2026-02-30', window: { daysAfter: -1 }, colour: 'red' },
        { id: 'd', kind: 'inspection', every: { days: 3 }, from: '2026-01-01', timezone: 'Mars/Base' },
      ],
      calendars,
      policies,
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'maintenance[0].from', message: expect.stringContaining('required with every') },
        { path: 'maintenance[1].id', message: '"a" is used by another plan' },
        { path: 'maintenance[1].kind', message: expect.stringContaining('must be one of inspection') },
        { path: 'maintenance[1].perYear', message: expect.stringContaining('must be one of 1, 2, 3, 4, 6, 12') },
        { path: 'maintenance[1].level', message: expect.stringContaining('names no policy') },
        { path: 'maintenance[2].every', message: expect.stringContaining('not both') },
        { path: 'maintenance[2].from', message: expect.stringContaining('YYYY-MM-DD') },
        { path: 'maintenance[2].window.daysAfter', message: expect.stringContaining('0 to 180') },
        { path: 'maintenance[2].colour', message: expect.stringContaining('unknown field') },
        { path: 'maintenance[3].every', message: expect.stringContaining('{"months": n} or {"weeks": n}') },
        { path: 'maintenance[3].timezone', message: expect.stringContaining('IANA zone') },
      ]),
    );
    expect(checkMaintenance({}, calendars, policies)).toEqual([{ path: 'maintenance', message: 'must be a list of plans, got {}' }]);
    expect(checkMaintenance([plan({ perYear: 1 })], {}, {})).toEqual([{ path: 'maintenance[0].timezone', message: expect.stringContaining('no calendar') }]);
  });
});

describe('visits in the SLA report', () => {
  const section = [plan({ id: 'q', perYear: 4, window: { daysBefore: 0, daysAfter: 14 }, title: 'Physical inspection' })];
  const base = { maintenance: section, defaultPolicy: null, calendars, policies, from: at('2026-03-31T22:00:00Z'), to: at('2026-04-30T22:00:00Z') };
  it('a visit not done when its window closed is missed; one done in time is done', () => {
    // The April visit's window: 2026-04-01 .. 2026-04-15 (closes 2026-04-16 00:00 CEST).
    const missed = visitReport({ ...base, asOf: at('2026-05-02T00:00:00Z'), tickets: [] });
    expect(missed).toMatchObject({ due: 1, done: 0, missed: 1, rows: [{ planId: 'q', due: '2026-04-01', state: 'missed', ticketId: null, windowEnd: at('2026-04-15T22:00:00Z') }] });
    const late = visitReport({ ...base, asOf: at('2026-05-02T00:00:00Z'), tickets: [{ ticketId: 't', caseNumber: 'K7-0001-X', planId: 'q', due: '2026-04-01', doneAt: at('2026-04-15T22:00:00Z') }] });
    expect(late?.rows[0]).toMatchObject({ state: 'missed', caseNumber: 'K7-0001-X', doneAt: at('2026-04-15T22:00:00Z') });
    const done = visitReport({ ...base, asOf: at('2026-05-02T00:00:00Z'), tickets: [{ ticketId: 't', caseNumber: 'K7-0001-X', planId: 'q', due: '2026-04-01', doneAt: at('2026-04-15T21:59:59Z') }] });
    expect(done).toMatchObject({ due: 1, done: 1, missed: 0 });
  });
  it('a window still open at the report instant is not counted yet; a contract without plans has no section', () => {
    expect(visitReport({ ...base, asOf: at('2026-04-10T00:00:00Z'), tickets: [] })).toEqual({ due: 0, done: 0, missed: 0, rows: [] });
    expect(visitReport({ ...base, maintenance: undefined, asOf: at('2026-05-02T00:00:00Z'), tickets: [] })).toBeNull();
  });
  it('a window that opens in one month and closes in the next counts in the month it closes', () => {
    const s = [plan({ id: 'y', every: { months: 12 }, from: '2026-12-24', window: { daysAfter: 14 } })];
    const dec = visitReport({ ...base, maintenance: s, from: at('2026-11-30T23:00:00Z'), to: at('2026-12-31T23:00:00Z'), asOf: at('2027-02-01T00:00:00Z'), tickets: [] });
    const jan = visitReport({ ...base, maintenance: s, from: at('2026-12-31T23:00:00Z'), to: at('2027-01-31T23:00:00Z'), asOf: at('2027-02-01T00:00:00Z'), tickets: [] });
    expect(dec?.due).toBe(0);
    expect(jan?.rows.map((r) => r.due)).toEqual(['2026-12-24']);
  });
});

describe('the contract and sync record checks', () => {
  it('checkContract and recordIssues name the plan at fault', async () => {
    const { checkContract } = await import('../../../core/sla/index.js');
    const { recordIssues } = await import('../../../core/sync/records.js');
    const bad = [{ id: 'q', kind: 'inspection', every: { months: 0 }, from: '2026-01-15' }];
    expect(checkContract({ calendars, policies, maintenance: bad })).toEqual([{ path: 'maintenance[0].every.months', message: expect.stringContaining('from 1 to 60') }]);
    const record = { customerId: 'c1', agreementNumber: 'TK-1', policySet: { calendars, policies }, maintenance: bad, createdAt: at('2026-01-01T00:00:00Z') };
    expect(recordIssues('contract', record)).toEqual([{ path: 'maintenance[0].every.months', message: expect.stringContaining('from 1 to 60') }]);
    expect(recordIssues('contract', { ...record, maintenance: [plan({ perYear: 4 })] })).toEqual([]);
  });
});

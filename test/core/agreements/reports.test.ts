/**
 * Report windows and due states (Telenor: "between the 5th and the 20th of
 * each month", quarterly for Silver and Gold), worked out by hand in
 * Europe/Copenhagen (CET +01:00 in winter, CEST +02:00 in summer).
 */
import { describe, expect, it } from 'vitest';
import { activeSchedules, chargedReports, checkReports, currentPeriod, dueReports, kpiResults, sentKey } from '../../../core/agreements/reports.js';
import type { ReportSchedule, ReportsSection } from '../../../core/agreements/reports.js';

const CPH = 'Europe/Copenhagen';
const at = (iso: string) => Date.parse(iso);
const monthly: ReportSchedule = { id: 'monthly', every: 'month', window: { fromDay: 5, toDay: 20 }, to: ['it@kunde.dk'], levels: ['bronze'], fee: 'sla-report' };
const quarterly: ReportSchedule = { id: 'quarterly', every: 'quarter', window: { fromDay: 5, toDay: 20 }, to: ['it@kunde.dk'], levels: ['silver', 'gold'] };
const telenor = (level: string): ReportsSection => ({
  level,
  schedules: [monthly, quarterly],
  kpis: [
    { metric: 'resolution', minPct: 97, name: 'CSSR/CTSR', levels: ['bronze'] },
    { metric: 'resolution', minPct: 98, name: 'CSSR/CTSR', levels: ['silver'] },
  ],
});

describe('report windows', () => {
  it('a monthly report covers the month before and is due from the 5th 00:00 to the end of the 20th, local time', () => {
    const p = currentPeriod(monthly, at('2026-12-10T12:00:00Z'), CPH);
    expect(p.period).toBe('2026-11');
    expect(p.months).toEqual(['2026-11']);
    expect(p.windowFrom).toBe(at('2026-12-04T23:00:00Z'));
    expect(p.windowTo).toBe(at('2026-12-20T23:00:00Z'));
  });

  it('crosses the year end: in January the report of December of the year before is due', () => {
    const p = currentPeriod(monthly, at('2027-01-06T08:00:00Z'), CPH);
    expect(p.period).toBe('2026-12');
    expect(p.windowFrom).toBe(at('2027-01-04T23:00:00Z'));
  });

  it('before the window opens the last window (if unsent) is still current; once sent, the next one is', () => {
    const now = at('2026-12-02T10:00:00Z');
    expect(currentPeriod(monthly, now, CPH).period).toBe('2026-10');
    const next = currentPeriod(monthly, now, CPH, new Set(['2026-10']));
    expect(next.period).toBe('2026-11');
    expect(next.windowFrom).toBe(at('2026-12-04T23:00:00Z'));
  });

  it('follows daylight saving time: the window of the March report opens at 00:00 CEST (22:00 UTC)', () => {
    const p = currentPeriod(monthly, at('2026-04-10T00:00:00Z'), CPH);
    expect(p.period).toBe('2026-03');
    expect(p.windowFrom).toBe(at('2026-04-04T22:00:00Z'));
    expect(p.windowTo).toBe(at('2026-04-20T22:00:00Z'));
  });

  it('a window ending on the 31st ends with a shorter month', () => {
    const s: ReportSchedule = { ...monthly, window: { fromDay: 25, toDay: 31 } };
    const p = currentPeriod(s, at('2027-02-26T12:00:00Z'), 'UTC');
    expect(p.period).toBe('2027-01');
    expect(p.windowTo).toBe(at('2027-03-01T00:00:00Z'));
  });

  it('a quarterly report covers the quarter before and is due in January, April, July and October', () => {
    const p = currentPeriod(quarterly, at('2027-01-12T12:00:00Z'), CPH);
    expect(p.period).toBe('2026-Q4');
    expect(p.months).toEqual(['2026-10', '2026-11', '2026-12']);
    expect(p.windowFrom).toBe(at('2027-01-04T23:00:00Z'));
    // In February the January window is the last one; sent, the next is April's (Q1, in summer time).
    const next = currentPeriod(quarterly, at('2027-02-15T12:00:00Z'), CPH, new Set(['2026-Q4']));
    expect(next.period).toBe('2027-Q1');
    expect(next.windowFrom).toBe(at('2027-04-04T22:00:00Z'));
  });
});

describe('due reports', () => {
  it('by service level: Bronze gets the monthly report, Silver the quarterly', () => {
    expect(activeSchedules(telenor('bronze')).map((s) => s.id)).toEqual(['monthly']);
    expect(activeSchedules(telenor('Silver')).map((s) => s.id)).toEqual(['quarterly']);
    expect(activeSchedules({ schedules: [monthly] })).toEqual([]);
  });

  it('upcoming, open, overdue; sent moves on to the next period', () => {
    const s = telenor('bronze');
    const states = (iso: string, sent: string[] = []) => dueReports(s, at(iso), CPH, new Set(sent)).map((d) => `${d.period} ${d.state}`);
    expect(states('2026-12-03T12:00:00Z', [sentKey('monthly', '2026-10')])).toEqual(['2026-11 upcoming']);
    expect(states('2026-12-05T12:00:00Z', [sentKey('monthly', '2026-10')])).toEqual(['2026-11 open']);
    expect(states('2026-12-21T12:00:00Z')).toEqual(['2026-11 overdue']);
    // Sent while the window is open: the next period is current.
    expect(states('2026-12-10T12:00:00Z', [sentKey('monthly', '2026-11')])).toEqual(['2026-12 upcoming']);
    // Only the latest period is followed: October left unsent is not brought up in December.
    expect(states('2026-12-10T12:00:00Z')).toEqual(['2026-11 open']);
    // A quarterly key does not count for the monthly schedule.
    expect(states('2026-12-10T12:00:00Z', [sentKey('quarterly', '2026-11')])).toEqual(['2026-11 open']);
  });
});

describe('KPI guarantee', () => {
  const figures = (pct: number | null) => ({ response: { pct: 100 }, resolution: { pct }, updates: { pct: null } });
  it('met at or above the guaranteed share, breached below it, no data when nothing was decided', () => {
    expect(kpiResults(telenor('bronze'), figures(97))[0]).toMatchObject({ minPct: 97, pct: 97, state: 'met', name: 'CSSR/CTSR' });
    expect(kpiResults(telenor('silver'), figures(97.9))[0]).toMatchObject({ minPct: 98, state: 'breached' });
    expect(kpiResults(telenor('silver'), figures(null))[0]).toMatchObject({ state: 'no_data' });
    expect(kpiResults(telenor('gold'), figures(50))).toEqual([]);
  });
});

describe('report fees', () => {
  it('charged once per period, at its first send, in the range that holds it', () => {
    const s = telenor('bronze');
    const sent = [
      { schedule: 'monthly', period: '2026-11', sentAt: at('2026-12-07T09:00:00Z'), to: ['a@b.dk'] },
      { schedule: 'monthly', period: '2026-11', sentAt: at('2026-12-08T09:00:00Z'), to: ['a@b.dk'] }, // a correction
      { schedule: 'quarterly', period: '2026-Q4', sentAt: at('2026-12-09T09:00:00Z'), to: ['a@b.dk'] }, // no fee
      { schedule: 'monthly', period: '2026-12', sentAt: at('2027-01-06T09:00:00Z'), to: ['a@b.dk'] },
    ];
    const dec = chargedReports(s, sent, at('2026-11-30T23:00:00Z'), at('2026-12-31T23:00:00Z'));
    expect(dec.map((c) => [c.sent.period, c.sent.sentAt, c.fee])).toEqual([['2026-11', at('2026-12-07T09:00:00Z'), 'sla-report']]);
    expect(chargedReports(s, sent, at('2026-12-31T23:00:00Z'), at('2027-01-31T23:00:00Z')).map((c) => c.sent.period)).toEqual(['2026-12']);
    // A correction sent in a later month is not charged there either.
    expect(chargedReports(s, sent.slice(0, 2), at('2026-12-07T12:00:00Z'), at('2026-12-31T23:00:00Z'))).toEqual([]);
  });
});

describe('checkReports', () => {
  it('accepts the Telenor section', () => {
    expect(checkReports(telenor('bronze'))).toEqual([]);
  });
  it('names the path of each problem', () => {
    const issues = checkReports({
      level: '',
      schedules: [
        { id: 'a', every: 'week', window: { fromDay: 20, toDay: 5 }, to: ['not-mail'], fee: 3 },
        { id: 'a', every: 'month', window: { fromDay: 0, toDay: 32 }, to: [], extra: 1 },
      ],
      kpis: [{ metric: 'cssr', minPct: 101 }],
    }).map((i) => i.path);
    expect(issues).toEqual([
      'reports.level',
      'reports.schedules[0].every',
      'reports.schedules[0].window.toDay',
      'reports.schedules[0].to[0]',
      'reports.schedules[0].fee',
      'reports.schedules[1].extra',
      'reports.schedules[1].id',
      'reports.schedules[1].window.fromDay',
      'reports.schedules[1].window.toDay',
      'reports.kpis[0].metric',
      'reports.kpis[0].minPct',
    ]);
    expect(checkReports([])[0]).toMatchObject({ path: 'reports' });
  });
});

/**
 * The monthly SLA report against a hand-made month (March 2026) of tickets on
 * a simple calendar: weekdays 08:00-16:00 UTC. Every expected figure below
 * was worked out by hand from the histories (minutes are open minutes).
 */
import { describe, expect, it } from 'vitest';
import { loadContract } from '../../../core/sla/index.js';
import type { TicketEvent } from '../../../core/sla/index.js';
import { slaReport, slaReportCsv, timeFigures } from '../../../core/reports/index.js';
import type { ReportTicket } from '../../../core/reports/index.js';

const weekdays = { mon: [['08:00', '16:00']], tue: [['08:00', '16:00']], wed: [['08:00', '16:00']], thu: [['08:00', '16:00']], fri: [['08:00', '16:00']], sat: [], sun: [] };
const contract = loadContract({
  calendars: { office: { timezone: 'UTC', week: weekdays } },
  policies: {
    // response 60 min, resolution 4 h, callbacks first after 1 h then every 2 h; paused while waiting on the customer
    normal: {
      calendar: 'office',
      pauseWhen: ['waiting_on_customer'],
      targets: { response: { within: { minutes: 60 } }, resolution: { within: { hours: 4 } }, update: { first: { hours: 1 }, every: { hours: 2 } } },
    },
    high: { calendar: 'office', targets: { response: { within: { minutes: 30 } }, resolution: { within: { hours: 2 } } } },
  },
});

const at = (s: string) => Date.parse(`2026-${s}:00Z`); // "03-02T09:00"
type E = [string, string, string?]; // [type, when, status|policy]
function ticket(n: number, policy: string, created: string, evs: E[]): ReportTicket {
  const events: TicketEvent[] = [{ type: 'created', at: at(created), policy }];
  for (const [type, when, x] of evs) {
    const t = at(when);
    if (type === 'responded') events.push({ type, at: t });
    else if (type === 'update') events.push({ type: 'update_logged', at: t });
    else events.push({ type: 'status', at: t, status: x as 'open' });
  }
  return { id: `t${n}`, caseNumber: `C-${String(n).padStart(2, '0')}`, createdAt: at(created), events };
}

// 2026-03-02 is a Monday.
const tickets: ReportTicket[] = [
  // response 30 met, resolution 120 met; the 10:00 callback is missed (1)
  ticket(1, 'normal', '03-02T09:00', [
    ['responded', '03-02T09:30'],
    ['status', '03-02T11:00', 'resolved'],
  ]),
  // Tue 15:30: response 30+45 = 75 breached; resolution 150 met; callback Wed 08:20 before its 08:30 due
  ticket(2, 'normal', '03-03T15:30', [
    ['update', '03-04T08:20'],
    ['responded', '03-04T08:45'],
    ['status', '03-04T10:00', 'resolved'],
  ]),
  // paused Wed 10:00 - Thu 09:00: resolution 60+180 = 240, stopped exactly at the deadline = met; callbacks 09:55 and Thu 10:30 on time
  ticket(3, 'normal', '03-04T09:00', [
    ['responded', '03-04T09:10'],
    ['update', '03-04T09:55'],
    ['status', '03-04T10:00', 'waiting_on_customer'],
    ['status', '03-05T09:00', 'open'],
    ['update', '03-05T10:30'],
    ['status', '03-05T12:00', 'resolved'],
  ]),
  // high: response 45 breached, resolution 180 breached
  ticket(4, 'high', '03-05T10:00', [
    ['responded', '03-05T10:45'],
    ['status', '03-05T13:00', 'resolved'],
  ]),
  // high, Fri 14:00: response 20 met; resolved Mon 09:00 = 120+60 = 180 breached (due Fri 16:00)
  ticket(5, 'high', '03-06T14:00', [
    ['responded', '03-06T14:20'],
    ['status', '03-09T09:00', 'resolved'],
  ]),
  // response 5, resolution 120 met; callback 08:50 on time
  ticket(6, 'normal', '03-09T08:00', [
    ['responded', '03-09T08:05'],
    ['update', '03-09T08:50'],
    ['status', '03-09T10:00', 'resolved'],
  ]),
  // no callbacks: dues 13:00, 15:00, Wed 09:00, Wed 11:00 missed (4); resolution 240+240 = 480 breached
  ticket(7, 'normal', '03-10T12:00', [
    ['responded', '03-10T12:30'],
    ['status', '03-11T12:00', 'resolved'],
  ]),
  // Fri 27th 15:00: callbacks Fri 15:55, Mon 09:00, Mon 10:30 on time, then missed Mon 12:30, 14:30, Tue 08:30, 10:30, 12:30, 14:30 (6 in March);
  // resolved Wed 1 April 09:00: 60+480+480+60 = 1080 breached
  ticket(8, 'normal', '03-27T15:00', [
    ['responded', '03-27T15:20'],
    ['update', '03-27T15:55'],
    ['update', '03-30T09:00'],
    ['update', '03-30T10:30'],
    ['status', '04-01T09:00', 'resolved'],
  ]),
  // last day, Tue 31st 15:00: response Wed 08:10 = 60+10 = 70 breached; resolution 60+120 = 180 met; callback Tue 15:50 on time (Wed 09:30 is April's)
  ticket(9, 'normal', '03-31T15:00', [
    ['update', '03-31T15:50'],
    ['responded', '04-01T08:10'],
    ['update', '04-01T09:30'],
    ['status', '04-01T10:00', 'resolved'],
  ]),
  // February's ticket: not in March's response/resolution figures; its callback due Mon 2 March 08:55 is missed (1)
  ticket(10, 'normal', '02-27T14:00', [
    ['responded', '02-27T14:30'],
    ['update', '02-27T14:55'],
    ['status', '03-02T10:00', 'resolved'],
  ]),
  // high: response 10, resolution 60 met
  ticket(11, 'high', '03-12T09:00', [
    ['responded', '03-12T09:10'],
    ['status', '03-12T10:00', 'resolved'],
  ]),
  // April's ticket: ignored
  ticket(12, 'normal', '04-02T09:00', [['responded', '04-02T09:10']]),
];

const report = slaReport({ month: '2026-03', timezone: 'UTC', asOf: at('04-10T12:00'), tickets, policies: contract.policies, calendars: contract.calendars });

describe('SLA report, March 2026 (hand-checked)', () => {
  it('covers the tickets created in the month', () => {
    expect(report.from).toBe(at('03-01T00:00'));
    expect(report.to).toBe(at('04-01T00:00'));
    expect(report.tickets).toBe(10);
  });
  it('response: 7 met, 3 breached = 70 %', () => {
    expect(report.response).toEqual({ met: 7, breached: 3, open: 0, pct: 70 });
  });
  it('resolution: 6 met (one exactly at its deadline), 4 breached = 60 %', () => {
    expect(report.resolution).toEqual({ met: 6, breached: 4, open: 0, pct: 60 });
  });
  it('callbacks: 8 on time, 12 missed of 20 due in March = 40 %', () => {
    expect(report.updates).toEqual({ due: 20, onTime: 8, missed: 12, pct: 40 });
  });
  it('median and p90 in business minutes', () => {
    // response: 5 10 10 20 20 | 30 30 45 70 75
    expect(report.timeToResponse).toEqual({ count: 10, median: 25, p90: 70 });
    // resolution: 60 120 120 150 180 | 180 180 240 480 1080
    expect(report.timeToResolution).toEqual({ count: 10, median: 180, p90: 480 });
  });
  it('per priority (policy)', () => {
    expect(report.byPolicy.map((p) => [p.policy, p.tickets, p.response.pct, p.resolution.pct])).toEqual([
      ['normal', 7, 71.4, 71.4],
      ['high', 3, 66.7, 33.3],
    ]);
  });
  it('histogram of time to resolution (business hours)', () => {
    expect(report.resolutionHistogram.map((b) => b.count)).toEqual([0, 1, 6, 1, 1, 1, 0]);
    expect(report.resolutionHistogram[6]).toEqual({ fromHours: 40, toHours: null, count: 0 });
  });
  it('lists the breaches with their case numbers', () => {
    expect(report.breaches.map((b) => `${b.caseNumber} ${b.metric}${b.missed ? ` ${b.missed}` : ''}`)).toEqual([
      'C-01 update 1',
      'C-02 response',
      'C-04 response',
      'C-04 resolution',
      'C-05 resolution',
      'C-07 resolution',
      'C-07 update 4',
      'C-08 resolution',
      'C-08 update 6',
      'C-09 response',
      'C-10 update 1',
    ]);
    const c5 = report.breaches.find((b) => b.caseNumber === 'C-05')!;
    expect(c5).toMatchObject({ dueAt: at('03-06T16:00'), stoppedAt: at('03-09T09:00'), elapsedMinutes: 180, policy: 'high' });
  });
  it('counts targets not decided yet as open, as the engine sees them at the report instant', () => {
    const mid = slaReport({ month: '2026-03', timezone: 'UTC', asOf: at('03-12T09:30'), tickets, policies: contract.policies, calendars: contract.calendars });
    expect(mid.tickets).toBe(8); // T1-T7 and T11
    expect(mid.resolution).toEqual({ met: 4, breached: 3, open: 1, pct: 57.1 });
    expect(mid.timeToResolution.count).toBe(7);
  });
  it('the CSV has one row per figure and per breach', () => {
    const csv = slaReportCsv(report, { customer: 'Acme, Inc.', agreementNumber: 'SA1' });
    expect(csv.startsWith('\uFEFFagreement_number,month,section,key,value,case_number,policy,due_date\r\n')).toBe(true);
    expect(csv).toContain('SA1,2026-03,response,met_pct,70,,,\r\n');
    expect(csv).toContain('SA1,2026-03,updates,missed,12,,,\r\n');
    expect(csv).toContain('SA1,2026-03,breach,resolution,180,C-05,high,2026-03-06\r\n');
    expect(csv.split('\r\n').length).toBe(1 + 25 + 11 + 1); // header, figures, breaches, trailing CRLF
  });
});

describe('timeFigures', () => {
  it('median of odd and even counts, p90 by nearest rank', () => {
    expect(timeFigures([])).toEqual({ count: 0, median: null, p90: null });
    expect(timeFigures([7])).toEqual({ count: 1, median: 7, p90: 7 });
    expect(timeFigures([3, 1, 2])).toEqual({ count: 3, median: 2, p90: 3 });
    expect(timeFigures([1, 2, 3, 4])).toEqual({ count: 4, median: 2.5, p90: 4 });
  });
});

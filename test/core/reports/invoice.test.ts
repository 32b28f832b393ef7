import { describe, expect, it } from 'vitest';
import { formatMinor, priceCase } from '../../../core/billing/index.js';
import type { RateCard } from '../../../core/billing/index.js';
import { loadContract } from '../../../core/sla/index.js';
import { allocateVat, caseInputFromEvents, csvField, invoiceCsv } from '../../../core/reports/index.js';

const weekdays = { mon: [['08:00', '16:00']], tue: [['08:00', '16:00']], wed: [['08:00', '16:00']], thu: [['08:00', '16:00']], fri: [['08:00', '16:00']], sat: [], sun: [] };
const { calendars } = loadContract({ calendars: { 'dk-office': { timezone: 'Europe/Copenhagen', week: weekdays } }, policies: {} });
const card: RateCard = {
  currency: 'DKK',
  vatPct: 25,
  rates: { L1: 800, L2: 1095 },
  freeMinutesPerCase: 15,
  minimumMinutesPerCase: 15,
  roundUpToMinutes: 15,
  afterHours: { calendar: 'dk-office', surchargePct: 100 },
  mileagePerKm: 3.52,
  fees: { diagnosis: 450 },
};
const at = (local: string) => Date.parse(`2026-03-31T${local}:00+02:00`); // Tuesday

describe('case input from the event log', () => {
  it('reads start/end, duration-only entries, km and fees (latest mention wins)', () => {
    const input = caseInputFromEvents([
      { type: 'time_entry', at: at('10:40'), data: { minutes: 40, level: 'L1', kind: 'remote', start: at('10:00'), end: at('10:40'), billable: true } },
      { type: 'time_entry', at: at('18:00'), data: { minutes: 60, level: 'L2', kind: 'onsite', start: at('17:00') } },
      { type: 'time_entry', at: at('12:00'), data: { minutes: 30, billable: false } }, // old shape: ends when logged, L1, remote
      { type: 'visit', at: at('17:00'), data: { arrivedAt: at('17:00'), km: 21, fees: [{ fee: 'diagnosis', waived: false }] } },
      { type: 'visit', at: at('19:00'), data: { arrivedAt: at('19:00'), km: 21.5, fees: [{ fee: 'diagnosis', waived: true }] } },
      { type: 'note', at: at('19:00'), data: { text: 'x' } },
    ]);
    expect(input.entries).toEqual([
      { start: at('10:00'), end: at('10:40'), level: 'L1', kind: 'remote', billable: true },
      { start: at('17:00'), end: at('18:00'), level: 'L2', kind: 'onsite', billable: true },
      { start: at('11:30'), end: at('12:00'), level: 'L1', kind: 'remote', billable: false },
    ]);
    expect(input.km).toBe('42.5');
    expect(input.trips).toEqual([
      { at: at('17:00'), km: '21' },
      { at: at('19:00'), km: '21.5' },
    ]);
    expect(input.fees).toEqual([{ fee: 'diagnosis', waived: true }]);
    const inv = priceCase(card, input, calendars);
    expect(inv.lines.map((l) => `${l.text} = ${formatMinor(l.amount)}`)).toEqual(['30 min L1 = 400.00', '60 min L2 after hours = 2190.00', '42.5 km × 3.52 = 149.60', 'diagnosis (waived) = 0.00']);
  });
});

describe('invoice CSV', () => {
  it('splits the VAT over the lines so they add up to the invoice VAT', () => {
    const inv = {
      currency: 'DKK',
      lines: [
        { kind: 'mileage' as const, text: 'a', amount: 1 },
        { kind: 'mileage' as const, text: 'b', amount: 1 },
        { kind: 'mileage' as const, text: 'c', amount: 1 },
      ],
      subtotal: 3,
      vat: 1,
      total: 4,
      minutes: { billable: 0, afterFree: 0, billed: 0 },
      entries: [],
      trips: [],
      surchargePct: null,
    };
    // 25 % of 0.03 = 0.0075 -> 0.01 on the invoice; the lines get 0, 0 (+1 to the first largest remainder)
    expect(allocateVat(inv, { vatPct: 25 })).toEqual([1, 0, 0]);
  });
  it('quotes as RFC 4180 says, starts with a BOM, uses CRLF and dot decimals', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    const inv = priceCase(card, { entries: [{ start: at('10:00'), end: at('10:40'), level: 'L1', kind: 'remote', billable: true }], km: 42 }, calendars);
    const csv = invoiceCsv([{ caseNumber: 'VKT-1-X', customer: 'Nordhavn Logistik, "Aarhus" ApS', agreementNumber: 'SA0009858', date: at('10:00'), invoice: inv, card }], 'Europe/Copenhagen');
    expect(csv).toBe(
      '\uFEFFcase_number,customer,agreement_number,date,text,minutes,amount,vat,currency\r\n' +
        'VKT-1-X,"Nordhavn Logistik, ""Aarhus"" ApS",SA0009858,2026-03-31,30 min L1,30,400.00,100.00,DKK\r\n' +
        'VKT-1-X,"Nordhavn Logistik, ""Aarhus"" ApS",SA0009858,2026-03-31,42 km × 3.52,,147.84,36.96,DKK\r\n',
    );
  });
});

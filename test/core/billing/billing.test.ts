import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BillingError, formatMinor, priceCase } from '../../../core/billing/index.js';
import type { RateCard, TimeEntry } from '../../../core/billing/index.js';
import { loadContract } from '../../../core/sla/index.js';

const weekdays = { mon: [['08:00', '16:00']], tue: [['08:00', '16:00']], wed: [['08:00', '16:00']], thu: [['08:00', '16:00']], fri: [['08:00', '16:00']], sat: [], sun: [] };
const { calendars } = loadContract({ calendars: { 'dk-office': { timezone: 'Europe/Copenhagen', week: weekdays } }, policies: {} });

// The rate card of specs/billing.md.
const card: RateCard = {
  id: 'dk-standard',
  currency: 'DKK',
  vatPct: 25,
  rates: { L1: 800, L2: 1095 },
  discountPct: 0,
  freeMinutesPerCase: 15,
  minimumMinutesPerCase: 15,
  roundUpToMinutes: 15,
  afterHours: { calendar: 'dk-office', surchargePct: 100 },
  mileagePerKm: 3.52,
  fees: { diagnosis: 450 },
};
const noAgreement: RateCard = { ...card, freeMinutesPerCase: 0 };
const at = (local: string) => Date.parse(`2026-03-31T${local}:00+02:00`); // Tuesday 31 March 2026
const entry = (from: string, to: string, level = 'L1', kind: TimeEntry['kind'] = 'remote'): TimeEntry => ({ start: at(from), end: at(to), level, kind, billable: true });
const texts = (inv: ReturnType<typeof priceCase>) => inv.lines.map((l) => `${l.text} = ${formatMinor(l.amount)}`);

describe('billing.md examples', () => {
  it('no agreement (free 0): 5 min phone, L1, Tue 10:00 -> 15 min L1 = 200.00', () => {
    const inv = priceCase(noAgreement, { entries: [entry('10:00', '10:05', 'L1', 'phone')] }, calendars);
    expect(texts(inv)).toEqual(['15 min L1 = 200.00']);
    expect(formatMinor(inv.subtotal)).toBe('200.00');
  });
  it('40 min remote, L1, Tue 10:00-10:40 -> 25 left, rounded to 30 min L1 = 400.00', () => {
    const inv = priceCase(card, { entries: [entry('10:00', '10:40')] }, calendars);
    expect(texts(inv)).toEqual(['30 min L1 = 400.00']);
    expect(inv.minutes).toEqual({ billable: 40, afterFree: 25, billed: 30 });
    expect(formatMinor(inv.subtotal)).toBe('400.00');
  });
  it('60 min on-site, L2, Tue 17:00-18:00 -> 45 min L2 after hours = 1642.50', () => {
    const inv = priceCase(card, { entries: [entry('17:00', '18:00', 'L2', 'onsite')] }, calendars);
    expect(texts(inv)).toEqual(['45 min L2 after hours = 1642.50']);
    expect(formatMinor(inv.subtotal)).toBe('1642.50');
  });
  it('no agreement: 60 min L1, Tue 15:30-16:30 -> 30 min L1 = 400.00; 30 min L1 after hours = 800.00', () => {
    const inv = priceCase(noAgreement, { entries: [entry('15:30', '16:30')] }, calendars);
    expect(texts(inv)).toEqual(['30 min L1 = 400.00', '30 min L1 after hours = 800.00']);
    expect(formatMinor(inv.subtotal)).toBe('1200.00');
  });
  it('42 km driven -> 42 km × 3.52 = 147.84', () => {
    const inv = priceCase(card, { entries: [], km: 42 }, calendars);
    expect(texts(inv)).toEqual(['42 km × 3.52 = 147.84']);
    expect(formatMinor(inv.subtotal)).toBe('147.84');
  });
});

describe('billing rules', () => {
  it('adds VAT on the sum of the lines, and shows a waived fee at 0', () => {
    const inv = priceCase(card, { entries: [entry('10:00', '10:40')], km: 42, fees: [{ fee: 'diagnosis', waived: true }] }, calendars);
    expect(texts(inv)).toEqual(['30 min L1 = 400.00', '42 km × 3.52 = 147.84', 'diagnosis (waived) = 0.00']);
    expect([inv.subtotal, inv.vat, inv.total]).toEqual([54784, 13696, 68480]);
    const charged = priceCase(card, { entries: [], fees: [{ fee: 'diagnosis' }] }, calendars);
    expect(charged.total).toBe(56250);
  });
  it('a call inside the free minutes costs nothing; the minimum is not applied to it', () => {
    expect(priceCase(card, { entries: [entry('10:00', '10:05')] }, calendars).lines).toEqual([]);
  });
  it('raises the earliest group to reach the minimum', () => {
    const inv = priceCase({ ...noAgreement, roundUpToMinutes: 1, minimumMinutesPerCase: 30 }, { entries: [entry('15:50', '16:05')] }, calendars);
    expect(texts(inv)).toEqual(['25 min L1 = 333.33', '5 min L1 after hours = 133.33']);
  });
  it('applies a discount, and names what is wrong in a bad rate card', () => {
    const inv = priceCase({ ...card, discountPct: 10 }, { entries: [entry('10:00', '10:40')] }, calendars);
    expect(formatMinor(inv.subtotal)).toBe('360.00');
    expect(() => priceCase({ ...card, rates: { L1: '8,00' } }, { entries: [entry('10:00', '10:40')] }, calendars)).toThrow(/rates.L1: must be a decimal/);
    expect(() => priceCase(card, { entries: [entry('10:00', '10:40', 'L3')] }, calendars)).toThrow(BillingError);
    expect(() => priceCase({ ...card, afterHours: { calendar: 'nope', surchargePct: 100 } }, { entries: [] }, calendars)).toThrow(/afterHours.calendar/);
  });
  it('a level or fee named like an inherited property is not in the rate card', () => {
    expect(() => priceCase(card, { entries: [entry('10:00', '10:40', 'constructor')] }, calendars)).toThrow('no hourly rate for level constructor');
    expect(() => priceCase(card, { entries: [], fees: [{ fee: 'toString' }] }, calendars)).toThrow('the rate card has no fee "toString"');
  });
  it('does not bill non-billable time', () => {
    expect(priceCase(noAgreement, { entries: [{ ...entry('10:00', '11:00'), billable: false }] }, calendars).lines).toEqual([]);
  });
});

// Property tests of the rules (seeded, reproducible).
const arbEntry = fc
  .record({
    day: fc.integer({ min: 0, max: 13 }),
    startMin: fc.integer({ min: 0, max: 24 * 60 - 1 }),
    len: fc.integer({ min: 1, max: 300 }),
    level: fc.constantFrom('L1', 'L2'),
    billable: fc.boolean(),
  })
  .map(({ day, startMin, len, level, billable }): TimeEntry => {
    const start = Date.parse('2026-03-30T00:00:00+02:00') + day * 86_400_000 + startMin * 60_000;
    return { start, end: start + len * 60_000, level, kind: 'remote', billable };
  });
const arbCard = fc.record({
  free: fc.integer({ min: 0, max: 30 }),
  minimum: fc.integer({ min: 0, max: 60 }),
  roundTo: fc.constantFrom(1, 5, 15, 30),
  discount: fc.integer({ min: 0, max: 50 }),
  rateL1: fc.integer({ min: 1, max: 200_000 }).map((c) => (c / 100).toFixed(2)),
});
const cardOf = (c: { free: number; minimum: number; roundTo: number; discount: number; rateL1: string }): RateCard => ({
  ...card,
  rates: { L1: c.rateL1, L2: 1095 },
  freeMinutesPerCase: c.free,
  minimumMinutesPerCase: c.minimum,
  roundUpToMinutes: c.roundTo,
  discountPct: c.discount,
});

describe('billing properties', () => {
  it('money is never held in floating point: every amount is an integer number of minor units', () => {
    fc.assert(
      fc.property(arbCard, fc.array(arbEntry, { maxLength: 6 }), fc.integer({ min: 0, max: 50_000 }), (c, entries, kmTenths) => {
        const inv = priceCase(cardOf(c), { entries, km: (kmTenths / 10).toFixed(1) }, calendars);
        for (const v of [...inv.lines.map((l) => l.amount), inv.subtotal, inv.vat, inv.total]) expect(Number.isSafeInteger(v)).toBe(true);
        expect(inv.total).toBe(inv.subtotal + inv.vat);
      }),
      { seed: 20261124, numRuns: 500 },
    );
  });

  it('free minutes are never billed', () => {
    fc.assert(
      fc.property(arbCard, fc.array(arbEntry, { maxLength: 6 }), (c, entries) => {
        const inv = priceCase(cardOf(c), { entries }, calendars);
        const billable = entries.filter((e) => e.billable).reduce((a, e) => a + (e.end - e.start) / 60_000, 0);
        expect(inv.minutes.billable).toBe(billable);
        expect(inv.minutes.afterFree).toBe(Math.max(0, billable - c.free));
        if (billable <= c.free) expect(inv.lines.filter((l) => l.kind === 'time')).toEqual([]);
        // What is billed is what is left after the free minutes, rounded up per group, or the minimum.
        const groups = inv.lines.filter((l) => l.kind === 'time').length;
        if (inv.minutes.afterFree > 0) expect(inv.minutes.billed).toBeLessThanOrEqual(Math.max(c.minimum, inv.minutes.afterFree + groups * (c.roundTo - 1)));
      }),
      { seed: 20261125, numRuns: 500 },
    );
  });

  it('the surcharge applies only outside hours', () => {
    fc.assert(
      fc.property(arbCard, fc.array(arbEntry, { maxLength: 6 }), (c, entries) => {
        const inv = priceCase(cardOf(c), { entries }, calendars);
        const office = calendars.get('dk-office')!;
        const anyClosed = entries.some((e) => e.billable && office.split(e.start, e.end).some((p) => !p.open));
        const anyOpen = entries.some((e) => e.billable && office.split(e.start, e.end).some((p) => p.open));
        if (!anyClosed) expect(inv.lines.some((l) => l.afterHours)).toBe(false);
        if (!anyOpen) expect(inv.lines.some((l) => l.kind === 'time' && !l.afterHours)).toBe(false);
        // Same minutes, level and side: the after-hours line costs (1 + surcharge) times the normal one.
        for (const l of inv.lines.filter((x) => x.afterHours)) {
          const normal = priceCase(
            { ...cardOf(c), afterHours: undefined, freeMinutesPerCase: 0, minimumMinutesPerCase: 0, roundUpToMinutes: 1 },
            { entries: [{ start: 0, end: l.minutes! * 60_000, level: l.level!, kind: 'remote', billable: true }] },
            calendars,
          );
          expect(Math.abs(l.amount - 2 * normal.subtotal)).toBeLessThanOrEqual(1);
        }
      }),
      { seed: 20261126, numRuns: 300 },
    );
  });
});

describe('per-entry detail (issue 15 item 8)', () => {
  it('each entry with its whole minutes, free minutes and after-hours minutes; trips and the surcharge as given', () => {
    const entries = [entry('10:00', '10:10', 'L1', 'phone'), entry('15:50', '16:20', 'L2', 'onsite'), { ...entry('17:00', '17:30'), billable: false }];
    const trips = [{ at: at('15:40'), km: '42.5' }];
    const inv = priceCase(card, { entries, km: '42.5', trips }, calendars);
    expect(inv.entries).toEqual([
      { start: at('10:00'), end: at('10:10'), level: 'L1', kind: 'phone', billable: true, minutes: 10, freeMinutes: 10, afterHoursMinutes: 0 },
      { start: at('15:50'), end: at('16:20'), level: 'L2', kind: 'onsite', billable: true, minutes: 30, freeMinutes: 5, afterHoursMinutes: 20 },
      { start: at('17:00'), end: at('17:30'), level: 'L1', kind: 'remote', billable: false, minutes: 30, freeMinutes: 0, afterHoursMinutes: 0 },
    ]);
    expect(inv.trips).toEqual(trips);
    expect(inv.surchargePct).toBe('100');
    expect(inv.lines.find((l) => l.kind === 'mileage')).toMatchObject({ km: '42.5', perKm: '3.52', amount: 14960 });
    expect(priceCase(noAgreement, { entries: [], fees: [{ fee: 'diagnosis', waived: true }] }, calendars).lines).toMatchObject([{ kind: 'fee', fee: 'diagnosis', waived: true }]);
  });
});

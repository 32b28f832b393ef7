/** The rate card form's model: decimal text -> integer minor units -> exact decimal strings. */
import { describe, expect, it } from 'vitest';
import { formOf, modelOf, parseMoney, rateCardOf } from '../../renderer/ratecard-model.js';

const msg = { notAmount: 'not an amount', wholeMinutes: 'whole minutes', nameMissing: 'name?', nameTwice: 'twice' };
const card = {
  currency: 'DKK',
  vatPct: 25,
  rates: { L1: 800, L2: '1095.5' },
  freeMinutesPerCase: 15,
  afterHours: { calendar: 'dk-office', surchargePct: 100 },
  mileagePerKm: 3.52,
  fees: { diagnosis: 450 },
};

describe('rate card model', () => {
  it('parses money text into integer minor units (comma or point, at most 2 decimals)', () => {
    expect(parseMoney('1095,50')).toBe(109550);
    expect(parseMoney(' 3.52 ')).toBe(352);
    expect(parseMoney('800')).toBe(80000);
    expect(parseMoney('0.1')).toBe(10);
    for (const bad of ['', '3.521', '-5', '1 000', 'abc', '1.2.3']) expect(parseMoney(bad)).toBeNull();
  });

  it('round-trips a rate card: the form shows decimals, the model holds minor units, the services get exact decimal strings', () => {
    const form = formOf(card, ['dk-office']);
    expect(form.rates).toEqual([
      { name: 'L1', text: '800.00' },
      { name: 'L2', text: '1095.50' },
    ]);
    expect(form.mileagePerKm).toBe('3.52');
    const { model, errors } = modelOf(form, msg);
    expect(errors).toEqual({});
    expect(model).toMatchObject({
      rates: { L1: 80000, L2: 109550 },
      mileagePerKm: 352,
      fees: { diagnosis: 45000 },
      freeMinutesPerCase: 15,
      afterHours: { calendar: 'dk-office', surchargePct: '100' },
    });
    expect(rateCardOf(model!)).toEqual({
      currency: 'DKK',
      vatPct: '25',
      rates: { L1: '800.00', L2: '1095.50' },
      freeMinutesPerCase: 15,
      afterHours: { calendar: 'dk-office', surchargePct: '100' },
      mileagePerKm: '3.52',
      fees: { diagnosis: '450.00' },
    });
  });

  it("names each bad field with the rate card's path", () => {
    const form = { ...formOf(card, ['dk-office']), mileagePerKm: '3,521', roundUpToMinutes: '7.5' };
    form.rates = [
      { name: 'L1', text: 'eight hundred' },
      { name: 'L1', text: '900' },
      { name: '', text: '1' },
    ];
    const { model, errors } = modelOf(form, msg);
    expect(model).toBeNull();
    expect(errors).toEqual({ 'rates.L1': 'not an amount', 'rates[1]': 'twice', 'rates[2]': 'name?', mileagePerKm: 'not an amount', roundUpToMinutes: 'whole minutes' });
  });

  it('a new rate card starts with 25 % VAT and one level; empty optional fields are left out', () => {
    const form = formOf(null, ['office']);
    expect(form).toMatchObject({ currency: '', vatPct: '25', rates: [{ name: 'L1', text: '' }], afterHours: false, afterHoursCalendar: 'office', fees: [] });
    const { model } = modelOf({ ...form, currency: 'EUR', rates: [{ name: 'L1', text: '95' }] }, msg);
    expect(rateCardOf(model!)).toEqual({ currency: 'EUR', vatPct: '25', rates: { L1: '95.00' } });
  });
});

/** Warranty dates and the diagnosis fee (Atea: Mac 3 years, iPad 2 years, bought from 2015-01-01; NOK 450 outside). */
import { describe, expect, it } from 'vitest';
import { checkWarranty, coversProduct, warrantyEnd, warrantyStatus, withDiagnosisFee } from '../../../core/agreements/warranty.js';
import type { WarrantySection } from '../../../core/agreements/warranty.js';
import { priceCase } from '../../../core/billing/index.js';

const atea: WarrantySection = {
  terms: [
    { name: 'Mac', products: ['Mac', 'iMac'], years: 3, purchasedFrom: '2015-01-01' },
    { name: 'iPad', products: ['iPad'], years: 2, purchasedFrom: '2015-01-01' },
  ],
  diagnosisFee: 'diagnosis',
};

describe('warranty dates', () => {
  it('runs to the day before the anniversary, across year ends and leap days', () => {
    expect(warrantyEnd('2024-01-01', 3)).toBe('2026-12-31');
    expect(warrantyEnd('2023-12-31', 2)).toBe('2025-12-30');
    expect(warrantyEnd('2016-02-29', 3)).toBe('2019-02-28');
    expect(warrantyEnd('2015-03-01', 1)).toBe('2016-02-29');
    expect(warrantyEnd('2016-02-29', 4)).toBe('2020-02-28');
  });

  it('a Mac bought 2024-01-01 is under warranty on 2026-12-31 and not on 2027-01-01', () => {
    const mac = { product: 'MacBook Pro 14', purchaseDate: '2024-01-01' };
    expect(warrantyStatus(mac, atea, '2026-12-31')).toMatchObject({ state: 'under_warranty', until: '2026-12-31', term: 0 });
    expect(warrantyStatus(mac, atea, '2027-01-01')).toMatchObject({ state: 'expired', until: '2026-12-31' });
  });

  it('an iPad has two years; an iMac is a Mac; a ThinkPad is not covered', () => {
    expect(warrantyStatus({ product: 'iPad Air', purchaseDate: '2025-06-15' }, atea, '2027-06-14')).toMatchObject({ state: 'under_warranty', until: '2027-06-14', term: 1 });
    expect(warrantyStatus({ product: 'iPad Air', purchaseDate: '2025-06-15' }, atea, '2027-06-15')).toMatchObject({ state: 'expired' });
    expect(warrantyStatus({ product: 'iMac 24', purchaseDate: '2025-06-15' }, atea, '2026-06-15')).toMatchObject({ state: 'under_warranty', term: 0 });
    expect(warrantyStatus({ product: 'ThinkPad T14', purchaseDate: '2025-06-15' }, atea, '2026-06-15')).toMatchObject({ state: 'not_covered' });
  });

  it('bought before 2015-01-01 is outside the terms; the first day counts', () => {
    expect(warrantyStatus({ product: 'Mac mini', purchaseDate: '2014-12-31' }, atea, '2015-06-01')).toMatchObject({ state: 'not_covered' });
    expect(warrantyStatus({ product: 'Mac mini', purchaseDate: '2015-01-01' }, atea, '2015-06-01')).toMatchObject({ state: 'under_warranty', until: '2017-12-31' });
  });

  it("the asset's own end date wins; without a purchase date it is unknown", () => {
    expect(warrantyStatus({ product: 'ThinkPad', purchaseDate: null, warrantyUntil: '2027-03-01' }, atea, '2027-03-01')).toMatchObject({ state: 'under_warranty', until: '2027-03-01' });
    expect(warrantyStatus({ product: 'MacBook Air', purchaseDate: null }, atea, '2027-03-01')).toMatchObject({ state: 'unknown' });
  });

  it('matches product words by their start, case aside', () => {
    expect(coversProduct({ products: ['Mac'] }, 'Apple macbook air')).toBe(true);
    expect(coversProduct({ products: ['Mac'] }, 'iMac')).toBe(false);
  });
});

describe('diagnosis fee', () => {
  const card = { currency: 'NOK', vatPct: 25, rates: { L1: 900 }, fees: { diagnosis: 450 } };
  const expired = warrantyStatus({ product: 'MacBook Pro', purchaseDate: '2020-01-01' }, atea, '2026-12-03');
  const under = warrantyStatus({ product: 'MacBook Pro', purchaseDate: '2025-01-01' }, atea, '2026-12-03');

  it('is proposed outside the warranty: NOK 450 on the invoice', () => {
    const inv = priceCase(card, withDiagnosisFee({ entries: [] }, expired, atea, false));
    expect(inv.lines).toEqual([{ kind: 'fee', text: 'diagnosis', amount: 45000, fee: 'diagnosis' }]);
    expect(inv.total).toBe(56250);
  });

  it('is waived once the repair quote is accepted, also when a visit listed it', () => {
    expect(withDiagnosisFee({ entries: [] }, expired, atea, true).fees).toEqual([{ fee: 'diagnosis', waived: true }]);
    expect(withDiagnosisFee({ entries: [], fees: [{ fee: 'parking' }, { fee: 'diagnosis' }] }, expired, atea, true).fees).toEqual([{ fee: 'parking' }, { fee: 'diagnosis', waived: true }]);
    expect(priceCase({ ...card, fees: { ...card.fees, parking: 50 } }, withDiagnosisFee({ entries: [], fees: [{ fee: 'diagnosis' }] }, expired, atea, true)).subtotal).toBe(0);
  });

  it('is not proposed under warranty, with an unknown warranty, or without a fee in the contract', () => {
    expect(withDiagnosisFee({ entries: [] }, under, atea, false).fees).toBeUndefined();
    expect(withDiagnosisFee({ entries: [] }, warrantyStatus({ product: 'Mac', purchaseDate: null }, atea, '2026-12-03'), atea, false).fees).toBeUndefined();
    expect(withDiagnosisFee({ entries: [] }, expired, { terms: atea.terms }, false).fees).toBeUndefined();
  });
});

describe('checkWarranty', () => {
  it('accepts the Atea section and names the path of each problem', () => {
    expect(checkWarranty(atea)).toEqual([]);
    expect(
      checkWarranty({
        terms: [
          { products: [], years: 0, purchasedFrom: '2015-13-01' },
          { products: ['Mac'], years: 3, purchasedFrom: '2016-01-01', purchasedTo: '2015-01-01', x: 1 },
        ],
        diagnosisFee: '',
      }).map((i) => i.path),
    ).toEqual(['warranty.diagnosisFee', 'warranty.terms[0].products', 'warranty.terms[0].years', 'warranty.terms[0].purchasedFrom', 'warranty.terms[1].x', 'warranty.terms[1].purchasedTo']);
    expect(checkWarranty({ terms: [{ products: ['Mac'], years: 1, purchasedFrom: '1999-12-31' }] })[0]?.message).toContain('2000-01-01');
  });
});

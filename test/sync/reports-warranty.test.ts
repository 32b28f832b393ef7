/**
 * Scheduled reports and warranty between SQLite devices and a real server
 * (migration 0017): the contract's sections, the reports sent (so the other
 * device knows it was sent), and an asset's purchase date travel with the
 * contract and asset records; a section that fails its check is refused with
 * its path and not stored on the server.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sampleContract } from '../db/helpers.js';
import { Fleet, sync } from './fleet.js';
import type { Client } from './fleet.js';

const fleet = new Fleet();
beforeAll(() => fleet.start());
afterAll(() => fleet.stop());
afterEach(() => fleet.clear());

const REPORTS = {
  level: 'bronze',
  schedules: [{ id: 'monthly', every: 'month' as const, window: { fromDay: 5, toDay: 20 }, to: ['telefoni@kunde.dk'], levels: ['bronze'], fee: 'sla-report' }],
  kpis: [{ metric: 'resolution' as const, minPct: 97, levels: ['bronze'] }],
};
const WARRANTY = { terms: [{ products: ['Mac'], years: 3, purchasedFrom: '2015-01-01' }], diagnosisFee: 'diagnosis' };

function register(c: Client) {
  const customer = c.d.store.customers.createCustomer({ name: 'Kunde A/S' });
  const contract = c.d.store.customers.createContract(sampleContract(customer.id, { agreementNumber: `TN${Math.floor(Math.random() * 1e7)}` }));
  const asset = c.d.store.customers.createAsset({ customerId: customer.id, product: 'MacBook Pro 14', serialNumber: 'C02XK1ABCDEF' });
  return { customer, contract, asset };
}

describe('reports and warranty between devices', () => {
  it('sections, a report sent and the purchase date reach the other device', async () => {
    const a = await fleet.enrolled();
    const b = await fleet.enrolled();
    const k = register(a);
    a.d.store.agreements.setSections(k.contract.id, { reports: REPORTS, warranty: WARRANTY });
    a.d.store.agreements.setAssetWarranty(k.asset.id, { purchaseDate: '2024-01-01' });
    a.d.store.agreements.recordReportSent(k.contract.id, { schedule: 'monthly', period: '2026-11', sentAt: Date.UTC(2026, 11, 7, 9), to: ['telefoni@kunde.dk'], by: 'Mette' });
    await sync(a, b);
    expect(b.d.store.agreements.contract(k.contract.id)).toMatchObject({
      reports: REPORTS,
      warranty: WARRANTY,
      reportsSent: [{ schedule: 'monthly', period: '2026-11', sentAt: Date.UTC(2026, 11, 7, 9), to: ['telefoni@kunde.dk'], by: 'Mette' }],
    });
    expect(b.d.store.agreements.asset(k.asset.id)).toMatchObject({ product: 'MacBook Pro 14', purchaseDate: '2024-01-01', warrantyUntil: null });
    expect(b.d.store.sync.rejected()).toEqual([]);
  });

  it('a reports section that fails its check is refused by the server, naming the path', async () => {
    const a = await fleet.enrolled();
    const b = await fleet.enrolled();
    const k = register(a);
    await sync(a, b);
    // The app checks a section before storing it; a device that did not (an old or broken one) is stopped by the server.
    a.d.store.agreements.setSections(k.contract.id, { reports: { schedules: [{ ...REPORTS.schedules[0]!, window: { fromDay: 20, toDay: 5 } }] } });
    await sync(a, b);
    const refused = a.d.store.sync.rejected();
    expect(refused).toHaveLength(1);
    expect(refused[0]?.message).toContain('reports.schedules[0].window.toDay');
    expect(b.d.store.agreements.contract(k.contract.id)?.reports).toBeNull();
  });
});

/**
 * Scheduled reports and warranty through the app's services (real store,
 * real dispatcher). The clock stands at Friday 2026-03-27 15:30 Copenhagen.
 */
import { describe, expect, it } from 'vitest';
import { exampleContract, servicesPerTest } from '../helpers/services.js';

const services = servicesPerTest();
const { fail } = services;
const { call } = services;

const REPORTS = {
  level: 'bronze',
  schedules: [
    { id: 'monthly', name: 'SLA report', every: 'month', window: { fromDay: 5, toDay: 20 }, to: ['telefoni@kunde.dk'], levels: ['bronze'], fee: 'sla-report' },
    { id: 'quarterly', every: 'quarter', window: { fromDay: 5, toDay: 20 }, to: ['telefoni@kunde.dk'], levels: ['silver', 'gold'] },
  ],
  kpis: [{ metric: 'resolution', minPct: 97, name: 'Repair times', levels: ['bronze'] }],
};
const WARRANTY = { terms: [{ name: 'Mac', products: ['Mac', 'iMac'], years: 3, purchasedFrom: '2015-01-01' }], diagnosisFee: 'diagnosis' };
const CARD = { currency: 'DKK', vatPct: '25', rates: { L1: '800.00' }, fees: { 'sla-report': '499', diagnosis: '450' } };

async function contract() {
  const imp = await services.importContract(exampleContract());
  await call('billing.setRateCard', { contractId: imp.contractId, rateCard: CARD });
  return imp;
}

describe('scheduled reports', () => {
  it('a bad section is refused with its path and nothing is stored', async () => {
    const k = await contract();
    const e = await fail('agreements.setSections', { contractId: k.contractId, reports: { schedules: [{ ...REPORTS.schedules[0], window: { fromDay: 5, toDay: 40 } }] } });
    expect(e).toMatchObject({ code: 'invalid_request', path: 'reports.schedules[0].window.toDay' });
    expect((await call('agreements.contract', { contractId: k.contractId })).reports).toBeNull();
  });

  it('the February report is overdue on 27 March; once sent (synced with the contract) the March report is next, and its fee goes on the invoice once', async () => {
    const k = await contract();
    await call('agreements.setSections', { contractId: k.contractId, reports: REPORTS });
    let due = (await call('agreements.dueReports', {})).reports;
    expect(due.map((d: { scheduleId: string; period: string; state: string; windowFrom: number; to: string[] }) => [d.scheduleId, d.period, d.state, d.windowFrom, d.to])).toEqual([
      ['monthly', '2026-02', 'overdue', Date.UTC(2026, 2, 4, 23), ['telefoni@kunde.dk']],
    ]);
    expect((await fail('agreements.markReportSent', { contractId: k.contractId, schedule: 'weekly', period: '2026-02', to: ['a@b.dk'] })).path).toBe('schedule');
    expect((await fail('agreements.markReportSent', { contractId: k.contractId, schedule: 'monthly', period: '2026-02', to: ['not mail'] })).path).toBe('to[0]');
    await call('agreements.markReportSent', { contractId: k.contractId, schedule: 'monthly', period: '2026-02', to: ['telefoni@kunde.dk'], by: 'Mette' });
    // Sent again (a correction): recorded, but charged once.
    const view = await call('agreements.markReportSent', { contractId: k.contractId, schedule: 'monthly', period: '2026-02', to: ['telefoni@kunde.dk'] });
    expect(view.reportsSent).toHaveLength(2);
    due = (await call('agreements.dueReports', {})).reports;
    expect(due.map((d: { period: string; state: string; windowFrom: number }) => [d.period, d.state, d.windowFrom])).toEqual([['2026-03', 'upcoming', Date.UTC(2026, 3, 4, 22)]]);

    const month = await call('billing.month', { customerId: k.customerId, month: '2026-03' });
    const fee = month.cases.find((c) => c.title === 'SLA report 2026-02');
    expect(fee?.invoice?.lines).toEqual([{ kind: 'fee', text: 'sla-report 2026-02', amount: 49900, fee: 'sla-report' }]);
    expect(month.cases.filter((c) => c.title?.startsWith('SLA report'))).toHaveLength(1);
    expect(month.totals).toEqual([{ currency: 'DKK', subtotal: 49900, vat: 12475, total: 62375 }]);
    const csv = await call('billing.csv', { customerId: k.customerId, month: '2026-03' });
    expect(csv.content).toContain('sla-report 2026-02,,499.00,124.75,DKK');
    // Nothing sent in February: no fee there.
    expect((await call('billing.month', { customerId: k.customerId, month: '2026-02' })).cases).toEqual([]);
  });

  it('the SLA report shows the guaranteed KPI at the service level', async () => {
    const k = await contract();
    await call('agreements.setSections', { contractId: k.contractId, reports: REPORTS });
    expect((await call('reports.sla', { contractId: k.contractId, month: '2026-03' })).kpis).toEqual([{ metric: 'resolution', name: 'Repair times', minPct: 97, pct: null, state: 'no_data' }]);
    await call('agreements.setSections', { contractId: k.contractId, reports: { ...REPORTS, level: 'gold' } });
    expect((await call('reports.sla', { contractId: k.contractId, month: '2026-03' })).kpis).toEqual([]);
  });

  it('met while the repairs are in time, breached when one of two is late (50 % < 97 %)', async () => {
    const k = await contract();
    await call('agreements.setSections', { contractId: k.contractId, reports: REPORTS });
    const c = await call('desk.contract', { contractId: k.contractId });
    const register = async (description: string) =>
      (
        await call('desk.register', {
          customerId: k.customerId,
          contractId: k.contractId,
          policy: 'critical',
          critical: true,
          channel: 'phone',
          authorisedBy: 'contact',
          contactId: c.contacts[0]!.id,
          description,
          intake: { site_address: 'Kajgade 4' },
        })
      ).ticket;
    const { clock } = services.t;
    const a = await register('switch down');
    clock.set(clock.now() + 60 * 60_000);
    await call('desk.act', { ticketId: a.id, action: { type: 'resolve', text: 'replaced' } }); // within the 8 h of the critical policy
    expect((await call('reports.sla', { contractId: k.contractId, month: '2026-03' })).kpis).toMatchObject([{ pct: 100, state: 'met' }]);
    const b = await register('router down');
    clock.set(clock.now() + 9 * 60 * 60_000);
    await call('desk.act', { ticketId: b.id, action: { type: 'resolve', text: 'late' } });
    expect((await call('reports.sla', { contractId: k.contractId, month: '2026-03' })).kpis).toMatchObject([{ metric: 'resolution', pct: 50, minPct: 97, state: 'breached' }]);
  });
});

describe('warranty', () => {
  it('intake: unknown until the purchase date is kept; a Mac bought 2022-01-10 is out of warranty, one bought 2024-05-01 under it', async () => {
    const k = await contract();
    await call('agreements.setSections', { contractId: k.contractId, warranty: WARRANTY });
    expect((await call('agreements.intakeWarranty', { contractId: k.contractId, product: 'MacBook Pro', serialNumber: 'C02XK1' })).status).toMatchObject({ state: 'unknown' });
    expect((await fail('agreements.saveAsset', { contractId: k.contractId, product: 'MacBook Pro', serialNumber: 'C02XK1', purchaseDate: '2022-02-30' })).path).toBe('purchaseDate');
    // Refused: not even the asset was kept.
    expect((await call('agreements.intakeWarranty', { contractId: k.contractId, serialNumber: 'C02XK1' })).assetId).toBeNull();
    const old = await call('agreements.saveAsset', { contractId: k.contractId, product: 'MacBook Pro', serialNumber: 'C02XK1', purchaseDate: '2022-01-10' });
    expect(old).toMatchObject({ purchaseDate: '2022-01-10', status: { state: 'expired', until: '2025-01-09' }, diagnosisFee: 'diagnosis' });
    // The same serial number again: the same asset, its date changed.
    const again = await call('agreements.saveAsset', { contractId: k.contractId, product: 'MacBook Pro', serialNumber: 'c02xk1', purchaseDate: '2024-05-01' });
    expect(again.assetId).toBe(old.assetId);
    expect((await call('agreements.intakeWarranty', { contractId: k.contractId, product: 'MacBook Pro', serialNumber: 'C02XK1' })).status).toMatchObject({
      state: 'under_warranty',
      until: '2027-04-30',
    });
  });

  it('outside the warranty the diagnosis fee is proposed on the case, and waived once the quote is accepted', async () => {
    const k = await contract();
    await call('agreements.setSections', { contractId: k.contractId, warranty: WARRANTY });
    await call('agreements.saveAsset', { contractId: k.contractId, product: 'MacBook Pro', serialNumber: 'C02XK1', purchaseDate: '2022-01-10' });
    const c = await call('desk.contract', { contractId: k.contractId });
    const tk = (
      await call('desk.register', {
        customerId: k.customerId,
        contractId: k.contractId,
        policy: 'normal',
        channel: 'phone',
        authorisedBy: 'contact',
        contactId: c.contacts[0]!.id,
        description: 'no boot',
        intake: { site_address: 'Kajgade 4', product: 'MacBook Pro', serial_number: 'C02XK1' },
      })
    ).ticket;
    expect(await call('agreements.ticketWarranty', { ticketId: tk.id })).toMatchObject({
      asset: { status: { state: 'expired' } },
      quoteAccepted: false,
      proposedFee: { fee: 'diagnosis', waived: false },
    });
    expect((await call('billing.case', { ticketId: tk.id })).invoice?.lines).toEqual([{ kind: 'fee', text: 'diagnosis', amount: 45000, fee: 'diagnosis' }]);
    expect(await call('agreements.setQuoteAccepted', { ticketId: tk.id, accepted: true, author: 'Mette' })).toMatchObject({ quoteAccepted: true, proposedFee: { fee: 'diagnosis', waived: true } });
    expect((await call('billing.case', { ticketId: tk.id })).invoice).toMatchObject({ lines: [{ kind: 'fee', text: 'diagnosis (waived)', amount: 0, waived: true }], total: 0 });
    // Withdrawn: the fee is due again.
    await call('agreements.setQuoteAccepted', { ticketId: tk.id, accepted: false });
    expect((await call('billing.case', { ticketId: tk.id })).invoice?.total).toBe(56250);
  });

  it('under warranty no fee is proposed', async () => {
    const k = await contract();
    await call('agreements.setSections', { contractId: k.contractId, warranty: WARRANTY });
    await call('agreements.saveAsset', { contractId: k.contractId, product: 'iMac 24', serialNumber: 'IM1', purchaseDate: '2025-01-01' });
    const c = await call('desk.contract', { contractId: k.contractId });
    const tk = (
      await call('desk.register', {
        customerId: k.customerId,
        contractId: k.contractId,
        policy: 'normal',
        channel: 'phone',
        authorisedBy: 'contact',
        contactId: c.contacts[0]!.id,
        description: 'screen',
        intake: { site_address: 'Kajgade 4', serial_number: 'IM1' },
      })
    ).ticket;
    expect(await call('agreements.ticketWarranty', { ticketId: tk.id })).toMatchObject({ asset: { status: { state: 'under_warranty' } }, proposedFee: null });
    expect((await call('billing.case', { ticketId: tk.id })).invoice?.lines).toEqual([]);
  });
});

describe('templates', () => {
  it('a contract made from the Telenor template has its report schedules, one from the Atea template its warranty terms', async () => {
    const { customer } = await call('desk.createCustomer', { name: 'Kunde A/S', orgNumber: null, notes: '' });
    const tn = await call('desk.createContract', { customerId: customer.id, agreementNumber: 'TN-1', template: 'sla-callbacks-dk' });
    const a = await call('agreements.contract', { contractId: tn.id });
    expect(a.reports).toMatchObject({
      level: 'bronze',
      schedules: [
        { id: 'monthly', window: { fromDay: 5, toDay: 20 }, fee: 'sla-report' },
        { id: 'quarterly', levels: ['silver', 'gold'] },
      ],
    });
    expect(a.due.map((d: { scheduleId: string }) => d.scheduleId)).toEqual(['monthly']);
    const at = await call('desk.createContract', { customerId: customer.id, agreementNumber: 'SA0011807', template: 'onsite-nbd-no' });
    expect((await call('agreements.contract', { contractId: at.id })).warranty).toMatchObject({
      terms: [
        { products: ['Mac', 'iMac'], years: 3, purchasedFrom: '2015-01-01' },
        { products: ['iPad'], years: 2 },
      ],
      diagnosisFee: 'diagnosis',
    });
    // Exported with the contract, so the file imports elsewhere with them.
    expect((await call('desk.exportContract', { contractId: at.id })).file.warranty).toMatchObject({ diagnosisFee: 'diagnosis' });
  });

  it('a contract file with a bad section is refused with its path, nothing stored; a good one is stored with its sections', async () => {
    const bad = { ...exampleContract(), warranty: { terms: [{ products: ['Mac'], years: 0 }] } };
    const r = await call('desk.importContract', { file: bad });
    expect(r).toMatchObject({ imported: false, issues: [{ path: 'warranty.terms[0].years' }] });
    expect((await call('desk.customers', { prefix: '' })).customers).toEqual([]);
    const ok = await services.importContract({ ...exampleContract(), reports: REPORTS, warranty: WARRANTY });
    expect(await call('agreements.contract', { contractId: ok.contractId })).toMatchObject({ reports: REPORTS, warranty: WARRANTY });
  });
});

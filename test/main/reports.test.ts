import { describe, expect, it } from 'vitest';
import { exampleContract, servicesPerTest } from '../helpers/services.js';

const example = exampleContract();
const card = {
  id: 'dk-standard',
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

const cph = (local: string) => Date.parse(`${local}+01:00`); // CET, until Sunday 29 March 2026
const cest = (local: string) => Date.parse(`${local}+02:00`); // CEST, from 29 March 2026

async function setup() {
  const imp = await services.importContract(example);
  const c = await call('desk.contract', { contractId: imp.contractId });
  const register = (policy: string, title: string) =>
    call('desk.register', {
      contractId: imp.contractId,
      customerId: imp.customerId,
      policy,
      channel: 'phone',
      authorisedBy: 'contact',
      contactId: c.contacts[0]!.id,
      title,
      description: title,
      intake: { site_address: 'Kajgade 4' },
    }).then((r) => r.ticket);
  return { ...imp, register };
}

const services = servicesPerTest(); // now: Fri 27 March 2026 15:30 in Copenhagen
const { fail } = services;
const { call } = services;

describe('billing', () => {
  it('logs time entries (start/end, or a duration) and visits with km and fees, and prices the case with the rate card', async () => {
    const { contractId, customerId, register } = await setup();
    const tk = await register('normal', 'Router down');
    expect((await call('billing.case', { ticketId: tk.id })).error?.message).toBe('contract SA0009858 has no rate card');
    const bad = await fail('billing.setRateCard', { contractId, rateCard: { ...card, afterHours: { calendar: 'nope', surchargePct: 100 } } });
    expect(bad).toMatchObject({ code: 'invalid_request', path: 'rateCard.afterHours.calendar' });
    await call('billing.setRateCard', { contractId, rateCard: card });

    // 40 min remote L1 inside office hours (15:30-16:00 is open; 16:00-16:10 after hours)
    services.t.clock.set(cph('2026-03-27T16:20:00'));
    await call('billing.addTimeEntry', { ticketId: tk.id, level: 'L1', kind: 'remote', start: cph('2026-03-27T15:30:00'), end: cph('2026-03-27T16:10:00') });
    // 20 min by duration, ending now, not billable
    await call('billing.addTimeEntry', { ticketId: tk.id, kind: 'phone', minutes: 20, billable: false });
    await call('billing.addVisit', { ticketId: tk.id, arrivedAt: cph('2026-03-27T16:00:00'), km: 42, fees: [{ fee: 'diagnosis' }] });
    expect((await fail('billing.addTimeEntry', { ticketId: tk.id, kind: 'phone' })).path).toBe('start');
    expect((await fail('billing.addTimeEntry', { ticketId: tk.id, kind: 'onsite', start: cph('2026-03-27T17:00:00'), end: cph('2026-03-27T16:00:00') })).path).toBe('end');
    expect((await fail('billing.addTimeEntry', { ticketId: tk.id, kind: 'bike', minutes: 5 })).path).toBe('kind');

    const ticket = await call('desk.ticket', { id: tk.id });
    const te = ticket.events.filter((e) => e.type === 'time_entry');
    expect(te.map((e) => [e.data.minutes, e.data.level, e.data.kind, e.data.billable])).toEqual([
      [40, 'L1', 'remote', true],
      [20, 'L1', 'phone', false],
    ]);

    const inv = (await call('billing.case', { ticketId: tk.id })).invoice!;
    // 40 billable: the 15 free come from 15:30-15:45; 15 normal -> 15 min L1 = 200.00; 10 after hours -> 15 min L1 after hours = 400.00
    expect(inv.lines.map((l) => [l.text, l.amount])).toEqual([
      ['15 min L1', 20000],
      ['15 min L1 after hours', 40000],
      ['42 km × 3.52', 14784],
      ['diagnosis', 45000],
    ]);
    expect([inv.subtotal, inv.vat, inv.total]).toEqual([119784, 29946, 149730]);

    const month = await call('billing.month', { customerId, month: '2026-03' });
    expect(month.cases.map((c) => c.caseNumber)).toEqual([tk.caseNumber]);
    expect(month.totals).toEqual([{ currency: 'DKK', subtotal: 119784, vat: 29946, total: 149730 }]);
    expect((await call('billing.month', { customerId, month: '2026-04' })).cases).toEqual([]);

    const csv = await call('billing.csv', { customerId, month: '2026-03' });
    expect(csv.filename).toBe('invoices-Nordhavn_Logistik_ApS-2026-03.csv');
    const lines = csv.content.split('\r\n');
    expect(lines[0]).toBe('\uFEFFcase_number,customer,agreement_number,date,text,minutes,amount,vat,currency');
    expect(lines[1]).toBe(`${tk.caseNumber},Nordhavn Logistik ApS,SA0009858,2026-03-27,15 min L1,15,200.00,50.00,DKK`);
    expect(lines[4]).toBe(`${tk.caseNumber},Nordhavn Logistik ApS,SA0009858,2026-03-27,diagnosis,,450.00,112.50,DKK`);
    expect(lines.length).toBe(6);
  });
});

describe('reports', () => {
  it('computes the month SLA report of a contract from the engine, with CSV', async () => {
    const { contractId, register } = await setup();
    const a = await register('normal', 'A'); // Fri 15:30: office hours until 16:00
    await call('desk.act', { ticketId: a.id, action: { type: 'respond', text: 'on it' } });
    services.t.clock.set(cest('2026-03-30T10:00:00')); // Mon: 30 + 120 = 150 open minutes
    await call('desk.act', { ticketId: a.id, action: { type: 'resolve', text: 'fixed' } });
    const b = await register('high', 'B');
    services.t.clock.set(cest('2026-03-30T12:00:00'));
    const r = await call('reports.sla', { contractId, month: '2026-03' });
    expect(r.agreementNumber).toBe('SA0009858');
    expect(r.timezone).toBe('Europe/Copenhagen');
    expect(r.tickets).toBe(2);
    expect(r.response).toEqual({ met: 1, breached: 1, open: 0, pct: 50 }); // B (high) has no response 2 h after it came in
    expect(r.resolution.met).toBe(1);
    expect(r.timeToResolution).toEqual({ count: 1, median: 150, p90: 150 }); // Fri 15:30-16:00 + Mon 08:00-10:00
    expect(r.timeToResponse.median).toBe(0);
    expect(r.byPolicy.map((p) => p.policy).sort()).toEqual(['high', 'normal']);
    expect(r.policyNames.normal).toBe('Normal SLA (standard)');
    expect(b.caseNumber).toBeTruthy();
    const csv = await call('reports.slaCsv', { contractId, month: '2026-03' });
    expect(csv.filename).toBe('sla-SA0009858-2026-03.csv');
    expect(csv.content).toContain('SA0009858,2026-03,resolution,met,1,,,\r\n');
    expect((await fail('reports.sla', { contractId, month: '2026-13' })).path).toBe('month');
    expect((await fail('reports.sla', { contractId: 'nope', month: '2026-03' })).code).toBe('not_found');
  });
});

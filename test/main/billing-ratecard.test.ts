/** billing.rateCard / billing.setRateCard: what the rate card form reads and writes, and that the invoice follows. */
import { expect, it } from 'vitest';
import { exampleContract, servicesPerTest } from '../helpers/services.js';

const example = exampleContract();
const services = servicesPerTest(); // Friday 2026-03-27 15:30 Copenhagen: office hours
const { call, fail } = services;

it('reads no rate card, then the one set (decimal strings kept exact); the case is priced with it; errors carry the field path', async () => {
  const { contract: c, ticket: tk } = await services.exampleTicket();
  expect(await call('billing.rateCard', { contractId: c.id })).toEqual({ rateCard: null, calendars: Object.keys(example.calendars) });
  await call('billing.addTimeEntry', { ticketId: tk.id, kind: 'remote', minutes: 30, start: Date.UTC(2026, 2, 26, 9, 0) }); // Thu 10:00 local, office hours
  const card = { currency: 'DKK', vatPct: '25', rates: { L1: '800.00' }, roundUpToMinutes: 15, afterHours: { calendar: 'dk-office', surchargePct: '100' } };
  await call('billing.setRateCard', { contractId: c.id, rateCard: card });
  expect((await call('billing.rateCard', { contractId: c.id })).rateCard).toEqual(card);
  expect((await call('billing.case', { ticketId: tk.id })).invoice).toMatchObject({ subtotal: 40000, total: 50000 });
  await call('billing.setRateCard', { contractId: c.id, rateCard: { ...card, rates: { L1: '1000.50' } } });
  expect((await call('billing.case', { ticketId: tk.id })).invoice).toMatchObject({ subtotal: 50025 });
  expect((await fail('billing.setRateCard', { contractId: c.id, rateCard: { ...card, rates: { L1: '10.005' } } })).path).toBe('rateCard.rates.L1');
  expect((await fail('billing.setRateCard', { contractId: c.id, rateCard: { ...card, afterHours: { calendar: 'nope', surchargePct: 100 } } })).path).toBe('rateCard.afterHours.calendar');
  expect((await fail('billing.setRateCard', { contractId: c.id, rateCard: { ...card, currency: 'dkk' } })).path).toBe('rateCard.currency');
  expect((await fail('billing.rateCard', { contractId: 'nope' })).code).toBe('not_found');
});

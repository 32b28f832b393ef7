import { test, expect } from './fixtures.js';
import { api, registerTicket, seedOverdueTicket } from './seed.js';

test('the Alerts panel acknowledges all alerts of one customer, then all', async ({ page, vakt }) => {
  const { ticket, ...ids } = await seedOverdueTicket(vakt);
  const nordhavn = (await api(vakt, 'desk.contract', { contractId: ids.contractId })).customerName as string;
  // A second customer on a copy of the contract (its critical response target is ~1 s too).
  const { customer } = await api(vakt, 'desk.createCustomer', { name: 'Polderweg Zorg B.V.', orgNumber: null, notes: '' });
  const copy = await api(vakt, 'desk.createContract', { customerId: customer.id, agreementNumber: 'PZ-2026-01', copyFrom: ids.contractId });
  await api(vakt, 'desk.addContact', { contractId: copy.id, name: 'Daan de Vries', phone: '+31 20 123 4567' });
  const other = await registerTicket(vakt, { contractId: copy.id, customerId: customer.id }, 'critical', 'Nurse call system down', 'Nurse call down');
  await new Promise((r) => setTimeout(r, 1500));
  await page.goto(vakt.url);
  const panel = page.getByRole('region', { name: 'Alerts' });
  const rowsOf = (caseNumber: string) => panel.getByRole('row').filter({ hasText: caseNumber });
  await expect(rowsOf(ticket.caseNumber).first()).toBeVisible();
  await expect(rowsOf(other.caseNumber).first()).toBeVisible();

  await panel.getByRole('button', { name: `Acknowledge all of ${nordhavn}` }).click();
  await expect(rowsOf(ticket.caseNumber)).toHaveCount(0);
  await expect(rowsOf(other.caseNumber).first()).toBeVisible();
  const left = (await api(vakt, 'alerts.list', {})).active as Array<{ customerName: string }>;
  expect(left.length).toBeGreaterThan(0);
  expect(left.every((a) => a.customerName === 'Polderweg Zorg B.V.')).toBe(true);

  await panel.getByRole('button', { name: 'Acknowledge all', exact: true }).click();
  await expect(panel.getByText('No active alerts.')).toBeVisible();
  expect((await api(vakt, 'alerts.list', {})).active).toEqual([]);
});

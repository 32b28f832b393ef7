import { test, expect } from './fixtures.js';
import { api, registerTicket, seedAfterHours, seedOverdueTicket } from './seed.js';

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

test('the Alerts panel shows a page of 200, the total, more on request, and acknowledges all of them, not the page', async ({ page, vakt }) => {
  const ids = await seedAfterHours(vakt, (f) => (f.policies.critical.targets.response = { within: { minutes: 0.02 } }));
  const n = 230;
  for (let i = 0; i < n; i += 10) await Promise.all(Array.from({ length: Math.min(10, n - i) }, (_, k) => registerTicket(vakt, ids, 'critical', `Site ${i + k} unreachable`, `Site ${i + k} down`)));
  // Each critical response deadline (~1 s) passes: every ticket has an active alert.
  // Wait for every ticket's breach, not for a total (a ticket may also have a warning: a total of n came before the last breaches on a loaded CI machine).
  const breached = async () =>
    new Set(((await api(vakt, 'alerts.list', { limit: 1000 })).active as Array<{ kind: string; ticketId: string }>).filter((a) => a.kind === 'breach').map((a) => a.ticketId)).size;
  await expect.poll(breached, { timeout: 30_000 }).toBe(n);
  await page.goto(vakt.url);
  const panel = page.getByRole('region', { name: 'Alerts' });
  const rows = panel.getByRole('table', { name: 'Active alerts' }).locator('tbody tr');
  await expect(rows).toHaveCount(200);
  const total = (await api(vakt, 'alerts.list', { limit: 1 })).total as number;
  await expect(page.getByTestId('alert-count')).toHaveText(String(total));
  await expect(panel.getByTestId('alerts-shown')).toHaveText(`Showing 200 of ${total} active alerts`);
  await panel.getByRole('button', { name: `Show ${Math.min(200, total - 200)} more` }).click();
  await expect(rows).toHaveCount(Math.min(400, total));

  await panel.getByRole('button', { name: 'Acknowledge all', exact: true }).click();
  await expect(panel.getByText('No active alerts.')).toBeVisible();
  expect((await api(vakt, 'alerts.list', {})).total).toBe(0);
});

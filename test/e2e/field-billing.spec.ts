/** Field and billing without double entry (issue 15 item 8). */
import { test, expect } from './fixtures.js';
import { api, registerTicket, seedAfterHours } from './seed.js';

const card = { currency: 'DKK', vatPct: 25, rates: { L1: 800, L2: 1095 }, freeMinutesPerCase: 15, minimumMinutesPerCase: 15, roundUpToMinutes: 15, afterHours: { calendar: 'dk-office', surchargePct: 100 }, mileagePerKm: 3.52 };

test('"42,5" km typed at Depart is stored and invoiced as 42.5 km', async ({ page, vakt }) => {
  const ids = await seedAfterHours(vakt);
  await api(vakt, 'billing.setRateCard', { contractId: ids.contractId, rateCard: card });
  const tk = await registerTicket(vakt, ids, 'critical', 'Core switch down', 'Switch');
  await api(vakt, 'desk.act', { ticketId: tk.id, action: { type: 'assign', assignee: 'Kim' } });
  await page.goto(vakt.url);
  await page.getByLabel('Your name').fill('Kim');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Field' }).click();
  await page.getByRole('list', { name: 'My visits' }).getByRole('button', { name: `Open case ${tk.caseNumber}` }).click();
  const visit = page.getByRole('region', { name: 'Field visit' });
  // typed as a person types it (a fill would not reach Chromium's number parsing)
  await visit.getByLabel('km driven').pressSequentially('42,5');
  await visit.getByRole('button', { name: 'Depart', exact: true }).click();
  await expect(visit.getByRole('button', { name: 'Correct time: Depart' })).toBeVisible();

  const steps = (await api(vakt, 'desk.ticket', { id: tk.id })).events.filter((e: { type: string }) => e.type === 'visit_step');
  expect(steps.map((e: { data: { km: number } }) => e.data.km)).toEqual([42.5]);
  const inv = (await api(vakt, 'billing.case', { ticketId: tk.id })).invoice;
  // 42.5 km × 3.52 = 149.60, + 25 % VAT = 187.00
  expect(inv.lines).toMatchObject([{ kind: 'mileage', amount: 14960 }]);
  expect(inv.total).toBe(18700);
  await expect(page.getByRole('region', { name: 'Time and billing' }).getByRole('table')).toContainText('42.5 km');
});

/** Field and billing without double entry (issue 15 item 8). */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.js';
import type { VaktServer } from './fixtures.js';
import { api, registerTicket, seedAfterHours } from './seed.js';

/** A rate card, a critical ticket assigned to Kim, and Kim's page on it (through "My visits"). */
async function technicianOnCase(page: Page, vakt: VaktServer) {
  const ids = await seedAfterHours(vakt);
  await api(vakt, 'billing.setRateCard', { contractId: ids.contractId, rateCard: card });
  const tk = await registerTicket(vakt, ids, 'critical', 'Core switch down', 'Switch');
  await api(vakt, 'desk.act', { ticketId: tk.id, action: { type: 'assign', assignee: 'Kim' } });
  await page.goto(vakt.url);
  await page.getByLabel('Your name').fill('Kim');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Field' }).click();
  await page
    .getByRole('list', { name: 'My visits' })
    .getByRole('button', { name: `Open case ${tk.caseNumber}` })
    .click();
  return tk;
}

const card = {
  currency: 'DKK',
  vatPct: 25,
  rates: { L1: 800, L2: 1095 },
  freeMinutesPerCase: 15,
  minimumMinutesPerCase: 15,
  roundUpToMinutes: 15,
  afterHours: { calendar: 'dk-office', surchargePct: 100 },
  mileagePerKm: 3.52,
};

test('"42,5" km typed at Depart is stored and invoiced as 42.5 km', async ({ page, vakt }) => {
  const tk = await technicianOnCase(page, vakt);
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
  await expect(page.getByRole('region', { name: 'Time and billing' }).getByRole('cell', { name: '42.5 km × 3.52' })).toBeVisible();
});

test('the invoice lists each entry with its date, level, minutes, free minutes, surcharge and km, then the lines and totals', async ({ page, vakt }) => {
  const ids = await seedAfterHours(vakt); // today is closed: every minute is after hours
  await api(vakt, 'billing.setRateCard', { contractId: ids.contractId, rateCard: card });
  const tk = await registerTicket(vakt, ids, 'critical', 'Router dead', 'Router');
  await api(vakt, 'billing.addTimeEntry', { ticketId: tk.id, kind: 'remote', level: 'L1', minutes: 40 });
  await api(vakt, 'field.step', { ticketId: tk.id, step: 'depart', km: 42.5 });
  await page.goto(vakt.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Billing' }).click();

  const entries = page.getByRole('table', { name: 'Time entries and trips' });
  await expect(entries.getByRole('columnheader')).toHaveText(['Date', 'Level', 'Kind', 'Minutes', 'Free', 'After hours', 'km']);
  const rows = entries.getByRole('row');
  await expect(rows.nth(1).getByRole('cell')).toHaveText([/\d/, 'L1', 'Remote', '40', '15 min free', '40 min, +100 %', '']);
  await expect(rows.nth(2).getByRole('cell')).toHaveText([/\d/, '', 'Trip', '', '', '', '42.5']);
  const lines = page.locator('.invoice-case table.invoice:not(.entries)');
  // 40 min, 15 free, 25 rounded to 30 min L1 at 800.00 + 100 % = 800.00; 42.5 km × 3.52 = 149.60; VAT 25 % of 949.60 = 237.40
  await expect(lines.getByRole('row')).toHaveText(['30 min L1 after hours (+100 %)800.00', '42.5 km × 3.52149.60', 'Subtotal949.60', 'VAT237.40', 'TotalDKK 1,187.00']);
});

test("in Danish: invoice words and amounts, the timeline and the services' errors", async ({ page, vakt }) => {
  const ids = await seedAfterHours(vakt);
  await api(vakt, 'billing.setRateCard', { contractId: ids.contractId, rateCard: card });
  const tk = await registerTicket(vakt, ids, 'critical', 'Router dead', 'Router');
  await api(vakt, 'billing.addTimeEntry', { ticketId: tk.id, kind: 'remote', level: 'L1', minutes: 40 });
  await api(vakt, 'field.step', { ticketId: tk.id, step: 'depart', km: 42.5 });
  await page.addInitScript(() => localStorage.setItem('vakt.lang', 'da'));
  await page.goto(vakt.url);
  await page.getByRole('navigation', { name: 'Hoved' }).getByRole('button', { name: 'Fakturering' }).click();
  const entries = page.getByRole('table', { name: 'Tidsregistreringer og kørsel' });
  await expect(entries.getByRole('row').nth(1)).toContainText('15 min gratis');
  await expect(entries.getByRole('row').nth(2)).toContainText('42,5');
  const lines = page.locator('.invoice-case table.invoice:not(.entries)');
  await expect(lines.getByRole('row')).toHaveText(['30 min L1 uden for åbningstid (+100 %)800,00', '42,5 km × 3,52149,60', 'Subtotal949,60', 'Moms237,40', 'I alt1.187,00 DKK']);

  // the timeline names the policy by its name, and km in Danish
  await page.getByRole('navigation', { name: 'Hoved' }).getByRole('button', { name: 'Kø' }).click();
  await page.getByRole('listitem').filter({ hasText: tk.caseNumber }).click();
  const timeline = page.getByRole('region', { name: 'Forløb' });
  const policies: Array<{ id: string; name: string }> = (await api(vakt, 'desk.contract', { contractId: ids.contractId })).policies;
  const critical = policies.find((p) => p.id === 'critical')!.name;
  await expect(timeline.getByRole('listitem').filter({ hasText: 'Registreret' })).toContainText(`SLA: ${critical}`);
  await expect(timeline.getByRole('listitem').filter({ hasText: 'Besøgstrin' })).toContainText('Afgang, 42,5 km');

  // a services' error, in Danish at its field
  await page.getByRole('navigation', { name: 'Hoved' }).getByRole('button', { name: 'Aftaler' }).click();
  await page.getByRole('button', { name: 'Ret kunden Nordhavn Logistik ApS' }).click();
  const form = page.getByRole('form', { name: 'Ret kunden Nordhavn Logistik ApS' });
  await form.getByLabel('Kundenavn').fill('');
  await form.getByRole('button', { name: 'Gem kunde' }).click();
  await expect(form.getByRole('alert')).toHaveText('Skal udfyldes.');
});

test('the visit steps propose time entries; the technician confirms them and the ticket lists them', async ({ page, vakt }) => {
  const tk = await technicianOnCase(page, vakt);
  const visit = page.getByRole('region', { name: 'Field visit' });
  const billing = page.getByRole('region', { name: 'Time and billing' });
  await expect(billing.getByRole('table', { name: 'Time entries of the case' })).toContainText('No time logged yet.');
  for (const step of ['Start travel', 'Arrive', 'Start work']) {
    await visit.getByRole('button', { name: step, exact: true }).click();
    await expect(visit.getByRole('button', { name: `Correct time: ${step}` })).toBeVisible();
  }
  await visit.getByRole('button', { name: 'Depart', exact: true }).click();
  await expect(visit.getByRole('button', { name: 'Correct time: Depart' })).toBeVisible();

  const proposals = billing.getByRole('group', { name: 'Proposed from the field visit' });
  await expect(proposals.getByRole('listitem')).toHaveCount(2);
  await proposals.getByRole('button', { name: /^Log \d+ min: Travel$/ }).click();
  await expect(proposals.getByRole('listitem')).toHaveCount(1);
  await proposals.getByRole('button', { name: /^Log \d+ min: Work on site$/ }).click();
  await expect(proposals).toHaveCount(0);

  const list = billing.getByRole('table', { name: 'Time entries of the case' });
  await expect(list.getByRole('row')).toHaveCount(3);
  await expect(list.getByRole('row').nth(1)).toContainText('Travel');
  await expect(list.getByRole('row').nth(1)).toContainText('Kim');
  await expect(list.getByRole('row').nth(2)).toContainText('On site');
  const entries = (await api(vakt, 'billing.case', { ticketId: tk.id })).timeEntries;
  expect(entries.map((e: { kind: string; fromVisit: string }) => [e.kind, e.fromVisit])).toEqual([
    ['travel', 'travel'],
    ['onsite', 'onsite'],
  ]);
});

import { readFileSync } from 'node:fs';
import { test, expect } from './fixtures.js';
import { api, registerTicket, seedAfterHours } from './seed.js';

const card = {
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

test('the SLA report shows the month figures and downloads its CSV', async ({ page, vakt }) => {
  const ids = await seedAfterHours(vakt);
  const a = await registerTicket(vakt, ids, 'critical', 'Core switch down', 'Switch');
  await api(vakt, 'desk.act', { ticketId: a.id, action: { type: 'respond', text: 'on it' } });
  await registerTicket(vakt, ids, 'critical', 'Printer', 'Printer');
  await page.goto(vakt.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Reports' }).click();
  await expect(page.getByRole('heading', { name: /SLA report SA0009858/ })).toBeVisible();
  await expect(page.getByTestId('report-tickets')).toHaveText('2');
  await expect(page.getByTestId('report-response-pct')).toHaveText('100 %'); // one answered at once, one still open
  await expect(page.getByRole('img', { name: 'Met per priority' })).toBeVisible();
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
  expect(dl.suggestedFilename()).toMatch(/^sla-SA0009858-\d{4}-\d{2}\.csv$/);
  const csv = readFileSync(await dl.path(), 'utf8');
  expect(csv.startsWith('\uFEFFagreement_number,month,section,key,value')).toBe(true);
  expect(csv).toContain(',summary,tickets,2,');
});

test('time entries on the ticket page price the case; the month CSV goes to accounting', async ({ page, vakt }) => {
  const ids = await seedAfterHours(vakt);
  await api(vakt, 'billing.setRateCard', { contractId: ids.contractId, rateCard: card });
  const tk = await registerTicket(vakt, ids, 'critical', 'Router dead', 'Router');
  await page.goto(vakt.url);
  await page.getByRole('button', { name: 'Queue' }).click();
  await page.getByRole('listitem').filter({ hasText: tk.caseNumber }).click();
  const section = page.getByRole('region', { name: 'Time and billing' });
  await section.getByLabel('Kind').selectOption('remote');
  await section.getByLabel('Duration (minutes)').fill('40');
  await section.getByRole('button', { name: 'Log time' }).click();
  await expect(section.getByRole('status')).toHaveText('Time logged.');
  // today and tomorrow are closed in the seeded calendar: 25 min after the free 15, after hours, rounded to 30 = 800.00 + VAT
  await expect(section.getByTestId(`invoice-total-${tk.caseNumber}`)).toHaveText('DKK 1,000.00');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Billing' }).click();
  await expect(page.getByTestId(`invoice-total-${tk.caseNumber}`)).toHaveText('DKK 1,000.00');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV for accounting' }).click()]);
  const csv = readFileSync(await dl.path(), 'utf8');
  expect(csv.split('\r\n')[1]).toMatch(new RegExp(`^${tk.caseNumber},Nordhavn Logistik ApS,SA0009858,\\d{4}-\\d{2}-\\d{2},30 min L1 after hours,30,800.00,200.00,DKK$`));
});

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

test('rate card form: errors at their fields, and a changed hourly rate changes the invoice preview', async ({ page, vakt }) => {
  const ids = await seedAfterHours(vakt);
  await api(vakt, 'billing.setRateCard', { contractId: ids.contractId, rateCard: card });
  const tk = await registerTicket(vakt, ids, 'critical', 'Router dead', 'Router');
  await api(vakt, 'billing.addTimeEntry', { ticketId: tk.id, kind: 'remote', minutes: 40 });

  await page.goto(vakt.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Billing' }).click();
  // 40 min after hours, 15 free, 25 rounded to 30 min L1 at 800 + 100 % = 800.00, + 25 % VAT
  await expect(page.getByTestId(`invoice-total-${tk.caseNumber}`)).toHaveText('DKK 1,000.00', { timeout: 15_000 });
  await page.getByRole('button', { name: 'Rate card' }).click();
  const form = page.getByRole('form', { name: 'Rate card of SA0009858' });
  const l1 = form.getByRole('group', { name: 'Rate L1' });
  await expect(l1.getByLabel('Per hour')).toHaveValue('800.00');
  await expect(form.getByLabel('Price per km')).toHaveValue('3.52');
  await expect(form.getByRole('group', { name: 'Fee diagnosis' }).getByLabel('Amount')).toHaveValue('450.00');

  // the form's own check: money with 3 decimals is not an amount
  await l1.getByLabel('Per hour').fill('1000,125');
  await form.getByRole('button', { name: 'Save rate card' }).click();
  await expect(l1.getByRole('alert')).toContainText('is not an amount');
  await expect(l1.getByLabel('Per hour')).toHaveAttribute('aria-invalid', 'true');
  // the services' check, shown at its field
  await l1.getByLabel('Per hour').fill('1000,00');
  await form.getByLabel('VAT %').fill('25 %');
  await form.getByRole('button', { name: 'Save rate card' }).click();
  await expect(form.getByLabel('VAT %')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByRole('alert')).toContainText('decimal');
  await form.getByLabel('VAT %').fill('25');
  await form.getByLabel('VAT %').press('Enter'); // keyboard: Enter saves
  await expect(form.getByRole('status')).toContainText('Rate card saved');
  // 30 min at 1000.00 + 100 % = 1000.00, + 25 % VAT
  await expect(page.getByTestId(`invoice-total-${tk.caseNumber}`)).toHaveText('DKK 1,250.00');
  const saved = await api(vakt, 'billing.rateCard', { contractId: ids.contractId });
  expect(saved.rateCard.rates).toEqual({ L1: '1000.00', L2: '1095.00' });
  expect(saved.rateCard.mileagePerKm).toBe('3.52');
});

/** Texts the services make are said in the user's language when shown (issue 15 item 7). */
import { test, expect } from './fixtures.js';
import { api, seedOverdueTicket } from './seed.js';

test('an alert is written in Danish when shown, with how long ago its deadline passed', async ({ page, vakt }) => {
  const { ticket } = await seedOverdueTicket(vakt);
  await page.addInitScript(() => localStorage.setItem('vakt.lang', 'da'));
  await page.goto(vakt.url);
  const panel = page.getByRole('region', { name: 'Alarmer' });
  const breach = panel.getByRole('row').filter({ hasText: 'Frist overskredet' }).filter({ hasText: ticket.caseNumber });
  await expect(breach).toBeVisible();
  // "Svar: fristen tor. 3. dec. 04:11 er overskredet (for 1 min siden)", not the services' English
  await expect(breach).toContainText('Svar: fristen');
  await expect(breach).toContainText(/er overskredet \(for \d+ min siden\)/);
  await expect(breach).not.toContainText('deadline');
});

test('the language the person picks reaches the services, which write OS pop-ups in it', async ({ page, vakt }) => {
  await page.addInitScript(() => localStorage.setItem('vakt.lang', 'nb'));
  await page.goto(vakt.url);
  // At start: the page's language is stored with the alert settings.
  await expect.poll(async () => (await api(vakt, 'alerts.getSettings', {})).language).toBe('nb');
  await page.getByLabel('Språk').selectOption('da');
  await expect.poll(async () => (await api(vakt, 'alerts.getSettings', {})).language).toBe('da');
});

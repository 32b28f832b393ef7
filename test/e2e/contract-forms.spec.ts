/**
 * Forms on the API contract (issue 16 item 5): a form checks its values with
 * the method's own zod request schema before anything is sent, and shows
 * every problem at once at its field, in the user's language.
 */
import { test, expect } from './fixtures.js';
import { seedAfterHours } from './seed.js';

test('in Danish: the customer form shows every problem at its field and sends nothing until they are fixed', async ({ page, vakt }) => {
  await page.addInitScript(() => localStorage.setItem('vakt.lang', 'da'));
  const sent: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/rpc/desk.createCustomer')) sent.push(r.postData() ?? '');
  });
  await page.goto(vakt.url);
  await page.getByRole('navigation', { name: 'Hoved' }).getByRole('button', { name: 'Aftaler' }).click();
  await page.getByRole('button', { name: 'Ny kunde' }).click();
  const form = page.getByRole('form', { name: 'Ny kunde' });
  await form.getByLabel('Kundenavn').fill('   ');
  await form.getByLabel('CVR-/organisationsnummer', { exact: true }).fill('x'.repeat(41));
  await form.getByRole('button', { name: 'Opret kunde' }).click();
  await expect(form.getByRole('alert')).toHaveText(['Skal udfyldes.', 'Højst 40 tegn.']);
  await expect(form.getByLabel('Kundenavn')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('CVR-/organisationsnummer', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  expect(sent).toEqual([]);

  await form.getByLabel('Kundenavn').fill('  Polderweg Zorg B.V. ');
  await form.getByLabel('CVR-/organisationsnummer', { exact: true }).fill('');
  await form.getByRole('button', { name: 'Opret kunde' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Polderweg Zorg B.V.' })).toBeVisible();
  // what was checked is what is sent: trimmed, an empty field as null
  expect(sent.map((s) => JSON.parse(s))).toEqual([{ name: 'Polderweg Zorg B.V.', orgNumber: null, notes: null }]);
});

test("the intake checks the call against desk.register's schema before sending: a phone that is not one and a too long title, nothing sent", async ({ page, vakt }) => {
  await seedAfterHours(vakt);
  const sent: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/rpc/desk.register')) sent.push(r.postData() ?? '');
  });
  await page.goto(vakt.url);
  await page.getByRole('navigation').getByRole('button', { name: 'New call' }).click();
  await page.getByLabel("Caller's number or name").fill('+45 72 12 00 00');
  await page.getByRole('button', { name: /Mette Holm/ }).click();
  await page.getByLabel('Reporter phone').fill('Mobile network down');
  await page.getByLabel('Short title').fill('x'.repeat(301));
  await page.getByRole('button', { name: 'Register call' }).click();
  const at = (label: string) =>
    page
      .locator('.field')
      .filter({ has: page.getByLabel(label, { exact: true }) })
      .getByRole('alert');
  await expect(at('Reporter phone')).toHaveText('Not a phone number.');
  await expect(at('Short title')).toHaveText('At most 300 characters.');
  expect(sent).toEqual([]);
});

import { test, expect } from './fixtures.js';

test('create a customer, a contract and a contact in the Contracts view; the contact is recognised at intake by phone', async ({ page, vakt }) => {
  await page.goto(vakt.url);
  await page.getByRole('button', { name: 'Contracts' }).click();
  await page.getByRole('button', { name: 'New customer' }).click();
  const form = page.getByRole('form', { name: 'New customer' });
  await form.getByLabel('Customer name').fill('Polderweg Zorg B.V.');
  await form.getByLabel('Organisation number').fill('KvK 12345678');
  await form.getByLabel('Notes').fill('Nachtdienst via de centrale');
  await form.getByRole('button', { name: 'Create customer' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Customer Polderweg Zorg B.V. created' })).toBeVisible();

  // the new-contract form opens for it; a bad agreement number is shown at its field
  const cform = page.getByRole('form', { name: 'New contract for Polderweg Zorg B.V.' });
  await cform.getByLabel('Agreement number').fill('PZ 2026');
  await cform.getByRole('button', { name: 'Create contract' }).click();
  await expect(cform.getByRole('alert')).toContainText('letters, digits');
  await expect(cform.getByLabel('Agreement number')).toHaveAttribute('aria-invalid', 'true');
  await cform.getByLabel('Agreement number').fill('PZ-2026-01');
  await cform.getByLabel('Contract name').fill('Beheer en support');
  await cform.getByLabel('Agreement number').press('Enter'); // keyboard: Enter submits
  await expect(page.getByRole('heading', { name: 'Polderweg Zorg B.V. · PZ-2026-01' })).toBeVisible();

  // an authorised contact: the phone number is checked at its field
  await page.getByRole('button', { name: 'Add contact' }).click();
  const kform = page.getByRole('form', { name: 'Add an authorised contact' });
  // keyboard: the form opens with its first field focused; Tab moves on
  await expect(kform.getByLabel('Name')).toBeFocused();
  await page.keyboard.type('Daan de Vries');
  await page.keyboard.press('Tab');
  await expect(kform.getByLabel('Phone')).toBeFocused();
  await page.keyboard.type('bel me');
  await kform.getByLabel('Role').fill('ICT');
  await kform.getByRole('button', { name: 'Add contact' }).click();
  await expect(kform.getByRole('alert')).toContainText('Not a phone number.');
  await kform.getByLabel('Phone').fill('+31 20 123 4567');
  await kform.getByRole('button', { name: 'Add contact' }).click();
  const table = page.getByRole('table', { name: 'Authorised contacts' });
  await expect(table.getByRole('row', { name: /Daan de Vries/ })).toContainText('+31 20 123 4567');

  // edit it
  await page.getByRole('button', { name: 'Edit contact Daan de Vries' }).click();
  const eform = page.getByRole('form', { name: 'Edit contact Daan de Vries' });
  await eform.getByLabel('Role').fill('ICT-coördinator');
  await eform.getByLabel('E-mail').fill('daan@polderweg.nl');
  await eform.getByRole('button', { name: 'Save contact' }).click();
  await expect(table.getByRole('row', { name: /Daan de Vries/ })).toContainText('ICT-coördinator');

  // a support code, set and cleared
  await page.getByLabel('New support code').fill('PZ-4711');
  await page.getByRole('button', { name: 'Set support code' }).click();
  await expect(page.getByText('Has a support code.')).toBeVisible();
  await page.getByRole('button', { name: 'Clear support code' }).click();
  await expect(page.getByText('No support code.')).toBeVisible();

  // edit the customer
  await page.getByRole('button', { name: 'Edit customer Polderweg Zorg B.V.' }).click();
  const uform = page.getByRole('form', { name: 'Edit customer Polderweg Zorg B.V.' });
  await uform.getByLabel('Customer name').fill('');
  await uform.getByRole('button', { name: 'Save customer' }).click();
  await expect(uform.getByRole('alert')).toContainText('Required.');
  await uform.getByLabel('Customer name').fill('Polderweg Zorggroep B.V.');
  await uform.getByRole('button', { name: 'Save customer' }).click();
  await expect(page.getByRole('heading', { name: 'Polderweg Zorggroep B.V. · PZ-2026-01' })).toBeVisible();

  // intake: the new contact is recognised by phone number
  await page.getByRole('button', { name: 'New call' }).click();
  await page.getByLabel("Caller's number or name").fill('20 123 4567');
  await page.getByRole('button', { name: /Daan de Vries/ }).click();
  await expect(page.getByText('Daan de Vries is an authorised contact: may report.')).toBeVisible();

  // removed, the contact is no longer recognised
  await page.getByRole('button', { name: 'Contracts' }).click();
  await page.getByRole('button', { name: /PZ-2026-01/ }).click();
  await page.getByRole('button', { name: 'Remove contact Daan de Vries' }).click();
  await page.getByRole('button', { name: 'Yes, remove' }).click();
  await expect(page.getByText('No authorised contacts yet.')).toBeVisible();
  await page.getByRole('button', { name: 'New call' }).click();
  await page.getByLabel("Caller's number or name").fill('20 123 4567');
  await expect(page.getByText('No contact or customer matches.')).toBeVisible();
});

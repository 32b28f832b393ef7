/** Issue 15 item 6: an empty app leads to its first contract (import, template with a customer form, server). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './fixtures.js';
import { api } from './seed.js';

const dir = join(import.meta.dirname, '..', '..', 'contracts', 'templates');
const templates = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ file: f, path: join(dir, f), name: (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { name: string }).name }));

test('the empty app offers import, a template and a server; Connect opens the sync form', async ({ page, vakt }) => {
  await page.goto(vakt.url);
  const start = page.getByRole('region', { name: 'Get started' });
  await expect(start.getByRole('heading', { name: 'Import a contract' })).toBeVisible();
  await expect(start.getByRole('heading', { name: 'Start from a template' })).toBeVisible();
  await expect(start.getByRole('heading', { name: 'Connect to a server' })).toBeVisible();
  // every shipped template is offered
  for (const x of templates) await expect(start.getByRole('combobox', { name: 'Template' }).locator('option', { hasText: x.name })).toHaveCount(1);
  await start.getByRole('button', { name: 'Connect to a server…' }).click();
  await expect(page.getByLabel('Server address')).toBeVisible();
});

for (const x of templates) {
  test(`template ${x.file} imports through the first start as shipped, with a customer form`, async ({ page, vakt }) => {
    await page.goto(vakt.url);
    const start = page.getByRole('region', { name: 'Get started' });
    await start.getByRole('combobox', { name: 'Template' }).selectOption({ label: x.name });
    const form = start.getByRole('form', { name: 'Customer and agreement' });
    await form.getByLabel('Customer name').fill('Fjordnett AS');
    // a bad agreement number is shown at its field, nothing stored
    await form.getByLabel('Agreement number').fill('AV 1');
    await form.getByRole('button', { name: 'Create the contract' }).click();
    await expect(form.getByRole('alert')).toContainText('letters, digits');
    expect((await api(vakt, 'desk.customers', {})).customers).toHaveLength(0);
    await form.getByLabel('Agreement number').fill('AV-2026-1');
    await form.getByRole('button', { name: 'Create the contract' }).click();
    await expect(start.getByRole('status')).toContainText('Contract AV-2026-1 is ready');
    const customers = (await api(vakt, 'desk.customers', {})).customers;
    expect(customers.map((c: { name: string }) => c.name)).toEqual(['Fjordnett AS']);
    const shipped = JSON.parse(readFileSync(x.path, 'utf8')) as { policies: Record<string, unknown> };
    const c = await api(vakt, 'desk.contract', { contractId: customers[0].contracts[0].id });
    expect(c.policies.map((p: { id: string }) => p.id).sort()).toEqual(Object.keys(shipped.policies).sort());
    // the next step leads to the intake
    await start.getByRole('button', { name: 'Take a call' }).click();
    await expect(page.getByRole('heading', { name: 'New call' })).toBeVisible();
  });
}

test('a template file picked in "Import a contract" asks for its customer, then imports', async ({ page, vakt }) => {
  await page.goto(vakt.url);
  const start = page.getByRole('region', { name: 'Get started' });
  await start.getByLabel('Contract file').setInputFiles(templates[0]!.path);
  await expect(start.getByText(`${templates[0]!.file} holds no customer`)).toBeVisible();
  const form = start.getByRole('form', { name: 'Customer and agreement' });
  await form.getByLabel('Customer name').fill('Polderweg Zorg B.V.');
  await form.getByLabel('Agreement number').fill('PZ-1');
  await form.getByRole('button', { name: 'Create the contract' }).click();
  await expect(start.getByRole('status')).toContainText('Contract PZ-1 is ready');
});

test('the New contract form starts from a shipped template', async ({ page, vakt }) => {
  const x = templates.find((t) => t.file === 'sla-callbacks-dk.json')!;
  await page.goto(vakt.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Contracts' }).click();
  await page.getByRole('button', { name: 'New customer' }).click();
  const form = page.getByRole('form', { name: 'New customer' });
  await form.getByLabel('Customer name').fill('Fjordnett AS');
  await form.getByRole('button', { name: 'Create customer' }).click();
  const cform = page.getByRole('form', { name: 'New contract for Fjordnett AS' });
  await cform.getByLabel('Agreement number').fill('FN-7');
  await cform.getByLabel('Calendars and policies').selectOption({ label: x.name });
  await cform.getByRole('button', { name: 'Create contract' }).click();
  await expect(page.getByRole('heading', { name: 'Fjordnett AS · FN-7' })).toBeVisible();
  const cu = (await api(vakt, 'desk.customers', {})).customers[0];
  const c = await api(vakt, 'desk.contract', { contractId: cu.contracts[0].id });
  const shipped = JSON.parse(readFileSync(x.path, 'utf8')) as { policies: Record<string, unknown> };
  expect(c.policies.map((p: { id: string }) => p.id).sort()).toEqual(Object.keys(shipped.policies).sort());
  // an unknown template is refused at the field, nothing stored
  await expect(api(vakt, 'desk.createContract', { customerId: cu.id, agreementNumber: 'FN-8', template: 'no-such' })).rejects.toThrow('there is no template "no-such"');
  expect((await api(vakt, 'desk.customers', {})).customers[0].contracts).toHaveLength(1);
});

import { test, expect } from './fixtures.js';
import { api, registerTicket, seedAfterHours } from './seed.js';

test('policy form: edit a response target, see the error at its field and the moved-deadlines count, save with the wording', async ({ page, vakt }) => {
  const ids = await seedAfterHours(vakt);
  await registerTicket(vakt, ids, 'normal', 'Printer on floor 2 jams', 'Printer');

  await page.goto(vakt.url);
  await page.getByRole('button', { name: 'Contracts' }).click();
  await page.getByRole('button', { name: /SA0009858/ }).click();
  await page.getByRole('button', { name: 'Edit calendars and policies' }).click();
  const editor = page.getByRole('region', { name: /Edit calendars and policies of SA0009858/ });
  await editor.getByLabel('Policy to edit').selectOption('normal');
  const policy = editor.getByRole('group', { name: 'Policy normal' });
  const response = policy.getByRole('group', { name: 'Response', exact: true });
  await expect(response.getByLabel('Amount')).toHaveValue('4');
  await expect(response.getByLabel('Unit')).toHaveValue('hours');

  // a negative duration: the engine's check names the field, the form shows it there
  await response.getByLabel('Amount').fill('-2');
  await editor.getByRole('button', { name: 'Check changes' }).click();
  await expect(response.getByRole('alert')).toContainText('Must not be negative, got -2.');
  await expect(response.getByLabel('Amount')).toHaveAttribute('aria-invalid', 'true');
  await expect(editor.getByRole('button', { name: 'Save changes' })).toBeDisabled();

  // 2 hours instead of 4: the open ticket's response deadline moves
  await response.getByLabel('Amount').fill('2');
  await response.getByLabel("The agreement's wording for this target").fill('Svar indenfor 2 timer');
  await policy.getByRole('group', { name: 'The clock pauses while the ticket is' }).getByLabel('Waiting on vendor').check();
  await editor.getByRole('button', { name: 'Check changes' }).click();
  await expect(page.getByTestId('edit-impact')).toContainText('This change moves the deadlines of 1 of 1 open ticket(s).');
  await expect(response.getByRole('alert')).toHaveCount(0);
  // keyboard: Save is reachable and works from the keyboard
  await editor.getByRole('button', { name: 'Save changes' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('edit-impact')).toContainText('Saved. 1 open ticket got new deadlines.');

  const c = await api(vakt, 'desk.contract', { contractId: ids.contractId });
  expect(c.policySet.policies.normal.targets.response).toEqual({ within: { hours: 2 } });
  expect(c.policySet.policies.normal.pauseWhen).toEqual(['waiting_on_customer', 'waiting_on_vendor']);
  expect(c.wording['normal.response']).toBe('Svar indenfor 2 timer');
  expect(c.policies.find((p: { id: string }) => p.id === 'normal').wording).toBe('Normal SLA: STANDARD SLA');
});

test("the policy form checks the edit against desk.updateContract's schema first: a too long wording is shown at its field, in Dutch, nothing sent", async ({ page, vakt }) => {
  await seedAfterHours(vakt);
  await page.addInitScript(() => localStorage.setItem('vakt.lang', 'nl'));
  const sent: string[] = [];
  page.on('request', (r) => {
    if (/\/api\/rpc\/desk\.(checkContractEdit|updateContract)$/.test(r.url())) sent.push(r.url());
  });
  await page.goto(vakt.url);
  await page.getByRole('navigation').getByRole('button', { name: 'Contracten' }).click();
  await page.getByRole('button', { name: /SA0009858/ }).click();
  await page.getByRole('button', { name: 'Kalenders en beleid bewerken' }).click();
  const editor = page.getByRole('region', { name: 'Kalenders en beleid van SA0009858 bewerken' });
  await editor.getByLabel('Te bewerken beleid').selectOption('normal');
  const response = editor.getByRole('group', { name: 'Beleid normal' }).getByRole('group', { name: 'Reactie', exact: true });
  const wording = response.getByLabel('De tekst van de overeenkomst voor deze norm');
  const wordingAlert = response.locator('label').filter({ hasText: 'De tekst van de overeenkomst voor deze norm' }).getByRole('alert');
  await wording.fill('x'.repeat(2001));
  await editor.getByRole('button', { name: 'Wijzigingen controleren' }).click();
  await expect(wordingAlert).toHaveText('Maximaal 2000 tekens.');
  await expect(wording).toHaveAttribute('aria-invalid', 'true');
  expect(sent).toEqual([]);

  // fixed: the error goes as the field changes, and the check is the services' again
  await wording.fill('Svar indenfor 4 timer');
  await expect(wordingAlert).toHaveCount(0);
  await editor.getByRole('button', { name: 'Wijzigingen controleren' }).click();
  await expect(page.getByTestId('edit-impact')).not.toBeEmpty();
  expect(sent).toHaveLength(1);
});

test('a new policy named like a property every object has is refused for that reason, in Danish, and adds nothing', async ({ page, vakt }) => {
  await seedAfterHours(vakt);
  await page.addInitScript(() => localStorage.setItem('vakt.lang', 'da'));
  await page.goto(vakt.url);
  await page.getByRole('navigation').getByRole('button', { name: 'Aftaler' }).click();
  await page.getByRole('button', { name: /SA0009858/ }).click();
  await page.getByRole('button', { name: 'Redigér kalendere og politikker' }).click();
  const editor = page.getByRole('region', { name: /SA0009858/ });
  const picker = editor.getByRole('combobox').first();
  const before = await picker.locator('option').count();
  await editor.getByLabel('Id på ny politik').fill('constructor');
  await editor.getByRole('button', { name: 'Tilføj politik' }).click();
  // was "There is already a policy" (`in` saw Object.prototype's constructor)
  await expect(editor.getByRole('alert').filter({ hasText: 'constructor' })).toContainText('alle JavaScript-objekter har det navn');
  await expect(picker.locator('option')).toHaveCount(before);
});

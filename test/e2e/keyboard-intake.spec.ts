/**
 * Issue 15 item 3, "a keyboard-first intake": the caller matches take arrows,
 * Enter and Escape in a stable order and the focus goes on to the form; the
 * call being taken survives a switch of views and a restart; `?` shows the
 * shortcuts; a registered ticket's fields can be edited (in the timeline) and
 * it can be assigned to anyone known on the device.
 */
import { test, expect } from './fixtures.js';
import type { Page } from '@playwright/test';
import { api, registerTicket, seedAfterHours } from './seed.js';

/** Alt+<n> once the app listens (its navigation is drawn after a load). */
async function alt(page: Page, n: number) {
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await page.keyboard.press(`Alt+${n}`);
}

test('the intake driven by keyboard alone: arrows, Enter and Escape in the matches, focus on to the form, Ctrl+Enter', async ({ page, vakt }) => {
  await seedAfterHours(vakt);
  await page.goto(vakt.url);
  await alt(page, 1);
  const search = page.getByLabel("Caller's number or name");
  await expect(search).toBeFocused();
  await page.keyboard.type('Nordhavn');
  const matches = page.getByRole('group', { name: 'Matches' }).getByRole('button');
  // a stable order: the contacts by name, then the contract
  await expect(matches).toHaveText([/^Jens Kjær/, /^Mette Holm/, /Nordhavn Logistik ApS, SA0009858 \(caller is not a named contact\)/]);
  await expect(search).toHaveAttribute('aria-activedescendant', (await matches.nth(0).getAttribute('id'))!);
  await page.keyboard.press('ArrowDown');
  await expect(search).toHaveAttribute('aria-activedescendant', (await matches.nth(1).getAttribute('id'))!);
  // Escape closes the list, a second Escape clears the search
  await page.keyboard.press('Escape');
  await expect(matches).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(search).toHaveValue('');
  await page.keyboard.type('Nordhavn');
  await expect(matches).toHaveCount(3);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect(page.getByText('Mette Holm is an authorised contact: may report.')).toBeVisible();
  // the focus went on to the form's first field
  await expect(page.getByLabel('Call type / priority')).toBeFocused();
  await page.keyboard.press('Tab'); // Critical fault
  await page.keyboard.press('Space');
  await expect(page.getByLabel('Critical fault')).toBeChecked();
  await page.keyboard.press('Tab'); // Channel
  await page.keyboard.press('Tab'); // Reporter name (Mette Holm)
  await page.keyboard.press('Tab'); // Reporter phone
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Short title')).toBeFocused();
  await page.keyboard.type('WMS down');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Scanners cannot reach the WMS server');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Kajgade 4, Aarhus');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('case-number')).toBeVisible();
  const [item] = (await api(vakt, 'desk.queue', {})).items;
  expect([item.reporterName, item.policy, item.priority, item.title]).toEqual(['Mette Holm', 'critical', 'critical', 'WMS down']);
});

test('a half-filled call survives Alt+2 then Alt+1, and a restart; it is gone once registered', async ({ page, vakt }) => {
  await seedAfterHours(vakt);
  await page.goto(vakt.url);
  await alt(page, 1);
  // an Enter typed before the matches came picks the first one when they come
  await page.getByLabel("Caller's number or name").fill('+45 72 12 00 00');
  await page.keyboard.press('Enter');
  await expect(page.getByText('Mette Holm is an authorised contact: may report.')).toBeVisible();
  await page.getByLabel('Short title').fill('WMS down');
  await page.getByLabel('Fault description').fill('Scanners cannot reach the WMS server');
  await page.getByLabel('Channel').selectOption('email');
  await alt(page, 2);
  await expect(page.getByLabel('Short title')).toHaveCount(0);
  await alt(page, 1);
  await expect(page.getByLabel('Short title')).toHaveValue('WMS down');
  await page.reload();
  await alt(page, 1);
  await expect(page.getByText('Mette Holm is an authorised contact: may report.')).toBeVisible();
  await expect(page.getByLabel('Short title')).toHaveValue('WMS down');
  await expect(page.getByLabel('Fault description')).toHaveValue('Scanners cannot reach the WMS server');
  await expect(page.getByLabel('Channel')).toHaveValue('email');
  await page.getByLabel('Site address (required by the contract)').fill('Kajgade 4, Aarhus');
  await page.getByRole('button', { name: 'Register call' }).click();
  await expect(page.getByTestId('case-number')).toBeVisible();
  await page.reload();
  await alt(page, 1);
  await expect(page.getByLabel("Caller's number or name")).toHaveValue('');
  await expect(page.getByLabel('Short title')).toHaveCount(0);
  expect((await api(vakt, 'desk.queue', {})).items).toHaveLength(1);
});

test('? shows the keyboard shortcuts; Escape closes them; in a field it is just a question mark', async ({ page, vakt }) => {
  await page.goto(vakt.url);
  await page.getByRole('heading', { name: /Vakt/ }).click();
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help.getByRole('row', { name: /Ctrl\+Enter/ })).toContainText('Register the call from any field');
  await expect(help.getByRole('row', { name: /Escape/ })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await alt(page, 1);
  await page.getByLabel("Caller's number or name").press('?');
  await expect(help).toBeHidden();
  await expect(page.getByLabel("Caller's number or name")).toHaveValue('?');
});

test('a registered ticket: its fields are edited (the change is in the timeline) and it is assigned to anyone known', async ({ page, vakt }) => {
  const ids = await seedAfterHours(vakt);
  const c = await api(vakt, 'desk.contract', { contractId: ids.contractId });
  await api(vakt, 'desk.register', {
    ...ids,
    policy: 'normal',
    channel: 'phone',
    authorisedBy: 'contact',
    contactId: c.contacts[1].id,
    description: 'Printer',
    intake: { site_address: 'Kajgade 4' },
    assignee: 'Ola Nordmann',
  });
  const tk = await registerTicket(vakt, ids, 'critical', 'Scanners cannot reach the WMS', 'WMS');
  await page.goto(vakt.url);
  await page.getByLabel('Your name').fill('Kim');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Queue' }).click();
  await page.getByRole('button', { name: `Open ticket ${tk.caseNumber}` }).click();

  await page.getByRole('button', { name: 'Edit details' }).click();
  const edit = page.getByRole('form', { name: 'Edit details' });
  await edit.getByLabel('Short title').fill('WMS down in hall B');
  await edit.getByLabel('Reporter phone').fill('Mobile network down');
  await edit.getByRole('button', { name: 'Save details' }).click();
  await expect(edit.getByRole('alert')).toHaveText('Not a phone number.');
  await expect(edit.getByLabel('Reporter phone')).toHaveAttribute('aria-invalid', 'true');
  await edit.getByLabel('Reporter phone').fill('+45 31 41 51 61');
  await edit.getByRole('button', { name: 'Save details' }).click();
  await expect(page.getByRole('heading', { name: /WMS down in hall B/ })).toBeVisible();
  const timeline = page.getByRole('region', { name: 'Timeline' });
  await expect(timeline.getByRole('listitem').filter({ hasText: 'Edited' })).toContainText('Short title, Reporter phone');
  const after = await api(vakt, 'desk.ticket', { id: tk.id });
  expect([after.title, after.reporterPhone]).toEqual(['WMS down in hall B', '+45 31 41 51 61']);

  await page.getByRole('button', { name: 'Assign to…' }).click();
  const assign = page.getByRole('form', { name: 'Assign to…' });
  await assign.getByRole('list', { name: 'Known people' }).getByRole('button', { name: 'Ola Nordmann' }).click();
  await assign.getByRole('button', { name: 'Assign', exact: true }).click();
  await expect(page.getByText('Assigned to Ola Nordmann.')).toBeVisible();
  expect((await api(vakt, 'desk.ticket', { id: tk.id })).assignee).toBe('Ola Nordmann');
  // "Assign to me" stays as the shortcut
  await page.getByRole('button', { name: 'Assign to me' }).click();
  await expect.poll(async () => (await api(vakt, 'desk.ticket', { id: tk.id })).assignee).toBe('Kim');
});

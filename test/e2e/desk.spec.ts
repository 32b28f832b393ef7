import { test, expect, stopVakt } from './fixtures.js';
import { api, exampleContract, registerTicket, restartWithoutPolicy, seedAfterHours } from './seed.js';

test('a named contact reports a critical fault after hours', async ({ page, vakt }) => {
  await seedAfterHours(vakt);
  await page.goto(vakt.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'New call' }).click();
  await page.getByLabel("Caller's number or name").fill('+45 72 12 00 00');
  await page.getByRole('button', { name: /Mette Holm/ }).click();
  await expect(page.getByText('Mette Holm is an authorised contact: may report.')).toBeVisible();
  // The default policy (normal) runs on office hours: closed now.
  await expect(page.getByRole('alert').filter({ hasText: 'Outside support hours: only critical faults are taken now' })).toBeVisible();
  await page.getByLabel('Call type / priority').selectOption('critical');
  await page.getByLabel('Critical fault').check();
  await expect(page.getByRole('alert').filter({ hasText: 'Outside support hours' })).toHaveCount(0);
  await expect(page.getByTestId('preview-response')).toContainText('Response due');
  await expect(page.getByTestId('preview-response')).toContainText('in 30 min of business time');
  await page.getByLabel('Short title').fill('Warehouse WMS down');
  await page.getByLabel('Fault description').fill('Scanners cannot reach the WMS server');
  await page.getByRole('button', { name: 'Register call' }).click();
  // the contract requires the site address: the error shows next to the field
  await expect(page.getByRole('alert').filter({ hasText: 'Required by contract SA0009858' })).toBeVisible();
  await page.getByLabel('Site address (required by the contract)').fill('Kajgade 4, Aarhus');
  await page.getByRole('button', { name: 'Register call' }).click();
  await expect(page.getByTestId('case-number')).toBeVisible();
  const caseNumber = (await page.getByTestId('case-number').textContent())!.trim();
  expect(caseNumber.length).toBeGreaterThan(4);
  await expect(page.getByRole('button', { name: 'Copy case number' })).toBeVisible();

  // The queue shows it with a live countdown.
  await page.getByRole('button', { name: 'Queue' }).click();
  const row = page.getByRole('listitem').filter({ hasText: caseNumber });
  await expect(row).toBeVisible();
  const countdown = row.locator('.countdown[data-metric="response"]');
  await expect(countdown).toHaveText(/0:2\d:\d\d/);
  const first = await countdown.textContent();
  await expect(countdown).not.toHaveText(first!);
});

test('an unknown caller is refused without the support code and accepted with it', async ({ page, vakt }) => {
  await seedAfterHours(vakt);
  await page.goto(vakt.url);
  await page.getByRole('button', { name: 'New call' }).click();
  await page.getByLabel("Caller's number or name").fill('Nordhavn');
  await page.getByRole('button', { name: /not a named contact/ }).click();
  await expect(page.getByText('Ask for the contract’s support code')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Register call' })).toBeDisabled();
  await page.getByLabel('Support code').fill('1234-WRONG');
  await page.getByRole('button', { name: 'Check code' }).click();
  await expect(page.getByTestId('code-result')).toHaveText('Wrong code: the caller may NOT report on this contract.');
  await expect(page.getByRole('button', { name: 'Register call' })).toBeDisabled();
  await page.getByLabel('Support code').fill('HAVN-4711');
  await page.getByLabel('Support code').press('Enter');
  await expect(page.getByTestId('code-result')).toHaveText('Code correct: the caller may report on this contract.');
  await page.getByLabel('Reporter name').fill('Vikar Hansen');
  await page.getByLabel('Call type / priority').selectOption('critical');
  await page.getByLabel('Fault description').fill('Router in the cold store is dead');
  await page.getByLabel('Site address (required by the contract)').fill('Kajgade 4');
  await page.getByRole('button', { name: 'Register call' }).click();
  await expect(page.getByTestId('case-number')).toBeVisible();
});

test('ticket page: callback, pause and resume, escalate, resolve; found by search', async ({ page, vakt }) => {
  const ids = await seedAfterHours(vakt);
  const tk = await registerTicket(vakt, ids, 'critical', 'Core switch in hall B rebooting', 'Core switch flapping');
  await registerTicket(vakt, ids, 'normal', 'Printer on floor 2 jams', 'Printer');
  await page.goto(vakt.url);
  await page.getByRole('button', { name: 'Queue' }).click();
  await page.getByRole('searchbox').fill('switch');
  await expect(page.getByRole('listitem')).toHaveCount(1);
  await page.getByRole('button', { name: `Open ticket ${tk.caseNumber} Core switch flapping` }).click();
  await expect(page.getByRole('heading', { name: /Core switch flapping/ })).toBeVisible();
  await expect(page.getByTestId('target-response')).toContainText('Svar indenfor 30 minutter');

  await page.getByRole('button', { name: 'Log callback' }).click();
  await page.getByLabel('Who was reached').fill('Mette Holm');
  await page.getByLabel('What was said').fill('Engineer is on the way');
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByTestId('action-done')).toHaveText('Callback logged.');
  await expect(page.getByRole('listitem').filter({ hasText: 'reached Mette Holm: Engineer is on the way' })).toBeVisible();

  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('table', { name: 'Effect on the deadlines' })).toContainText('paused');
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByTestId('ticket-status')).toHaveText('Waiting on customer');
  await expect(page.getByTestId('target-resolution').locator('.countdown')).toContainText('paused');
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('ticket-status')).toHaveText('Open');

  await page.getByRole('button', { name: 'Escalate' }).click();
  await page.getByLabel('Escalate to').selectOption('vendor');
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('alert')).toContainText("give the vendor's reference");
  await page.getByLabel("Vendor's reference").fill('CISCO-778899');
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByText("level 3 · Vendor's reference: CISCO-778899")).toBeVisible();

  await page.getByRole('button', { name: 'Resolve' }).click();
  await page.getByLabel('Comment').fill('Replaced the supervisor module');
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByTestId('ticket-status')).toHaveText('Resolved');
});

test('callbacks panel logs a callback in one click', async ({ page, vakt }) => {
  // status callbacks around the clock, the first one a minute after registration
  const ids = await seedAfterHours(vakt, (f) => (f.policies.critical.targets.update = { first: { minutes: 1 }, every: { hours: 4 }, calendar: 'dk-24x7' }));
  const tk = await registerTicket(vakt, ids, 'critical', 'Link down', 'Fibre link down');
  await page.goto(vakt.url);
  await page.getByRole('button', { name: 'Callbacks' }).click();
  await page.getByRole('combobox', { name: 'Show callbacks due' }).selectOption('hour');
  await page.getByRole('button', { name: `Log callback on ${tk.caseNumber}` }).click();
  await expect(page.getByRole('status').filter({ hasText: `Callback logged on ${tk.caseNumber}.` })).toBeVisible();
  await expect(page.getByText('No callbacks due in this window.')).toBeVisible();
  const d = await api(vakt, 'desk.ticket', { id: tk.id });
  expect(d.events.map((e: { type: string }) => e.type)).toContain('callback');
});

test('a contract file with an error is refused and the error shows where it is', async ({ page, vakt }) => {
  const file = exampleContract();
  file.calendars['dk-office'].week.tue = [
    ['08:00', '16:00'],
    ['12:00', '18:00'],
  ];
  await page.goto(vakt.url);
  await page.getByRole('button', { name: 'Contracts' }).click();
  await page.getByLabel('Contract file', { exact: true }).setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Not imported');
  await expect(alert).toContainText('calendars.dk-office.week.tue[1]');
  await expect(alert).toContainText('Overlaps');
  await page.getByLabel('Contract file', { exact: true }).setInputFiles({ name: 'good.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(exampleContract())) });
  await expect(page.getByRole('heading', { name: 'Nordhavn Logistik ApS · SA0009858' })).toBeVisible();
});

test('a ticket whose SLA cannot be computed says so in the queue and on its page; the app starts and the other tickets count down', async ({ page, vakt }) => {
  const ids = await seedAfterHours(vakt);
  const broken = await registerTicket(vakt, ids, 'high', 'Firewall rules lost', 'Firewall');
  const fine = await registerTicket(vakt, ids, 'critical', 'Core switch down', 'Core switch');
  const again = await restartWithoutPolicy(vakt, ids.contractId, 'high');
  try {
    await page.goto(again.url);
    await page.getByRole('button', { name: 'Queue' }).click();
    const bad = page.getByRole('listitem').filter({ hasText: broken.caseNumber });
    await expect(bad.locator('.sla-error')).toContainText('Cannot compute SLA:');
    await expect(bad.locator('.sla-error')).toContainText('high');
    const good = page.getByRole('listitem').filter({ hasText: fine.caseNumber });
    await expect(good.locator('.countdown[data-metric="response"]')).toBeVisible();
    await page.getByRole('button', { name: `Open ticket ${broken.caseNumber} Firewall` }).click();
    await expect(page.getByRole('heading', { name: /Firewall/ })).toBeVisible();
    await expect(page.getByRole('alert').filter({ hasText: 'Cannot compute SLA:' })).toBeVisible();
  } finally {
    await stopVakt(again);
  }
});

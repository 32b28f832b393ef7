/** Issue 15 item 4: a queue that shows urgency, callbacks over a chosen window with numbers, search, alerts beside the work. */
import { test, expect } from './fixtures.js';
import { api, registerTicket, seedAfterHours, seedBreachedAndWaiting as seed } from './seed.js';

test('breached rows come first, labelled and highlighted; critical rows stand out; headers, long durations, policy names, plural counts', async ({ page, vakt }) => {
  const { normal, critical } = await seed(vakt);
  await page.goto(vakt.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Queue' }).click();
  const queue = page.getByRole('region', { name: 'Open tickets' });
  await expect(queue.getByTestId('queue-head')).toContainText('Case');
  await expect(queue.getByTestId('queue-head')).toContainText('Deadlines');
  await expect(queue.getByTestId('queue-count')).toHaveText('2 tickets');
  const rows = queue.getByRole('listitem');
  await expect(rows).toHaveCount(2);
  // the breached critical ticket is first, labelled, highlighted, with how long ago
  const first = rows.first();
  await expect(first).toContainText(critical.caseNumber);
  await expect(first).toHaveAttribute('data-breached', 'true');
  await expect(first).toHaveClass(/breached-row/);
  await expect(first).toHaveClass(/critical-row/);
  await expect(first).toContainText('Breached');
  await expect(first).toContainText(/Resp breached \d+ min ago/);
  await expect(first).toContainText('Critical fault');
  await expect(first).not.toContainText('−');
  // the normal ticket's clock starts after the closed days: more than a day, read as days and hours
  const second = rows.nth(1);
  await expect(second).toContainText(normal.caseNumber);
  await expect(second).toContainText(/Resp \d+ d \d+ h/);
  await expect(second).toContainText('Normal SLA (standard)');
  await expect(second).not.toHaveClass(/breached-row/);
  // the priority filter names the contract's policies, not their ids
  const priority = queue.getByLabel('Priority');
  await expect(priority.locator('option', { hasText: 'Normal SLA (standard)' })).toHaveCount(1);
  await expect(priority.locator('option', { hasText: /^normal$/ })).toHaveCount(0);
  await priority.selectOption({ label: 'Normal SLA (standard)' });
  await expect(queue.getByTestId('queue-count')).toHaveText('1 ticket');
  await expect(rows).toHaveCount(1);
  // counts in another language are pluralised too
  await page.getByLabel('Language').selectOption('da');
  await expect(page.getByTestId('queue-count')).toHaveText('1 sag');
});

test('search finds a customer, a reporter, an agreement number and a partial case number', async ({ page, vakt }) => {
  const { ids, normal, critical } = await seed(vakt);
  // a ticket of another customer, which none of the searches below may find
  const other = await api(vakt, 'desk.importContract', {
    file: {
      customer: { name: 'Polderweg Zorg B.V.' },
      agreementNumber: 'PZ-1',
      contacts: [{ name: 'Daan de Vries', phone: '+31 20 123 4567' }],
      calendars: { a: { timezone: 'Europe/Amsterdam', week: '24x7' } },
      policies: { p: { calendar: 'a', targets: { response: { within: { hours: 4 } } } } },
    },
  });
  const otherTicket = await registerTicket(vakt, { contractId: other.contractId, customerId: other.customerId }, 'p', 'Wifi weg', 'Wifi');
  await page.goto(vakt.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Queue' }).click();
  const queue = page.getByRole('region', { name: 'Open tickets' });
  const rows = queue.getByRole('listitem');
  await expect(rows).toHaveCount(3);
  const search = async (q: string, expected: string[]) => {
    await queue.getByRole('searchbox').fill(q);
    await expect(rows).toHaveCount(expected.length);
    for (const c of expected) await expect(rows.filter({ hasText: c })).toHaveCount(1);
  };
  await search('Nordhavn', [normal.caseNumber, critical.caseNumber]); // customer name
  await search('nordhav', [normal.caseNumber, critical.caseNumber]); // its prefix
  await search('Mette', [normal.caseNumber, critical.caseNumber]); // reporter
  await search('Daan', [otherTicket.caseNumber]);
  await search('SA0009858', [normal.caseNumber, critical.caseNumber]); // agreement number
  await search('PZ-1', [otherTicket.caseNumber]);
  const seq = (cn: string) => cn.split('-').at(-2) as string; // "0002" of "7H3K-9QZ2-0002-X"
  await search(seq(critical.caseNumber), [critical.caseNumber]); // partial case number
  expect(ids.contractId).toBeTruthy();
});

test('Callbacks cover a chosen window and dial the contact', async ({ page, vakt }) => {
  const { critical } = await seed(vakt);
  expect((await api(vakt, 'desk.ticket', { id: critical.id })).reporterPhone).toMatch(/^\+45/);
  await page.goto(vakt.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Callbacks' }).click();
  const view = page.getByRole('region', { name: 'Callbacks due' });
  await view.getByRole('combobox', { name: 'Show callbacks due' }).selectOption('hour');
  await expect(view.getByText('No callbacks due in this window.')).toBeVisible();
  // the first callback is due in 2 hours: the next 4 hours show it
  await view.getByRole('combobox', { name: 'Show callbacks due' }).selectOption('hours4');
  const row = view.getByRole('listitem').filter({ hasText: critical.caseNumber });
  await expect(row).toBeVisible();
  const reporter = (await api(vakt, 'desk.ticket', { id: critical.id })) as { reporterName: string; reporterPhone: string };
  const call = row.getByRole('link', { name: `Call ${reporter.reporterName} on ${reporter.reporterPhone} about ${critical.caseNumber}` });
  await expect(call).toHaveAttribute('href', `tel:${reporter.reporterPhone.replace(/[^\d+]/g, '')}`);
  await expect(call).toHaveText(`Call ${reporter.reporterPhone}`);
  // the rest of a shift ending in 3 hours shows it too
  await view.getByRole('combobox', { name: 'Show callbacks due' }).selectOption('shift');
  const end = await page.evaluate(() => {
    const d = new Date(Date.now() + 3 * 3600_000);
    return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  });
  await view.getByLabel('My shift ends at').fill(end);
  await expect(row).toBeVisible();
});

test('six alerts sit beside the work area and do not push the New call form down', async ({ page, vakt }) => {
  const ids = await seedAfterHours(vakt, (f) => (f.policies.critical.targets.response = { within: { minutes: 0.02 } }));
  for (let i = 0; i < 6; i++) await registerTicket(vakt, ids, 'critical', `Fault ${i}`, `Fault ${i}`);
  await new Promise((r) => setTimeout(r, 1500));
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(vakt.url);
  const panel = page.getByRole('region', { name: 'Alerts' });
  await expect(panel.getByRole('row').filter({ hasText: 'Deadline breached' })).toHaveCount(6);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'New call' }).click();
  const heading = page.getByRole('heading', { name: 'New call', exact: true });
  await expect(heading).toBeVisible();
  const top = (await heading.boundingBox())!.y;
  const alertsTop = (await panel.boundingBox())!.y;
  // the form starts where the alerts start: beside them, not below
  expect(top).toBeLessThan(alertsTop + 100);
  expect(top).toBeLessThan(250);
});

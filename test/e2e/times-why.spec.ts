/**
 * Issue 15 item 5: times for people. The browser is in New York (en-US), the
 * contract in Copenhagen: times follow the user's locale (24-hour in Danish),
 * the contract's zone is named, "Why?" is a sentence in the user's language
 * with the raw trace behind "details", a breached target says so, alert
 * texts are computed when shown, and the report states its own zone.
 */
import { test, expect } from './fixtures.js';
import { seedBreachedAndWaiting as seed } from './seed.js';

test.use({ locale: 'en-US', timezoneId: 'America/New_York' });

test('"Why?" is a sentence for a duty officer, the raw trace behind details; a breached target says so; Danish is 24-hour', async ({ page, vakt }) => {
  const { critical, normal } = await seed(vakt);
  await page.goto(vakt.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Queue' }).click();
  await page.getByRole('button', { name: `Open ticket ${critical.caseNumber} Mail down` }).click();
  const response = page.getByTestId('target-response');
  await expect(response).toContainText(/breached \d+ min ago/);
  await expect(response).not.toContainText('running');
  await expect(response).not.toContainText('used');
  await expect(response).toContainText('Europe/Copenhagen'); // the contract's zone, named
  const why = page.getByTestId('why-update');
  // the callback two hours on may fall on the next day (an evening run): then its date is shown before the time
  await expect(why).toContainText(/Why\? Counted from \d{1,2}:\d{2} (AM|PM); .*the next callback is due at (\w{3}, \w{3} \d{1,2}, )?\d{1,2}:\d{2} (AM|PM)\. Times in Europe\/Copenhagen\./);
  await expect(why).not.toContainText('T0'); // no ISO instants
  await expect(why).not.toContainText('"');
  await expect(page.getByTestId('why-response')).toContainText(/the deadline .+ was breached \d+ min ago/);
  // the raw trace is behind "details"
  const details = page.getByTestId('target-update').locator('details');
  await expect(details.locator('ol.trace')).toBeHidden();
  await details.getByText('details', { exact: true }).click();
  await expect(details.locator('ol.trace')).toBeVisible();

  // the normal ticket counts after the closed days: the stop outside support hours is said
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Queue' }).click();
  await page.getByRole('button', { name: `Open ticket ${normal.caseNumber} Printer jams` }).click();
  await expect(page.getByTestId('why-response')).toContainText(/the clock was stopped .+–.+ \(outside support hours\)/);

  // Danish: the same, in Danish, 24-hour
  await page.getByLabel('Language').selectOption('da');
  const whyDa = page.getByTestId('why-response');
  await expect(whyDa).toContainText(/Hvorfor\? Talt fra .*\d{2}[:.]\d{2}; uret stod stille .+ \(uden for supporttiden\)/);
  await expect(whyDa).toContainText('Tider i Europe/Copenhagen.');
  await expect(whyDa).not.toContainText(/AM|PM/);
  await expect(page.getByTestId('target-response')).not.toContainText(/AM|PM/);
});

test('alert texts are computed when shown, in the user language', async ({ page, vakt }) => {
  const { critical } = await seed(vakt);
  await page.goto(vakt.url);
  const panel = page.getByRole('region', { name: 'Alerts' });
  const row = panel.getByRole('row').filter({ hasText: critical.caseNumber }).filter({ hasText: 'Deadline breached' });
  await expect(row).toContainText(/Response deadline .+ passed \(\d+ min ago\)/);
  await page.getByLabel('Language').selectOption('nl');
  const rowNl = page.getByRole('region', { name: 'Meldingen' }).getByRole('row').filter({ hasText: critical.caseNumber }).first();
  await expect(rowNl).toContainText(/Reactie: termijn .+ verstreken \(\d+ min geleden\)/);
  await expect(rowNl).not.toContainText(/AM|PM/);
});

test('the report states its "as of" time in its own zone', async ({ page, vakt }) => {
  await seed(vakt);
  await page.goto(vakt.url);
  const reply = page.waitForResponse((r) => r.url().includes('/api/rpc/reports.sla'));
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Reports' }).click();
  const { result } = (await (await reply).json()) as { result: { asOf: number; timezone: string } };
  expect(result.timezone).toBe('Europe/Copenhagen');
  const expected = await page.evaluate((at) => new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Copenhagen' }).format(at), result.asOf);
  await expect(page.getByRole('heading', { name: /SLA report SA0009858/ }).locator('xpath=following-sibling::p')).toContainText(`as of ${expected} · Europe/Copenhagen`);
});

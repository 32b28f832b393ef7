/**
 * The services' problems in the user's language (issue 15 item 7): the
 * engine's reason in "cannot compute SLA", a contract file's problems, a rate
 * card's pricing error and the transport's own failure are said from their
 * keys (core/domain/issue-keys.ts), not shown in the English they are sent in.
 */
import { test, expect, stopVakt } from './fixtures.js';
import { api, exampleContract, registerTicket, restartWithoutPolicy, seedAfterHours } from './seed.js';

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('vakt.lang', 'da'));
});

test("in Danish: why a ticket's SLA cannot be computed, in the queue, on its page and in its alert", async ({ page, vakt }) => {
  const ids = await seedAfterHours(vakt);
  const broken = await registerTicket(vakt, ids, 'high', 'Firewall rules lost', 'Firewall');
  const again = await restartWithoutPolicy(vakt, ids.contractId, 'high');
  try {
    // a change re-plans the ticket's alerts: one says its SLA cannot be computed
    await api(again, 'desk.act', { ticketId: broken.id, action: { type: 'note', text: 'customer called again' } });
    await page.goto(again.url);
    const why = 'Kan ikke beregne SLA: Sagens politik "high" findes ikke i dens kontrakt.';
    await page.getByRole('navigation', { name: 'Hoved' }).getByRole('button', { name: 'Kø' }).click();
    const row = page.getByRole('listitem').filter({ hasText: broken.caseNumber });
    await expect(row.locator('.sla-error')).toHaveText(why);

    const alert = page.getByRole('region', { name: 'Alarmer' }).getByRole('row').filter({ hasText: broken.caseNumber });
    await expect(alert).toContainText('SLA kan ikke beregnes: Sagens politik "high" findes ikke i dens kontrakt.');
    await expect(alert).not.toContainText('evaluateTicket');

    await row.click();
    await expect(page.getByRole('alert').filter({ hasText: why })).toBeVisible();
    await expect(page.getByText('unknown policy')).toHaveCount(0);
  } finally {
    await stopVakt(again);
  }
});

test("in Danish: a contract file's problems, each at its path", async ({ page, vakt }) => {
  const file = exampleContract();
  file.calendars['dk-office'].week.tue = [
    ['08:00', '16:00'],
    ['12:00', '18:00'],
  ];
  file.policies.normal.calendar = 'nowhere';
  await page.goto(vakt.url);
  await page.getByRole('navigation', { name: 'Hoved' }).getByRole('button', { name: 'Aftaler' }).click();
  await page.getByLabel('Aftalefil', { exact: true }).setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  const issues = page.getByRole('alert').filter({ hasText: 'Ikke importeret' });
  await expect(issues.getByRole('listitem').filter({ hasText: 'calendars.dk-office.week.tue[1]' })).toHaveText('calendars.dk-office.week.tue[1]: Overlapper [08:00,16:00).');
  await expect(issues.getByRole('listitem').filter({ hasText: 'policies.normal.calendar' })).toContainText('Ukendt kalender "nowhere" (kendte: ');
  await expect(issues).not.toContainText('overlaps');
  await expect(issues).not.toContainText('unknown calendar');
});

test('in Danish: a rate card that cannot price a case says why', async ({ page, vakt }) => {
  const ids = await seedAfterHours(vakt);
  await api(vakt, 'billing.setRateCard', { contractId: ids.contractId, rateCard: { currency: 'DKK', vatPct: 25, rates: { L1: 800 } } });
  const tk = await registerTicket(vakt, ids, 'critical', 'Router dead', 'Router');
  await api(vakt, 'billing.addTimeEntry', { ticketId: tk.id, kind: 'remote', level: 'L3', minutes: 40 });
  await page.goto(vakt.url);
  await page.getByRole('navigation', { name: 'Hoved' }).getByRole('button', { name: 'Fakturering' }).click();
  await expect(page.getByText('Prisarket kan ikke prissætte sagen: Ingen timepris for niveau L3.')).toBeVisible();
  await expect(page.getByText('no hourly rate')).toHaveCount(0);
});

test('in Danish: the services not answering', async ({ page, vakt }) => {
  await page.goto(vakt.url);
  await page.getByRole('navigation', { name: 'Hoved' }).getByRole('button', { name: 'Aftaler' }).click();
  await page.route('**/api/rpc/desk.importContract', (route) => route.abort('connectionrefused'));
  await page.getByLabel('Aftalefil', { exact: true }).setInputFiles({ name: 'good.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(exampleContract())) });
  const err = page.getByRole('alert').filter({ hasText: 'Appens tjenester svarede ikke' });
  await expect(err).toBeVisible();
  await expect(err).not.toContainText('did not answer');
});

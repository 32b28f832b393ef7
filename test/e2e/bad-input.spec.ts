/**
 * Issue 15 item 9, "bad input": a phone field takes only a phone number (in
 * the contract's country), every error of the form shows at once at its field
 * in the user's language, required fields are marked, and a 5,000-character
 * description does not push the actions away.
 */
import { test, expect } from './fixtures.js';
import { api, registerTicket, seedAfterHours } from './seed.js';

test('the intake in Danish: a phone that is not one and a too long title are shown together at their fields; nothing is stored', async ({ page, vakt }) => {
  await seedAfterHours(vakt);
  await page.goto(vakt.url);
  await page.evaluate(() => localStorage.setItem('vakt.lang', 'da'));
  await page.reload();
  await page.getByRole('navigation').getByRole('button', { name: 'Nyt opkald' }).click();
  await page.getByLabel('Opkalderens nummer eller navn').fill('+45 72 12 00 00');
  await page.getByRole('button', { name: /Mette Holm/ }).click();
  // required fields are marked: the contract requires the fault description and the site address
  const description = page.getByLabel('Fejlbeskrivelse (kræves af aftalen)');
  await expect(description).toHaveAttribute('aria-required', 'true');
  await expect(page.getByLabel('Adresse (kræves af aftalen)')).toHaveAttribute('aria-required', 'true');

  const phone = page.getByLabel('Anmelderens telefon');
  await phone.fill('Mobile network down');
  await page.getByLabel('Kort titel').fill('x'.repeat(301));
  await description.fill('Ingen forbindelse på havnekontoret');
  await page.getByRole('button', { name: 'Registrér opkald' }).click();
  // both at once, each at its field, in Danish
  await expect(page.locator('.field').filter({ has: phone }).getByRole('alert')).toHaveText('Ikke et telefonnummer.');
  await expect(
    page
      .locator('.field')
      .filter({ has: page.getByLabel('Kort titel') })
      .getByRole('alert'),
  ).toHaveText('Højst 300 tegn.');
  await expect(phone).toHaveAttribute('aria-invalid', 'true');
  expect((await api(vakt, 'desk.queue', {})).items).toHaveLength(0);

  // a national number is read in the contract's country (DK); the contract's own checks come next, together
  await phone.fill('72 12 00 00');
  await page.getByLabel('Kort titel').fill('Mobilnet nede');
  await page.getByRole('button', { name: 'Registrér opkald' }).click();
  await expect(
    page
      .locator('.field')
      .filter({ has: page.getByLabel('Adresse (kræves af aftalen)') })
      .getByRole('alert'),
  ).toHaveText('Kræves af kontrakt SA0009858.');
  expect((await api(vakt, 'desk.queue', {})).items).toHaveLength(0);
  await page.getByLabel('Adresse (kræves af aftalen)').fill('Kajgade 4, Aarhus');
  await page.getByRole('button', { name: 'Registrér opkald' }).click();
  await expect(page.getByTestId('case-number')).toBeVisible();
  const [item] = (await api(vakt, 'desk.queue', {})).items;
  expect((await api(vakt, 'desk.ticket', { id: item.id })).reporterPhone).toBe('72 12 00 00');
});

test('desk.register refuses a reporter phone that is not a phone number, with every issue at its path, and stores nothing', async ({ vakt }) => {
  const ids = await seedAfterHours(vakt);
  const c = await api(vakt, 'desk.contract', { contractId: ids.contractId });
  const send = async (req: Record<string, unknown>) => {
    const res = await fetch(`${vakt.origin}/api/rpc/desk.register`, {
      method: 'POST',
      headers: { authorization: `Bearer ${vakt.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...ids, policy: 'normal', channel: 'phone', authorisedBy: 'contact', contactId: c.contacts[0].id, ...req }),
    });
    return ((await res.json()) as { ok: boolean; error: { path: string; issues: Array<{ path: string; key?: string }> } }).error;
  };
  // the contract (zod): not a phone at all
  const shape = await send({ reporterPhone: 'Mobile network down', title: 'x'.repeat(301) });
  expect(shape.issues.map((i) => [i.path, i.key])).toEqual([
    ['reporterPhone', 'notPhone'],
    ['title', 'tooLong'],
  ]);
  // the handler: not a number in the contract's country (DK has 8 digits), and the contract's missing fields, together
  const handler = await send({ reporterPhone: '72 12 00' });
  expect(handler.issues.map((i) => [i.path, i.key])).toEqual([
    ['intake.site_address', 'requiredByContract'],
    ['intake.fault_description', 'requiredByContract'],
    ['reporterPhone', 'notPhone'],
  ]);
  expect((await api(vakt, 'desk.queue', {})).items).toHaveLength(0);
});

test('a 5,000-character description wraps and scrolls on the ticket page; the actions stay in view', async ({ page, vakt }) => {
  const ids = await seedAfterHours(vakt);
  const long = `${'Scanner-WMS-timeout-'.repeat(100)}${' no signal in hall B'.repeat(150)}`.slice(0, 5000);
  const tk = await registerTicket(vakt, ids, 'critical', long, 'WMS down');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(vakt.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Queue' }).click();
  await page.getByRole('button', { name: `Open ticket ${tk.caseNumber}` }).click();
  const toolbar = page.getByRole('toolbar', { name: 'Ticket actions' });
  await expect(toolbar).toBeInViewport();
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
});

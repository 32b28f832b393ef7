/**
 * Issue 15 items 4-6: writes docs/screenshots/{first-start,queue-breached,ticket-why}-light-{en,da}.png
 * (light mode; the theme switch comes with item 10).
 */
import { join } from 'node:path';
import { test, expect } from './fixtures.js';
import { registerTicket, seedBreachedAndWaiting } from './seed.js';

const dir = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');

for (const lang of ['en', 'da'] as const) {
  test(`screenshots of the first start, a breached queue row and the ticket's "Why?" (light, ${lang})`, async ({ page, vakt }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(vakt.url);
    await page.getByLabel('Language').selectOption(lang);
    await expect(page.getByRole('heading', { level: 2 }).first()).toHaveText(lang === 'en' ? 'Get started' : 'Kom i gang');
    await page.getByRole('combobox', { name: lang === 'en' ? 'Template' : 'Skabelon' }).selectOption('sla-callbacks-dk');
    await page.screenshot({ path: join(dir, `first-start-light-${lang}.png`), fullPage: true });

    const { ids, critical } = await seedBreachedAndWaiting(vakt);
    await registerTicket(vakt, ids, 'high', 'VPN drops every 10 minutes', 'VPN unstable');
    await page.getByRole('navigation').getByRole('button', { name: lang === 'en' ? 'Queue' : 'Kø' }).click();
    await expect(page.getByRole('listitem')).toHaveCount(3);
    await expect(page.getByRole('listitem').first()).toHaveAttribute('data-breached', 'true');
    await expect(page.getByRole('listitem').first()).toContainText(critical.caseNumber);
    await page.screenshot({ path: join(dir, `queue-breached-light-${lang}.png`) });

    await page.getByRole('listitem').first().getByRole('button').first().click();
    await expect(page.getByTestId('why-update')).toBeVisible();
    await page.screenshot({ path: join(dir, `ticket-why-light-${lang}.png`), fullPage: true });
  });
}

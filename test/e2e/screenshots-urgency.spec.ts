/**
 * Issue 15: writes docs/screenshots/{first-start,intake,queue-breached,ticket-why,invoice}-{light,dark}-{en,da}.png.
 * The theme is "System" (the default), so the emulated colour scheme chooses it.
 */
import { join } from 'node:path';
import { test, expect } from './fixtures.js';
import { api, registerTicket, seedAfterHours, seedBreachedAndWaiting } from './seed.js';

const dir = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
const card = {
  currency: 'DKK',
  vatPct: 25,
  rates: { L1: 800, L2: 1095 },
  freeMinutesPerCase: 15,
  minimumMinutesPerCase: 15,
  roundUpToMinutes: 15,
  afterHours: { calendar: 'dk-office', surchargePct: 100 },
  mileagePerKm: 3.52,
};

for (const theme of ['light', 'dark'] as const) {
  for (const lang of ['en', 'da'] as const) {
    const en = lang === 'en';
    test(`screenshots of the first start, the intake, a breached queue row and the ticket's "Why?" (${theme}, ${lang})`, async ({ page, vakt }) => {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.emulateMedia({ colorScheme: theme });
      await page.goto(vakt.url);
      await page.getByLabel('Language').selectOption(lang);
      await expect(page.getByRole('heading', { level: 2 }).first()).toHaveText(en ? 'Get started' : 'Kom i gang');
      await page.getByRole('combobox', { name: en ? 'Template' : 'Skabelon' }).selectOption('sla-callbacks-dk');
      await page.screenshot({ path: join(dir, `first-start-${theme}-${lang}.png`), fullPage: true });

      const { ids, critical } = await seedBreachedAndWaiting(vakt);
      await registerTicket(vakt, ids, 'high', 'VPN drops every 10 minutes', 'VPN unstable');
      await page.keyboard.press('Alt+1');
      await expect(page.getByRole('combobox').first()).toBeVisible();
      await page.screenshot({ path: join(dir, `intake-${theme}-${lang}.png`) });

      await page
        .getByRole('navigation')
        .getByRole('button', { name: en ? 'Queue' : 'Kø' })
        .click();
      await expect(page.getByRole('listitem')).toHaveCount(3);
      await expect(page.getByRole('listitem').first()).toHaveAttribute('data-breached', 'true');
      await expect(page.getByRole('listitem').first()).toContainText(critical.caseNumber);
      await page.screenshot({ path: join(dir, `queue-breached-${theme}-${lang}.png`) });

      await page.getByRole('listitem').first().getByRole('button').first().click();
      await expect(page.getByTestId('why-update')).toBeVisible();
      await page.screenshot({ path: join(dir, `ticket-why-${theme}-${lang}.png`), fullPage: true });
    });

    test(`screenshot of an invoice with its entries (${theme}, ${lang})`, async ({ page, vakt }) => {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.emulateMedia({ colorScheme: theme });
      const ids = await seedAfterHours(vakt);
      await api(vakt, 'billing.setRateCard', { contractId: ids.contractId, rateCard: card });
      const tk = await registerTicket(vakt, ids, 'critical', 'Router dead', 'Router');
      await api(vakt, 'billing.addTimeEntry', { ticketId: tk.id, kind: 'remote', level: 'L1', minutes: 40 });
      await api(vakt, 'field.step', { ticketId: tk.id, step: 'depart', km: 42.5 });
      await page.goto(vakt.url);
      await page.getByLabel('Language').selectOption(lang);
      await page
        .getByRole('navigation', { name: en ? 'Main' : 'Hoved' })
        .getByRole('button', { name: en ? 'Billing' : 'Fakturering' })
        .click();
      await expect(page.locator('.invoice-case table.invoice').first()).toBeVisible();
      await page.screenshot({ path: join(dir, `invoice-${theme}-${lang}.png`), fullPage: true });
    });
  }
}

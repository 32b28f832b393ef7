/** Writes the commit-ready screenshots of docs/screenshots/ (intake, queue, ticket page; light and dark). */
import { join } from 'node:path';
import { test, expect } from './fixtures.js';
import { registerTicket, seedAfterHours } from './seed.js';

const dir = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');

for (const scheme of ['light', 'dark'] as const) {
  test(`screenshots (${scheme})`, async ({ page, vakt }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ colorScheme: scheme });
    const ids = await seedAfterHours(vakt);
    const tk = await registerTicket(vakt, ids, 'critical', 'Scanners cannot reach the WMS server', 'Warehouse WMS down');
    await registerTicket(vakt, ids, 'high', 'VPN drops every 10 minutes', 'VPN unstable');
    await registerTicket(vakt, ids, 'normal', 'Printer on floor 2 jams', 'Printer jams');
    await registerTicket(vakt, ids, 'low', 'New user account for Karen', 'New account');
    await page.goto(vakt.url);
    await page.getByLabel('Your name').fill('Ole');

    await page.getByRole('button', { name: 'New call' }).click();
    await page.getByLabel("Caller's number or name").fill('72120000');
    await page.getByRole('button', { name: /Mette Holm/ }).click();
    await expect(page.getByTestId('preview-response')).toBeVisible();
    await page.screenshot({ path: join(dir, `intake-${scheme}.png`), fullPage: true });

    await page.getByRole('button', { name: 'Queue' }).click();
    await expect(page.getByRole('listitem')).toHaveCount(4);
    await page.screenshot({ path: join(dir, `queue-${scheme}.png`) });

    await page.getByRole('button', { name: `Open ticket ${tk.caseNumber} Warehouse WMS down` }).click();
    await expect(page.getByTestId('target-response')).toBeVisible();
    await page.getByRole('button', { name: 'Change priority' }).click();
    await page.getByLabel('Call type / priority').selectOption('normal');
    await expect(page.getByRole('table', { name: 'Effect on the deadlines' })).toBeVisible();
    await page.screenshot({ path: join(dir, `ticket-${scheme}.png`), fullPage: true });
  });
}

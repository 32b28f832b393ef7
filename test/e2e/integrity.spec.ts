/**
 * A database page damaged where the start does not read: the app starts, the background integrity check
 * finds it, and the person sees it in their language with the backup to restore (issue 19).
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../core/clock.js';
import { openStore } from '../../db/store.js';
import { expect, startVakt, stopVakt, test } from './fixtures.js';

test('a damaged page is reported as a banner in Danish with the vakt restore command', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vakt-e2e-integrity-'));
  const store = openStore({ dataDir, clock: new ManualClock(Date.now()), supportCodeLogN: 10 });
  const customer = store.customers.createCustomer({ name: 'Fjordkraft A/S' });
  for (let i = 0; i < 300; i++) store.tickets.register({ customerId: customer.id, channel: 'phone', title: `Line ${i} down` });
  const backup = store.backup();
  const root = (store.db.prepare(`SELECT rootpage FROM sqlite_schema WHERE name = 'tickets_customer'`).get() as { rootpage: number }).rootpage;
  const pageSize = store.db.pragma('page_size', { simple: true }) as number;
  store.close();
  const fd = openSync(join(dataDir, 'vakt.db'), 'r+');
  writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (root - 1) * pageSize);
  closeSync(fd);

  const vakt = await startVakt(dataDir);
  try {
    await page.addInitScript(() => localStorage.setItem('vakt.lang', 'da'));
    await page.goto(vakt.url);
    const banner = page.getByTestId('integrity-banner');
    await expect(banner).toBeVisible();
    await expect(banner).toHaveAttribute('role', 'alert');
    await expect(banner).toContainText(`Databasen ${join(dataDir, 'vakt.db')} er beskadiget`);
    await expect(banner).toContainText('Intet er ændret eller erstattet');
    await expect(banner).toContainText(`vakt restore "${backup}"`);
    // the queue still works beside it
    await page.getByRole('button', { name: 'Kø' }).click();
    await expect(page.getByRole('listitem').filter({ hasText: 'Line 0 down' })).toBeVisible();
  } finally {
    await stopVakt(vakt);
    rmSync(dataDir, { recursive: true, force: true });
  }
});

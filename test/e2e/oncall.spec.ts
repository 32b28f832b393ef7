/**
 * The on-call rota in the browser (issue 18 item 3): a rota edited in the app
 * changes "on call now"; and the rota editor and the Alerts panel beside it
 * for docs/screenshots/ (light and dark).
 */
import { join } from 'node:path';
import { test, expect } from './fixtures.js';
import type { VaktServer } from './fixtures.js';
import { api, seedOverdueTicket } from './seed.js';

const dir = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** Team NOC in UTC: Mette on duty round the clock, Ola her backup, Kari the lead. */
async function seedRota(vakt: VaktServer, contractIds: string[] = []) {
  return api(vakt, 'oncall.put', {
    rota: {
      name: 'NOC',
      timezone: 'UTC',
      members: [
        { userId: 'u-mette', name: 'Mette' },
        { userId: 'u-ola', name: 'Ola' },
        { userId: 'u-kari', name: 'Kari' },
      ],
      lead: 'u-kari',
      contractIds,
      week: DAYS.map((day) => ({ day, start: '00:00', end: '24:00', person: 'u-mette', backup: 'u-ola' })),
      overrides: [],
      escalation: { ackMinutes: 10, repeat: 2 },
    },
  });
}

test('editing a rota (an override: Ola takes today for Mette) changes who is on call now', async ({ page, vakt }) => {
  await seedRota(vakt);
  await page.goto(vakt.url);
  await page.getByRole('button', { name: 'On call' }).click();
  const now = page.getByTestId('oncall-now');
  await expect(now).toContainText('Mette');
  await expect(now).toContainText('backup Ola');

  await page.getByRole('button', { name: 'Edit NOC' }).click();
  const editor = page.getByRole('form', { name: 'Rota editor' });
  await editor.getByRole('button', { name: 'Add override' }).click();
  await editor.getByLabel('Override 1 date').fill(new Date().toISOString().slice(0, 10));
  await editor.getByLabel('Override 1 start').fill('00:00');
  await editor.getByLabel('Override 1 end').fill('24:00');
  await editor.getByLabel('Override 1 on duty').selectOption({ label: 'Ola' });
  await editor.getByLabel('Override 1 note').fill('for Mette');
  await editor.getByRole('button', { name: 'Save rota' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Rota NOC saved.' })).toBeVisible();
  await expect(now).toContainText('Ola');
  await expect(now).toContainText('override');

  // A shift that overlaps another is refused, the field named; nothing is stored.
  await editor.getByRole('button', { name: 'Add shift' }).click();
  await editor.getByRole('button', { name: 'Save rota' }).click();
  await expect(editor.getByRole('alert')).toHaveText('rota.week[7]: overlaps week.0 (mon 00:00-24:00): use an override for a one-off change');
  const stored = (await api(vakt, 'oncall.list', {})).rotas[0].rota;
  expect(stored.week).toHaveLength(7);

  // Whoever is not on duty may still ask for pop-ups (a per-user alert setting).
  await page.getByRole('region', { name: 'Alerts' }).getByRole('button', { name: 'Alert settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Your alert settings' });
  await dialog.getByLabel('Pop-ups also for alerts the on-call rota sends to someone else').check();
  await dialog.getByRole('button', { name: 'Save settings' }).click();
  await expect(dialog.getByRole('status')).toHaveText('Settings saved.');
  expect(await api(vakt, 'alerts.getSettings', {})).toMatchObject({ popupsForAll: true });
});

for (const scheme of ['light', 'dark'] as const) {
  test(`rota editor and Alerts panel screenshots (${scheme})`, async ({ page, vakt }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.emulateMedia({ colorScheme: scheme });
    const ids = await seedOverdueTicket(vakt);
    await seedRota(vakt, [ids.contractId]);
    await page.goto(vakt.url);
    await page.getByRole('button', { name: 'On call' }).click();
    await page.getByRole('button', { name: 'Edit NOC' }).click();
    await expect(page.getByRole('form', { name: 'Rota editor' })).toBeVisible();
    await page.screenshot({ path: join(dir, `rota-editor-${scheme}.png`), fullPage: true });
    const alerts = page.getByRole('region', { name: 'Alerts' });
    await expect(alerts.getByRole('row').first()).toBeVisible({ timeout: 15_000 });
    await alerts.screenshot({ path: join(dir, `alerts-${scheme}.png`) });
  });
}

/** The theme switch for night shifts (issue 15 item 10): system, light, dark, kept per user. */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.js';

const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const LIGHT = 'rgb(246, 247, 249)';
const DARK = 'rgb(15, 18, 22)';

test('a night-shift officer switches to dark; the choice is kept per user and across a restart', async ({ page, vakt }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(vakt.url);
  const theme = page.getByRole('banner').getByLabel('Theme');
  await expect(theme).toHaveValue('system');
  expect(await background(page)).toBe(LIGHT);

  await page.getByLabel('Your name').fill('Kim');
  await theme.selectOption({ label: 'Dark' });
  await expect.poll(() => background(page)).toBe(DARK);

  await page.reload();
  await expect(page.getByRole('banner').getByLabel('Theme')).toHaveValue('dark');
  expect(await background(page)).toBe(DARK);

  // the next shift's officer has their own choice (none yet: the system's)
  await page.getByLabel('Your name').fill('Ane');
  await expect(theme).toHaveValue('system');
  await expect.poll(() => background(page)).toBe(LIGHT);
  await page.getByLabel('Your name').fill('Kim');
  await expect(theme).toHaveValue('dark');
  await expect.poll(() => background(page)).toBe(DARK);
});

test('"System" follows the OS; "Light" stays light on a dark OS', async ({ page, vakt }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(vakt.url);
  const theme = page.getByRole('banner').getByLabel('Theme');
  await expect(theme).toHaveValue('system');
  expect(await background(page)).toBe(DARK);
  await theme.selectOption('light');
  await expect.poll(() => background(page)).toBe(LIGHT);
  await page.emulateMedia({ colorScheme: 'light' });
  await theme.selectOption('system');
  await expect.poll(() => background(page)).toBe(LIGHT);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(() => background(page)).toBe(DARK);
});

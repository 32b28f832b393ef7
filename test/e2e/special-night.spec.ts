import { test, expect } from './fixtures.js';
import { api, seedAfterHours } from './seed.js';

test('a special day with a night shift is split over midnight; the next date keeps its own hours', async ({ page, vakt }) => {
  const ids = await seedAfterHours(vakt);
  await page.goto(vakt.url);
  await page.getByRole('button', { name: 'Contracts' }).click();
  await page.getByRole('button', { name: /SA0009858/ }).click();
  await page.getByRole('button', { name: 'Edit calendars and policies' }).click();
  const editor = page.getByRole('region', { name: /Edit calendars and policies of SA0009858/ });
  // Wednesday 2031-12-17, 22:00 to Thursday 06:00 (Thursday is an ordinary 08-16 weekday)
  await editor.getByLabel('New special day').fill('2031-12-17');
  await editor.getByRole('button', { name: 'Add special day' }).click();
  await editor.getByLabel('Hours on 2031-12-17').fill('22:00–06:00');
  await editor.getByLabel('Hours on 2031-12-17').press('Tab');
  await editor.getByRole('button', { name: 'Check changes' }).click();
  await expect(page.getByTestId('edit-impact')).toContainText('This change moves the deadlines of');
  await expect(editor.getByLabel('Hours on 2031-12-17')).toHaveValue('22:00–24:00');
  await expect(editor.getByLabel('Hours on 2031-12-18')).toHaveValue('00:00–06:00, 08:00–16:00');
  await editor.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByTestId('edit-impact')).toContainText('Saved.');
  const c = await api(vakt, 'desk.contract', { contractId: ids.contractId });
  expect(c.policySet.calendars['dk-office'].special['2031-12-17']).toEqual([['22:00', '24:00']]);
  expect(c.policySet.calendars['dk-office'].special['2031-12-18']).toEqual([
    ['00:00', '06:00'],
    ['08:00', '16:00'],
  ]);
});

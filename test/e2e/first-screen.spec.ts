import { test, expect } from './fixtures.js';

test('vakt serve on a fresh data dir shows the duty desk', async ({ page, vakt }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(vakt.url);
  await expect(page.getByRole('heading', { name: 'Duty desk', exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Duty desk', exact: true }).getByRole('status')).toHaveText('Ready');
  await expect(page.getByTestId('host')).toHaveText('browser');
  await expect(page.getByText(vakt.dataDir)).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Queue' })).toBeVisible();
  // A device that was never enrolled says so in the sync status.
  await expect(page.getByRole('status', { name: 'Sync status' })).toHaveText('Not connected to a server');
  // The page's boot asks for the sync status once (the top bar and the role share it).
  expect(requests.filter((r) => r.endsWith('/api/rpc/sync.status'))).toHaveLength(1);
  // The secret leaves the address bar once the page has it.
  expect(page.url()).not.toContain(vakt.secret);
});

test('the UI switches language', async ({ page, vakt }) => {
  await page.goto(vakt.url);
  await page.getByLabel('Language').selectOption('da');
  await expect(page.getByRole('heading', { name: 'Vagtskrivebord', exact: true })).toBeVisible();
});

test('a page without the secret cannot use the API', async ({ page, vakt }) => {
  await page.goto(vakt.origin + '/');
  await expect(page.getByRole('region', { name: 'Duty desk', exact: true }).getByRole('status')).toContainText('missing or wrong launch secret');
});

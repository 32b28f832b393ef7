/**
 * Issue 19: the queue paints without waiting for the services where it need
 * not. Its first page is asked for as the page starts (before the app is even
 * rendered) and the Queue view shows it; opened again, the view shows its last
 * rows at once and then the fresh page (renderer/views/Queue/first-page.ts).
 */
import type { Page, Request } from '@playwright/test';
import { test, expect } from './fixtures.js';
import { registerTicket, seedAfterHours } from './seed.js';

const queueCalls = (page: Page): Request[] => {
  const calls: Request[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/rpc/desk.queue') calls.push(r);
  });
  return calls;
};

test('the queue is asked for as the page starts, and the Queue shows its rows from that answer at first load', async ({ page, vakt }) => {
  const ids = await seedAfterHours(vakt);
  const a = await registerTicket(vakt, ids, 'normal', 'Router in the basement is down', 'Router down');
  const b = await registerTicket(vakt, ids, 'high', 'Printer on floor 2 jams', 'Printer jams');
  const calls = queueCalls(page);
  await page.goto(vakt.url);
  await expect(page.getByRole('region', { name: 'Duty desk', exact: true }).getByRole('status')).toHaveText('Ready');
  // asked for before anyone opened the Queue: the services read it while the page builds
  expect(calls).toHaveLength(1);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Queue' }).click();
  const queue = page.getByRole('region', { name: 'Open tickets' });
  await expect(queue.getByRole('listitem')).toHaveCount(2);
  await expect(queue.getByRole('listitem').filter({ hasText: a.caseNumber })).toContainText('Router down');
  await expect(queue.getByRole('listitem').filter({ hasText: b.caseNumber })).toContainText('Printer jams');
  await expect(queue.getByTestId('queue-count')).toHaveText('2 tickets');
  // ...and the view took that answer instead of asking again
  expect(calls).toHaveLength(1);
});

test('the Queue opened again shows its last rows while the services answer, then the fresh page', async ({ page, vakt }) => {
  const ids = await seedAfterHours(vakt);
  const a = await registerTicket(vakt, ids, 'normal', 'Router in the basement is down', 'Router down');
  await page.goto(vakt.url);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Queue' }).click();
  const rows = page.getByRole('region', { name: 'Open tickets' }).getByRole('listitem');
  await expect(rows).toHaveCount(1);
  await nav.getByRole('button', { name: 'New call' }).click();
  await expect(page.getByRole('region', { name: 'New call' })).toBeVisible(); // the Queue has left (not merely hidden while the view's code loads)

  // Every queue call is held until released: what shows meanwhile is what the page kept.
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const calls = queueCalls(page);
  await page.route('**/api/rpc/desk.queue', async (route) => {
    await released;
    await route.continue();
  });
  await nav.getByRole('button', { name: 'Queue' }).click();
  await expect.poll(() => calls.length).toBe(1); // the fresh page is asked for...
  await expect(rows).toHaveCount(1); // ...while the last rows show
  await expect(rows.first()).toContainText(a.caseNumber);

  // a ticket registered meanwhile is in the fresh page once the services answer
  const b = await registerTicket(vakt, ids, 'high', 'Printer on floor 2 jams', 'Printer jams');
  release();
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: b.caseNumber })).toContainText('Printer jams');
});

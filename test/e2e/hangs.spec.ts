/**
 * Issue 15 item 2, "Hangs and duplicates": one event stream per window (a
 * ticket page with an 8 MB photo and all its panels stays responsive), action
 * buttons that cannot be fired twice, and a registration that is idempotent per
 * intake.
 */
import { randomUUID } from 'node:crypto';
import type { Page, Request } from '@playwright/test';
import { test, expect } from './fixtures.js';
import type { VaktServer } from './fixtures.js';
import { api, registerTicket, seedAfterHours } from './seed.js';

// A 1x1 PNG padded to 8 MB (core/api/field.ts PHOTO_MAX_BYTES; decoders ignore what follows IEND).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const photo8MB = () => Buffer.concat([PNG, Buffer.alloc(8 * 1024 * 1024 - PNG.length)]);

/** Stores a photo on a ticket through the shell's upload endpoint, as the page does. */
async function uploadPhoto(vakt: VaktServer, ticketId: string, name: string) {
  const request = JSON.stringify({ ticketId, name, mime: 'image/png', author: 'Kim' });
  const res = await fetch(`${vakt.origin}/api/upload/field.photo?field=dataBase64&request=${encodeURIComponent(request)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${vakt.secret}`, 'content-type': 'application/octet-stream' },
    body: photo8MB(),
  });
  expect(((await res.json()) as { ok: boolean }).ok).toBe(true);
}

/** The page's event-stream requests that are still open (started, neither finished nor failed). */
function openEventStreams(page: Page, open = new Set<Request>()): Set<Request> {
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/events') open.add(r);
  });
  page.on('requestfinished', (r) => open.delete(r));
  page.on('requestfailed', (r) => open.delete(r));
  return open;
}

const queueCount = async (vakt: VaktServer) => (await api(vakt, 'desk.queue', {})).items.length as number;

test('a ticket page with an 8 MB photo and all its panels stays responsive: one event stream, every action answers once', async ({ page, vakt }) => {
  const ids = await seedAfterHours(vakt);
  const tk = await registerTicket(vakt, ids, 'critical', 'Core switch down', 'Switch');
  await uploadPhoto(vakt, tk.id, 'rack.png');
  const streams = openEventStreams(page);
  await page.goto(vakt.url);
  await page.getByLabel('Your name').fill('Kim');
  await page.getByRole('button', { name: 'Sync…' }).click(); // the sync panel too
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Queue' }).click();
  await page.getByRole('button', { name: `Open ticket ${tk.caseNumber}` }).click();
  const timeline = page.getByRole('region', { name: 'Timeline' });
  await expect(timeline.getByRole('img', { name: 'Photo rack.png' })).toBeVisible();

  // A ticket action answers.
  await page.getByRole('toolbar', { name: 'Ticket actions' }).getByRole('button', { name: 'Note' }).click();
  const form = page.getByRole('form', { name: 'Note' });
  await form.getByLabel('Note').fill('Checked the rack');
  await form.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByTestId('action-done')).not.toBeEmpty();
  await expect(timeline.getByRole('listitem').filter({ hasText: 'Checked the rack' })).toHaveCount(1);

  // Log time answers, and three quick clicks log it once.
  const time = page.getByRole('region', { name: 'Time and billing' });
  await time.getByLabel('Duration (minutes)').fill('50');
  const log = time.getByRole('button', { name: 'Log time' });
  await log.click({ clickCount: 3, delay: 0 });
  await expect(time.getByRole('status')).toHaveText('Time logged.');
  await expect(log).toBeEnabled();
  const events = (await api(vakt, 'desk.ticket', { id: tk.id })).events as Array<{ type: string }>;
  expect(events.filter((e) => e.type === 'time_entry')).toHaveLength(1);

  // A visit step answers.
  const visit = page.getByRole('region', { name: 'Field visit' });
  await visit.getByRole('button', { name: 'Start travel', exact: true }).click();
  await expect(visit.getByRole('button', { name: 'Correct time: Start travel' })).toBeVisible();

  expect(streams.size).toBe(1);
});

/** The intake for Mette Holm (a named contact) with every required field filled but the title. */
async function intake(page: Page, vakt: VaktServer) {
  await seedAfterHours(vakt);
  await page.goto(vakt.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'New call' }).click();
  await page.getByLabel("Caller's number or name").fill('+45 72 12 00 00');
  await page.getByRole('button', { name: /Mette Holm/ }).click();
  await page.getByLabel('Call type / priority').selectOption('critical');
  await page.getByLabel('Fault description').fill('Scanners cannot reach the WMS server');
  await page.getByLabel('Site address (required by the contract)').fill('Kajgade 4, Aarhus');
}

test('a double-click on Register makes one ticket', async ({ page, vakt }) => {
  await intake(page, vakt);
  await page.getByLabel('Short title').fill('WMS down');
  await page.getByRole('button', { name: 'Register call' }).dblclick();
  await expect(page.getByTestId('case-number')).toBeVisible();
  expect(await queueCount(vakt)).toBe(1);
});

test('Enter in Short title does not register; Ctrl+Enter does', async ({ page, vakt }) => {
  await intake(page, vakt);
  const title = page.getByLabel('Short title');
  await title.fill('WMS');
  await title.press('Enter');
  // Still the form: the title can be finished.
  await title.pressSequentially(' down');
  await expect(title).toHaveValue('WMS down');
  await title.press('Control+Enter');
  await expect(page.getByTestId('case-number')).toBeVisible();
  const items = (await api(vakt, 'desk.queue', {})).items as Array<{ title: string }>;
  expect(items.map((i) => i.title)).toEqual(['WMS down']);
});

test('desk.register twice with one intake id makes one ticket and answers it both times', async ({ vakt }) => {
  const ids = await seedAfterHours(vakt);
  const c = await api(vakt, 'desk.contract', { contractId: ids.contractId });
  const req = {
    ...ids,
    intakeId: randomUUID(),
    policy: 'critical',
    critical: true,
    channel: 'phone',
    authorisedBy: 'contact',
    contactId: c.contacts[0].id,
    title: 'WMS down',
    description: 'Scanners cannot reach the WMS server',
    intake: { site_address: 'Kajgade 4, Aarhus' },
  };
  const [a, b] = await Promise.all([api(vakt, 'desk.register', req), api(vakt, 'desk.register', req)]);
  const c3 = await api(vakt, 'desk.register', req);
  expect(b.ticket.id).toBe(a.ticket.id);
  expect(c3.ticket.caseNumber).toBe(a.ticket.caseNumber);
  expect(await queueCount(vakt)).toBe(1);
});

test('seven tabs of the app share one event stream: the last still loads and answers, and pushes reach every tab', async ({ context, vakt }) => {
  const ids = await seedAfterHours(vakt);
  const pages: Page[] = [];
  const streams = new Set<Request>();
  for (let i = 0; i < 7; i++) {
    const page = await context.newPage();
    openEventStreams(page, streams);
    await page.goto(vakt.url);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Queue' }).click();
    await expect(page.getByText('No open tickets match.')).toBeVisible();
    pages.push(page);
  }
  // A ticket registered elsewhere: the push reaches the queue of every tab, over the one stream.
  const tk = await registerTicket(vakt, ids, 'critical', 'Core switch down', 'Switch');
  for (const page of pages) await expect(page.getByRole('button', { name: `Open ticket ${tk.caseNumber}` })).toBeVisible();
  expect(streams.size).toBe(1);
  // The tab holding the stream closes: another takes it over, and pushes keep coming.
  const [held] = [...streams];
  const holder = held!.frame().page();
  await holder.close();
  streams.delete(held!);
  const rest = pages.filter((p) => p !== holder);
  // Pushes sent while no tab holds the stream are not replayed (as after any reconnect): wait until one does.
  const answered = new Set<Request>();
  for (const page of rest) page.on('response', (r) => void (new URL(r.url()).pathname === '/api/events' && answered.add(r.request())));
  await expect.poll(() => [...streams].filter((r) => answered.has(r)).length).toBe(1);
  const tk2 = await registerTicket(vakt, ids, 'normal', 'Printer jams', 'Printer');
  for (const page of rest) await expect(page.getByRole('button', { name: `Open ticket ${tk2.caseNumber}` })).toBeVisible();
  expect(streams.size).toBe(1);
});

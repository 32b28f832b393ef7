import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.js';
import type { VaktServer } from './fixtures.js';
import { api, registerTicket, seedAfterHours } from './seed.js';

/** A critical ticket assigned to Kim, and the page on Kim's "Field" view. */
async function fieldView(page: Page, vakt: VaktServer) {
  const ids = await seedAfterHours(vakt);
  const tk = await registerTicket(vakt, ids, 'critical', 'Core switch down', 'Switch');
  await api(vakt, 'desk.act', { ticketId: tk.id, action: { type: 'assign', assignee: 'Kim' } });
  await page.goto(vakt.url);
  await page.getByLabel('Your name').fill('Kim');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Field' }).click();
  return tk;
}

test('a technician logs a visit: travel, arrive, work, depart with km, a part, the checklist and a signature', async ({ page, vakt }) => {
  const tk = await fieldView(page, vakt);
  const visits = page.getByRole('list', { name: 'My visits' });
  await expect(visits.getByRole('listitem')).toHaveCount(1);
  await expect(visits).toContainText('Nordhavn Logistik ApS');
  await expect(visits).toContainText('Kajgade 4, Aarhus');
  await visits.getByRole('button', { name: `Open case ${tk.caseNumber}` }).click();

  const visit = page.getByRole('region', { name: 'Field visit' });
  for (const step of ['Start travel', 'Arrive', 'Start work']) {
    await visit.getByRole('button', { name: step, exact: true }).click();
    await expect(visit.getByRole('button', { name: `Correct time: ${step}` })).toBeVisible();
  }
  await visit.getByLabel('km driven').fill('42');
  await visit.getByRole('button', { name: 'Depart', exact: true }).click();
  await expect(visit.getByRole('button', { name: 'Correct time: Depart' })).toBeVisible();

  await visit.getByLabel('Product').fill('PSU 650W');
  await visit.getByLabel('Serial in').fill('SN-NEW-1');
  await visit.getByLabel('Serial out').fill('SN-OLD-1');
  await visit.getByRole('button', { name: 'Save parts' }).click();
  await expect(visit.getByRole('status')).toHaveText('Recorded.');

  await visit.getByLabel('Temperature (°C)').fill('21.5');
  await visit.getByLabel('Dust').fill('light');
  await visit.getByRole('button', { name: 'Save checklist' }).click();

  await visit.getByLabel('Customer name').fill('Jens Hansen');
  const pad = visit.getByRole('img', { name: 'Signature' });
  await pad.scrollIntoViewIfNeeded();
  const box = (await pad.boundingBox())!;
  await page.mouse.move(box.x + 20, box.y + 100);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) await page.mouse.move(box.x + 20 + i * 25, box.y + 100 - (i % 2) * 50);
  await page.mouse.up();
  await visit.getByRole('button', { name: 'Save acceptance' }).click();

  const timeline = page.getByRole('region', { name: 'Timeline' });
  await expect(timeline.getByRole('img', { name: 'signed by Jens Hansen' })).toBeVisible();
  const items = timeline.getByRole('listitem');
  await expect(items.filter({ hasText: 'Visit step' })).toHaveCount(4);
  await expect(items.filter({ hasText: 'Visit step' }).last()).toContainText('Depart, 42 km');
  await expect(items.filter({ hasText: 'Parts' })).toContainText('PSU 650W (in SN-NEW-1, out SN-OLD-1)');
  await expect(items.filter({ hasText: 'Inspection' })).toContainText('Temperature (°C): 21.5; Dust: light');
  const sig = await timeline.getByRole('img', { name: 'signed by Jens Hansen' }).getAttribute('src');
  expect(sig).toMatch(/^data:image\/png;base64,/);
  expect(sig!.length).toBeGreaterThan(500); // something was drawn

  // A photo, stored on the device by its hash, shown as a thumbnail in the timeline.
  await visit.getByLabel('Add photo').setInputFiles({
    name: 'rack.png',
    mimeType: 'image/png',
    buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'),
  });
  const thumb = timeline.getByRole('img', { name: 'Photo rack.png' });
  await expect(thumb).toBeVisible();
  expect(await thumb.getAttribute('src')).toMatch(/^data:image\/png;base64,iVBOR/);
});

// Photos up to the contract limit upload from the browser shell (issue 14 item 3).
/** core/api/field.ts PHOTO_MAX_BYTES */
const PHOTO_MAX_BYTES = 8 * 1024 * 1024;
// A 1x1 PNG, padded after its end so that it is as large as wanted (decoders ignore what follows IEND).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const png = (size: number) => Buffer.concat([PNG, Buffer.alloc(size - PNG.length)]);

async function openVisit(page: Page, vakt: VaktServer) {
  const tk = await fieldView(page, vakt);
  await page
    .getByRole('list', { name: 'My visits' })
    .getByRole('button', { name: `Open case ${tk.caseNumber}` })
    .click();
  return { tk, visit: page.getByRole('region', { name: 'Field visit' }) };
}

const photoEvents = async (vakt: VaktServer, id: string) => (await api(vakt, 'desk.ticket', { id })).events.filter((e: { type: string }) => e.type === 'photo');

test('the browser shell stores a photo of 8 MB, the contract limit, with upload progress', async ({ page, vakt }) => {
  const { tk, visit } = await openVisit(page, vakt);
  // Note each progress bar the control shows, however short-lived.
  await page.evaluate(() => {
    const seen: string[] = ((window as unknown as { progressSeen: string[] }).progressSeen = []);
    new MutationObserver(() => {
      document.querySelectorAll('progress').forEach((p) => seen.push(p.getAttribute('aria-label') ?? ''));
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  const bytes = png(PHOTO_MAX_BYTES);
  await visit.getByLabel('Add photo').setInputFiles({ name: 'rack.png', mimeType: 'image/png', buffer: bytes });
  await expect(visit.getByRole('status')).toHaveText('Recorded.');
  const thumb = page.getByRole('region', { name: 'Timeline' }).getByRole('img', { name: 'Photo rack.png' });
  await expect(thumb).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen)).toContain('Uploading photo… 0 %');

  const sha256 = createHash('sha256').update(bytes).digest('hex');
  expect(await photoEvents(vakt, tk.id)).toMatchObject([{ data: { sha256, name: 'rack.png', mime: 'image/png', size: PHOTO_MAX_BYTES } }]);
  expect(readFileSync(join(vakt.dataDir, 'attachments', sha256)).equals(bytes)).toBe(true);
});

test('a photo over 8 MB is refused with a message naming the limit, and nothing is stored', async ({ page, vakt }) => {
  const { tk, visit } = await openVisit(page, vakt);
  await visit.getByLabel('Add photo').setInputFiles({ name: 'big.png', mimeType: 'image/png', buffer: png(9 * 1024 * 1024) });
  await expect(visit.getByRole('alert')).toHaveText('The photo is 9.0 MB; at most 8 MB can be attached.');
  await expect(visit.getByLabel('Add photo')).toBeEnabled();
  expect(await photoEvents(vakt, tk.id)).toEqual([]);
});

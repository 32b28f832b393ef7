import { test, expect } from './fixtures.js';
import { api, registerTicket, seedAfterHours } from './seed.js';

test('a technician logs a visit: travel, arrive, work, depart with km, a part, the checklist and a signature', async ({ page, vakt }) => {
  const ids = await seedAfterHours(vakt);
  const tk = await registerTicket(vakt, ids, 'critical', 'Core switch down', 'Switch');
  await api(vakt, 'desk.act', { ticketId: tk.id, action: { type: 'assign', assignee: 'Kim' } });
  await page.goto(vakt.url);
  await page.getByLabel('Your name').fill('Kim');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Field' }).click();
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

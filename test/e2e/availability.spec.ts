/**
 * Issue 20 item 2 in the browser shell: the Connexys template's service (the
 * complete service, 99.5 % per month, 24/7 in Amsterdam) in the SLA report's
 * month. Two outages cross the month's boundaries (recorded through the API),
 * a third is entered by hand in the form, on a ticket by its case number, and
 * crosses the DST change (00:30 CEST to 04:30 CET is 5 hours, not 4): the
 * month goes from met to breached, with the minutes and the outages shown.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './fixtures.js';
import { api, registerTicket } from './seed.js';

test.use({ timezoneId: 'Europe/Amsterdam', locale: 'en-GB' });

const t = (iso: string) => Date.parse(iso);

test('a service’s availability in the month: outages across the month boundaries and DST, met then breached', async ({ page, vakt }) => {
  const template = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'contracts', 'templates', 'call-types-nl.json'), 'utf8')) as Record<string, any>;
  const { name: _n, description: _d, ...rest } = template;
  const imported = await api(vakt, 'desk.importContract', {
    file: { ...rest, customer: { name: 'Werving BV' }, agreementNumber: 'CX-2026', contacts: [{ name: 'Anouk de Vries', phone: '+31 10 498 09 88' }] },
  });
  expect(imported.issues ?? []).toEqual([]);
  const ids = { contractId: imported.contractId as string, customerId: imported.customerId as string };
  // The contract's file carries its services back out (and in again).
  expect((await api(vakt, 'desk.exportContract', { contractId: ids.contractId })).file.services).toEqual(template.services);
  // 60 minutes in September, 90 in October; 60 in October, 20 in November.
  await api(vakt, 'agreements.recordOutage', {
    contractId: ids.contractId,
    serviceId: 'connexys',
    start: t('2026-09-30T23:00:00+02:00'),
    end: t('2026-10-01T01:30:00+02:00'),
    summary: 'Database failover',
  });
  await api(vakt, 'agreements.recordOutage', {
    contractId: ids.contractId,
    serviceId: 'connexys',
    start: t('2026-10-31T23:00:00+01:00'),
    end: t('2026-11-01T00:20:00+01:00'),
    summary: 'Certificate expired',
  });
  const ticket = await registerTicket(vakt, ids, 'incident-1', 'De applicatie is niet bereikbaar', 'Connexys onbereikbaar');

  await page.goto(vakt.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Reports' }).click();
  await page.getByLabel('Month').fill('2026-10');
  const card = page.getByTestId('availability-connexys');
  await expect(card.getByRole('heading', { name: 'Connexys applicatie (complete dienst) – CX-2026, Werving BV' })).toBeVisible();
  await expect(card.getByTestId('availability-down')).toHaveText('150 min');
  await expect(card.getByTestId('availability-state')).toHaveText('Met');
  await expect(card.getByTestId('availability-percent')).toHaveText(`${(Math.round(((44_700 - 150) / 44_700) * 100_000) / 1000).toLocaleString('en-GB', { maximumFractionDigits: 3 })} %`);
  await expect(card.getByTestId('outage-row')).toHaveCount(2);
  await expect(card.getByText('24/7 (Europe/Amsterdam)')).toBeVisible();

  // By hand, on the ticket: the night the clocks go back.
  const form = page.getByRole('form', { name: 'Record an outage' });
  await form.getByLabel('From').fill('2026-10-25T00:30');
  await form.getByLabel('To').fill('2026-10-25T04:30');
  await form.getByLabel('What happened').fill('Storage array down');
  await form.getByLabel('Ticket (case number, optional)').fill('nope');
  await form.getByRole('button', { name: 'Save outage' }).click();
  await expect(form.getByRole('alert')).toContainText('caseNumber');
  await form.getByLabel('Ticket (case number, optional)').fill(ticket.caseNumber);
  await form.getByRole('button', { name: 'Save outage' }).click();
  await expect(form.getByRole('status')).toHaveText('Outage saved.');

  await expect(card.getByTestId('availability-down')).toHaveText('450 min');
  await expect(card.getByTestId('availability-state')).toHaveText('Breached');
  await expect(card.getByTestId('availability-percent')).toHaveText('98.993 %');
  const rows = card.getByTestId('outage-row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(1)).toContainText('300');
  await expect(rows.nth(1)).toContainText(`${ticket.caseNumber} – Storage array down`);
  await expect(rows.nth(1)).toContainText('By hand');
  await page.getByRole('region', { name: 'Availability of services' }).screenshot({ path: join(import.meta.dirname, '..', '..', 'docs', 'screenshots', 'availability.png') });

  // The neighbouring month holds the rest of the outage that crossed into it.
  await page.getByLabel('Month').fill('2026-11');
  await expect(card.getByTestId('availability-down')).toHaveText('20 min');
  await expect(card.getByTestId('availability-state')).toHaveText('Met');

  // On the ticket page: its outage, and one entered there that is still going on, then ended.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Queue' }).click();
  await page.getByRole('listitem').filter({ hasText: ticket.caseNumber }).click();
  const panel = page.getByRole('region', { name: 'Outages on this ticket' });
  await expect(panel.getByTestId('ticket-outage')).toHaveCount(1);
  await expect(panel.getByTestId('ticket-outage')).toContainText('Storage array down');
  const onTicket = panel.getByRole('form', { name: 'Record an outage' });
  await onTicket.getByLabel('From').fill('2026-11-02T09:00');
  await onTicket.getByLabel('What happened').fill('Login page 503');
  await onTicket.getByRole('button', { name: 'Save outage' }).click();
  const open = panel.getByTestId('ticket-outage').filter({ hasText: 'Login page 503' });
  await expect(open).toContainText('ongoing');
  await open.getByRole('button', { name: 'Ended now' }).click();
  await expect(open).not.toContainText('ongoing');
  const nov = await api(vakt, 'agreements.availability', { month: '2026-11', contractId: ids.contractId });
  expect(nov.services[0].outages.map((o: { summary: string; end: number | null }) => [o.summary, o.end === null])).toEqual([
    ['Certificate expired', false],
    ['Login page 503', false],
  ]);
});

import { test, expect } from './fixtures.js';
import { api, registerTicket, seedOverdueTicket } from './seed.js';

test('an overdue ticket shows an alert; acknowledged, it is gone; snooze; settings are stored', async ({ page, vakt }) => {
  const { ticket, ...ids } = await seedOverdueTicket(vakt);
  const other = await registerTicket(vakt, ids, 'critical', 'Phones dead in the warehouse', 'Phones down');
  await new Promise((r) => setTimeout(r, 1500));
  await page.goto(vakt.url);
  const panel = page.getByRole('region', { name: 'Alerts' });
  const breach = panel.getByRole('row').filter({ hasText: 'Deadline breached' }).filter({ hasText: ticket.caseNumber });
  await expect(breach).toBeVisible();
  await expect(breach).toContainText('Response deadline');
  // the case number opens the ticket page; the panel stays
  await breach.getByRole('button', { name: `Open ticket ${ticket.caseNumber}` }).click();
  await expect(page.getByRole('heading', { name: /Mail down/ })).toBeVisible();
  const before = Number(await page.getByTestId('alert-count').textContent());
  expect(before).toBeGreaterThanOrEqual(1);
  await expect(page.getByRole('button', { name: `Alerts: ${before} active` })).toBeVisible();

  await panel.getByRole('button', { name: `Acknowledge ${ticket.caseNumber} Deadline breached` }).click();
  await expect(breach).toHaveCount(0);
  await expect(page.getByTestId('alert-count')).toHaveText(String(before - 1));
  const listed = await api(vakt, 'alerts.list', {});
  expect(listed.active.filter((a: { ticketId: string }) => a.ticketId === ticket.id)).toEqual([]);

  // the other one: snooze it for 30 minutes
  const second = panel.getByRole('row').filter({ hasText: 'Deadline breached' }).filter({ hasText: other.caseNumber });
  await panel.getByLabel(`Snooze ${other.caseNumber} Deadline breached for`).selectOption('30');
  await panel.getByRole('button', { name: `Snooze ${other.caseNumber} Deadline breached` }).click();
  await expect(second).toContainText('snoozed until');
  const snoozed = (await api(vakt, 'alerts.list', {})).active.find((a: { ticketId: string }) => a.ticketId === other.id);
  expect(snoozed.snoozedUntil).toBeGreaterThan(Date.now() + 29 * 60_000);

  // the badge folds the panel away and back
  await page.getByRole('button', { name: 'Alerts: ' }).click();
  await expect(panel).toHaveCount(0);
  await page.getByRole('button', { name: 'Alerts: ' }).click();

  // settings: errors at the field, then stored
  await panel.getByRole('button', { name: 'Alert settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Your alert settings' });
  await expect(dialog.getByLabel('Warn at (% of the target time)')).toHaveValue('75');
  await dialog.getByLabel('Re-notify unacknowledged critical alerts every (minutes)').fill('often');
  await dialog.getByRole('button', { name: 'Save settings' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('must be a whole number of minutes');
  await expect(dialog.getByLabel('Re-notify unacknowledged critical alerts every (minutes)')).toHaveAttribute('aria-invalid', 'true');
  await dialog.getByLabel('Re-notify unacknowledged critical alerts every (minutes)').fill('10');
  await dialog.getByLabel('Warn at (% of the target time)').fill('60, 150');
  await dialog.getByRole('button', { name: 'Save settings' }).click();
  // the services refuse 150 %: the error is shown at the field
  await expect(dialog.getByLabel('Warn at (% of the target time)')).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByRole('alert')).toBeVisible();
  await dialog.getByLabel('Warn at (% of the target time)').fill('60, 80');
  await dialog.getByLabel('Quiet hours from (HH:MM)').fill('22:00');
  await dialog.getByLabel('Quiet hours to (HH:MM)').fill('06:00');
  await expect(dialog.getByLabel('Sound of a pop-up')).toHaveValue('alarm-clock-elapsed');
  await dialog.getByLabel('Sound of a pop-up').selectOption({ label: 'No sound' });
  await dialog.getByRole('button', { name: 'Save settings' }).click();
  await expect(dialog.getByRole('status')).toHaveText('Settings saved.');
  const s = await api(vakt, 'alerts.getSettings', {});
  expect(s).toMatchObject({ warnPercent: [60, 80], renotifyMinutes: 10, quietHours: { start: '22:00', end: '06:00' }, sound: null });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);
});

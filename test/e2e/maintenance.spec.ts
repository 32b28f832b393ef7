import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './fixtures.js';
import { api } from './seed.js';

const ZONE = 'Europe/Oslo';
/** The local date (YYYY-MM-DD) `days` from today in Oslo. */
const day = (days: number) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now() + days * 86_400_000);

test('maintenance plans: visits are created, shown in My visits, a missed one is in the SLA report, the inspection report is a PDF', async ({ page, vakt }) => {
  const t = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'contracts', 'templates', 'service-levels-no.json'), 'utf8')) as Record<string, unknown>;
  const imp = await api(vakt, 'desk.importContract', {
    file: {
      customer: { name: 'Fjellheim Kommune' },
      agreementNumber: 'TK-2026-17',
      defaultPolicy: 'level-3-daily-operations',
      calendars: t.calendars,
      policies: t.policies,
      maintenance: [
        // Quarterly from 5 days ago: its window (30 days) is open now.
        { id: 'quarterly', kind: 'inspection', title: 'Fysisk inspeksjon', every: { months: 3 }, from: day(-5), window: { daysAfter: 30 }, assignee: 'Kari' },
        // A one-day window that closed at midnight: missed.
        { id: 'ups', kind: 'inspection', title: 'UPS check', every: { months: 12 }, from: day(-2), window: { daysAfter: 0 }, assignee: 'Kari' },
      ],
    },
  });
  expect(imp.imported).toBe(true);

  await page.goto(vakt.url);
  await page.getByLabel('Your name').fill('Kari');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Contracts' }).click();
  await page.getByRole('button', { name: /TK-2026-17/ }).click();
  const panel = page.getByRole('region', { name: 'Maintenance plans' });
  await expect(panel).toContainText('Fysisk inspeksjon (Inspection): every 3 months from');
  await panel.getByRole('button', { name: 'Create the visits that are due now' }).click();
  await expect(panel.getByRole('status')).toHaveText('Visits created: 2');
  // A second run creates nothing (one ticket per planned date).
  await panel.getByRole('button', { name: 'Create the visits that are due now' }).click();
  await expect(panel.getByRole('status')).toHaveText('Visits created: 0');
  await expect(panel.getByRole('table', { name: 'Planned visits' }).getByRole('row').filter({ hasText: 'UPS check' }).first()).toContainText('missed');

  await nav.getByRole('button', { name: 'Field' }).click();
  const visits = page.getByRole('list', { name: 'My visits' });
  await expect(visits.getByRole('listitem')).toHaveCount(2);
  const quarterly = visits.getByRole('listitem').filter({ hasText: 'Fysisk inspeksjon' });
  await expect(quarterly.getByTestId('visit-badge')).toContainText('Inspection · window');

  // The technician fills in the checklist and exports the inspection report.
  await quarterly.getByRole('button', { name: /Open case/ }).click();
  const visit = page.getByRole('region', { name: 'Field visit' });
  await visit.getByLabel('Temperature (°C)').fill('22,5');
  await visit.getByLabel('Dust').fill('none');
  await visit.getByRole('button', { name: 'Save checklist' }).click();
  await expect(visit.getByRole('status')).toHaveText('Recorded.');
  const [dl] = await Promise.all([page.waitForEvent('download'), visit.getByRole('button', { name: 'Inspection report (PDF)' }).click()]);
  expect(dl.suggestedFilename()).toBe(`inspection-TK-2026-17-${day(-5)}.pdf`);
  const pdf = readFileSync(await dl.path());
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  // The page the PDF is printed from: the readings as entered.
  const visitTicket = (await api(vakt, 'field.myVisits', { assignee: 'Kari' })).items.find((i: { title: string }) => i.title.startsWith('Fysisk')).ticketId as string;
  const print = await page.context().newPage();
  await print.goto(`${vakt.origin}/?print=visit&ticket=${visitTicket}#k=${vakt.secret}`);
  const report = print.getByTestId('visit-report');
  await expect(report.getByRole('heading', { level: 2 })).toContainText('Inspection report');
  await expect(report.getByTestId('visit-report-checklist')).toContainText('Temperature (°C)22.5');
  await expect(report).toContainText('TK-2026-17');
  await print.close();

  // The SLA report of the month the missed window closed in.
  await nav.getByRole('button', { name: 'Reports' }).click();
  await page.getByLabel('Contract').selectOption({ label: 'TK-2026-17 – Fjellheim Kommune' });
  await page.getByLabel('Month').fill(day(-1).slice(0, 7));
  await expect(page.getByTestId('report-visits')).toHaveText('Windows closed this month: 1 · done in time: 0 · missed: 1');
  await expect(page.getByTestId('report-visit-rows')).toContainText('UPS check');
});

test('maintenance plans are edited on the contract: a bad plan is refused with its path, a good one creates its visit', async ({ page, vakt }) => {
  const t = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'contracts', 'templates', 'service-levels-no.json'), 'utf8')) as Record<string, unknown>;
  await api(vakt, 'desk.importContract', {
    file: { customer: { name: 'Fjellheim Kommune' }, agreementNumber: 'TK-2026-18', defaultPolicy: 'level-1-daily-operations', calendars: t.calendars, policies: t.policies },
  });
  await page.goto(vakt.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Contracts' }).click();
  await page.getByRole('button', { name: /TK-2026-18/ }).click();
  const panel = page.getByRole('region', { name: 'Maintenance plans' });
  await expect(panel).toContainText('This contract plans no recurring work.');
  await panel.getByText('Edit the plans (JSON)').click();
  const plans = panel.getByRole('textbox', { name: 'Plans', exact: true });
  await plans.fill(JSON.stringify([{ id: 'ups', kind: 'inspection', every: { months: 3 } }]));
  await panel.getByRole('button', { name: 'Save plans' }).click();
  await expect(panel.getByRole('alert')).toContainText('maintenance[0].from is required with every');
  await plans.fill(JSON.stringify([{ id: 'ups', kind: 'inspection', title: 'UPS check', every: { months: 3 }, from: day(-1), assignee: 'Kari' }]));
  await panel.getByRole('button', { name: 'Save plans' }).click();
  await expect(panel.getByRole('status')).toHaveText('Plans saved. Visits created: 1');
  await expect(panel).toContainText('UPS check (Inspection): every 3 months from');

  // A monthly plan of level 3: the contract is at level 1, so it applies once the level is chosen.
  await plans.fill(JSON.stringify([{ id: 'monthly', kind: 'inspection', title: 'Monthly check', level: 'level-3-daily-operations', perYear: 12, window: { daysAfter: 30 } }]));
  await panel.getByRole('button', { name: 'Save plans' }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'Plans saved' })).toHaveText('Plans saved. Visits created: 0');
  await panel.getByLabel('Service level of this contract').selectOption({ label: 'Nivå 3: daglig drift' });
  await expect(panel.getByRole('status').filter({ hasText: 'Service level set' })).toHaveText(/^Service level set\. Visits created: [1-9]$/);
});

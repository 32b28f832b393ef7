/**
 * Scheduled reports and warranty in the browser shell (issue 20 items 3, 4;
 * docs/scheduled-reports.md, docs/warranty.md), against a real `vakt serve`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HEADER_PROTOCOL, HEADER_SCHEMA, PROTOCOL_VERSION, SCHEMA_VERSION } from '../../core/sync/protocol.js';
import { test, expect, startVakt, stopVakt } from './fixtures.js';
import { api, seedAfterHours } from './seed.js';
import { startSyncServer } from './sync-server.js';

const card = { currency: 'DKK', vatPct: 25, rates: { L1: 800 }, fees: { 'sla-report': 499, diagnosis: 450 } };
/** A window over the whole month: the report of last month is due whatever today is. */
const REPORTS = {
  level: 'bronze',
  schedules: [{ id: 'monthly', name: 'SLA report', every: 'month', window: { fromDay: 1, toDay: 31 }, to: ['telefoni@nordhavn.example'], levels: ['bronze'], fee: 'sla-report' }],
  kpis: [{ metric: 'resolution', minPct: 97, name: 'Repairs within SLA', levels: ['bronze'] }],
};

const monthOf = (d: Date) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;

test('a report due: reminded, its PDF prepared, recorded as sent (the reminder goes, the fee is on the invoice), the KPI in the report', async ({ page, vakt }) => {
  const ids = await seedAfterHours(vakt);
  await api(vakt, 'billing.setRateCard', { contractId: ids.contractId, rateCard: card });
  await api(vakt, 'agreements.setSections', { contractId: ids.contractId, reports: REPORTS });
  const due = (await api(vakt, 'agreements.dueReports', {})).reports[0];
  const now = new Date();
  expect(due).toMatchObject({ scheduleId: 'monthly', state: 'open' });
  // The reminder is an alert of its own kind.
  expect((await api(vakt, 'alerts.list', {})).active).toMatchObject([{ kind: 'report_due', target: 'report', caseNumber: `SA0009858 ${due.period}` }]);

  await page.goto(vakt.url);
  // The Alerts panel says it; its link opens the reports to send.
  const alert = page.getByRole('region', { name: 'Alerts' }).getByRole('row').filter({ hasText: 'SLA report to send' });
  await expect(alert).toContainText(`SA0009858 ${due.period}`);
  await expect(alert).toContainText('SLA report due by');
  await alert.getByRole('button', { name: `Open the reports to send (SA0009858 ${due.period})` }).click();
  const row = page.getByTestId('due-SA0009858-monthly');
  await expect(row.getByTestId('due-period')).toHaveText(due.period);
  await expect(row.getByTestId('due-state')).toHaveText('Due now');
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), row.getByRole('button', { name: 'Prepare PDF' }).click()]);
  expect(dl.suggestedFilename()).toBe(`sla-SA0009858-${due.period}.pdf`);
  await expect(row.getByLabel('Recipients')).toHaveValue('telefoni@nordhavn.example');
  await row.getByRole('button', { name: 'Mark as sent' }).click();
  // The next period is current now; its window opens on the 1st.
  await expect(row.getByTestId('due-state')).toHaveText('Upcoming');
  await expect(row).toContainText('Last sent');
  const sent = (await api(vakt, 'agreements.contract', { contractId: ids.contractId })).reportsSent;
  expect(sent).toMatchObject([{ schedule: 'monthly', period: due.period, to: ['telefoni@nordhavn.example'] }]);
  expect((await api(vakt, 'alerts.list', {})).active).toEqual([]);
  const month = await api(vakt, 'billing.month', { customerId: ids.customerId, month: monthOf(now) });
  expect(month.cases.find((c: { title: string }) => c.title === `SLA report ${due.period}`)?.invoice.total).toBe(62375);

  // The report page shows the guaranteed KPI (nothing decided yet this month).
  await expect(page.getByTestId('kpi-resolution')).toContainText('Repairs within SLA: at least 97 %');
  await expect(page.getByTestId('kpi-resolution')).toContainText('no data');
});

test('intake shows the warranty of the product and serial number; outside it the diagnosis fee is proposed and waived once the quote is accepted', async ({ page, vakt }) => {
  // The contract does not ask for the product and serial number: with warranty terms, the form does.
  const ids = await seedAfterHours(vakt, (f) => {
    f.warranty = { terms: [{ products: ['Mac', 'iMac'], years: 3, purchasedFrom: '2015-01-01' }], diagnosisFee: 'diagnosis' };
  });
  await api(vakt, 'billing.setRateCard', { contractId: ids.contractId, rateCard: card });
  await page.goto(vakt.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'New call' }).click();
  await page.getByLabel("Caller's number or name").fill('+45 72 12 00 00');
  await page.getByRole('button', { name: /Mette Holm/ }).click();
  await page.getByLabel('Call type / priority').selectOption('critical');
  await page.getByLabel('Critical fault').check();
  await page.getByLabel('Fault description').fill('Does not boot');
  await page.getByLabel('Site address (required by the contract)').fill('Kajgade 4, Aarhus');
  const warranty = page.getByRole('region', { name: 'Warranty' });
  await warranty.getByLabel('Product', { exact: true }).fill('MacBook Pro 14');
  await warranty.getByLabel('Serial number', { exact: true }).fill('C02XK1ABCDEF');
  await expect(warranty.getByTestId('warranty-state')).toHaveText('Warranty unknown: no purchase date');
  // A date outside the supported range is refused at its field, and nothing is kept.
  await warranty.getByLabel('Purchase date').fill('1999-12-31');
  await warranty.getByRole('button', { name: 'Save purchase date' }).click();
  await expect(warranty.getByRole('alert')).toContainText('must be between 2000-01-01 and 2999-12-31');
  await expect(warranty.getByLabel('Purchase date')).toHaveAttribute('aria-invalid', 'true');
  await expect(warranty.getByTestId('warranty-state')).toHaveText('Warranty unknown: no purchase date');
  // Bought in 2021: three years are over.
  await warranty.getByLabel('Purchase date').fill('2021-06-01');
  await warranty.getByRole('button', { name: 'Save purchase date' }).click();
  await expect(warranty.getByTestId('warranty-state')).toHaveText('Warranty ended 2024-05-31 · Diagnosis fee "diagnosis" proposed (outside the warranty)');
  await page.getByRole('button', { name: 'Register call' }).click();
  const caseNumber = (await page.getByTestId('case-number').textContent())!.trim();

  await page.getByRole('button', { name: 'Open ticket' }).click();
  const onTicket = page.getByRole('region', { name: 'Warranty' });
  await expect(onTicket.getByTestId('diagnosis-fee')).toHaveText('Diagnosis fee "diagnosis" proposed (outside the warranty)');
  await expect(page.getByTestId(`invoice-total-${caseNumber}`)).toHaveText('DKK 562.50');
  await onTicket.getByLabel('Repair quote accepted').click(); // the box follows the stored state (checked once the note is stored)
  await expect(onTicket.getByTestId('diagnosis-fee')).toHaveText('Diagnosis fee "diagnosis" waived (quote accepted)');
  await expect(page.getByTestId(`invoice-total-${caseNumber}`)).toHaveText('DKK 0.00');
});

test('a report sent on one device is known on the other: its reminder goes there too', async ({ page, vakt }) => {
  const server = await startSyncServer();
  const dirB = mkdtempSync(join(tmpdir(), 'vakt-e2e-'));
  const b = await startVakt(dirB);
  try {
    const V = { [HEADER_PROTOCOL]: String(PROTOCOL_VERSION), [HEADER_SCHEMA]: String(SCHEMA_VERSION), 'content-type': 'application/json', authorization: `Bearer ${server.admin}` };
    const code = async (userName: string) =>
      ((await (await fetch(`${server.url}/v1/admin/enrolment-codes`, { method: 'POST', headers: V, body: JSON.stringify({ userName }) })).json()) as { code: string }).code;
    await api(vakt, 'sync.enrol', { serverUrl: server.url, code: await code('Mette') });
    await api(b, 'sync.enrol', { serverUrl: server.url, code: await code('Ole') });
    const ids = await seedAfterHours(vakt);
    await api(vakt, 'agreements.setSections', { contractId: ids.contractId, reports: REPORTS });
    await api(vakt, 'sync.now', {});
    await api(b, 'sync.now', {});
    // Device B has the schedule and reminds its officer as well.
    await expect.poll(async () => (await api(b, 'alerts.list', {})).active.map((a: { kind: string }) => a.kind)).toEqual(['report_due']);

    await page.goto(vakt.url);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Reports' }).click();
    await page.getByTestId('due-SA0009858-monthly').getByRole('button', { name: 'Mark as sent' }).click();
    await expect(page.getByTestId('due-SA0009858-monthly').getByTestId('due-state')).toHaveText('Upcoming');
    await api(vakt, 'sync.now', {});
    await api(b, 'sync.now', {});
    await expect.poll(async () => (await api(b, 'alerts.list', {})).active).toEqual([]);
    const onB = await api(b, 'agreements.contract', { contractId: ids.contractId });
    expect(onB.reportsSent).toMatchObject([{ schedule: 'monthly', to: ['telefoni@nordhavn.example'] }]);
    expect(onB.due).toMatchObject([{ state: 'upcoming' }]);
  } finally {
    await stopVakt(b);
    await server.stop();
    rmSync(dirB, { recursive: true, force: true });
  }
});

test('the contract view edits the report schedule: each problem at its path, nothing stored; then saved, the report is due', async ({ page, vakt }) => {
  await seedAfterHours(vakt);
  await page.goto(vakt.url);
  await page.getByRole('button', { name: 'Contracts' }).click();
  await page.getByRole('button', { name: /SA0009858/ }).click();
  const form = page.getByRole('form', { name: 'Report schedules and warranty' });
  const box = form.getByLabel('Report schedules (reports)');
  await box.fill('{ "schedules": [');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form).toContainText('reports: not valid JSON');
  const bad = { schedules: [{ ...REPORTS.schedules[0], window: { fromDay: 20, toDay: 5 }, to: ['nobody'] }] };
  await box.fill(JSON.stringify(bad));
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form).toContainText('reports.schedules[0].window.toDay: is before fromDay (20)');
  await expect(form).toContainText('reports.schedules[0].to[0]: is not an e-mail address');
  await expect(box).toHaveAttribute('aria-invalid', 'true');
  expect((await api(vakt, 'agreements.dueReports', {})).reports).toEqual([]);
  await box.fill(JSON.stringify({ schedules: [{ ...REPORTS.schedules[0], levels: undefined }] }));
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('status')).toHaveText('Saved.');
  expect((await api(vakt, 'agreements.dueReports', {})).reports).toMatchObject([{ scheduleId: 'monthly', state: 'open' }]);
});

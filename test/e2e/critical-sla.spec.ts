/**
 * Issue 15 item 1, "the critical flag and the SLA agree": on every shipped
 * template, after hours, a call marked "Critical fault" gets the contract's
 * critical policy (its clock), a contract without one says so before the call
 * is registered, and the queue never shows "critical" on a non-critical clock.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './fixtures.js';
import { api, localDates } from './seed.js';

const dir = join(import.meta.dirname, '..', '..', 'contracts', 'templates');
const templates = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

/** The template as a contract file, every calendar with office hours closed today and tomorrow: "now" is after hours. */
function afterHoursFile(template: Record<string, any>) {
  const calendars = structuredClone(template.calendars) as Record<string, any>;
  for (const cal of Object.values(calendars)) {
    if (cal.week === '24x7') continue;
    cal.special = { ...(cal.special ?? {}), ...Object.fromEntries(localDates(cal.timezone).map((d) => [d, []])) };
  }
  const { name: _n, description: _d, ...rest } = template;
  return {
    ...rest,
    calendars,
    customer: { name: 'Havnefronten A/S' },
    agreementNumber: 'SLA-1',
    contacts: [{ name: 'Mette Holm', phone: '+45 72 12 00 00' }],
  };
}

for (const file of templates) {
  test(`critical after hours on template ${file}: the critical flag and the clock agree`, async ({ page, vakt }) => {
    const template = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, any>;
    const imported = await api(vakt, 'desk.importContract', { file: afterHoursFile(template) });
    expect(imported.issues ?? []).toEqual([]);
    const contract = await api(vakt, 'desk.contract', { contractId: imported.contractId });
    const criticalPolicy: string | null = template.criticalPolicy ?? null;
    expect(contract.criticalPolicy).toBe(criticalPolicy);
    const policies = contract.policies as Array<{ id: string; name: string }>;
    // the call type left at another policy than the critical one (the walk's "Normal SLA")
    const other = policies.find((p) => p.id !== criticalPolicy) ?? policies[0]!;

    await page.goto(vakt.url);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'New call' }).click();
    await page.getByLabel("Caller's number or name").fill('+45 72 12 00 00');
    await page.getByRole('button', { name: /Mette Holm/ }).click();
    const callType = page.getByLabel('Call type / priority');
    await callType.selectOption(other.id);
    const critical = page.getByLabel('Critical fault');
    if (criticalPolicy) {
      await critical.check();
      // the call type follows the flag: the critical policy, and the preview is its clock
      await expect(callType).toHaveValue(criticalPolicy);
      await expect(callType).toBeDisabled();
      const name = policies.find((p) => p.id === criticalPolicy)!.name;
      await expect(page.getByText(`A critical fault gets the contract’s critical SLA: ${name}.`)).toBeVisible();
      const preview = await api(vakt, 'desk.preview', { contractId: contract.id, policy: criticalPolicy });
      for (const target of preview.targets as Array<{ metric: string }>) await expect(page.getByTestId(`preview-${target.metric}`)).toBeVisible();
    } else {
      // no critical SLA: the flag cannot be set, and after hours the intake says when the clock starts
      await expect(critical).toBeDisabled();
      await expect(page.getByText('This contract has no critical SLA: every call gets the clock of its call type.')).toBeVisible();
      await expect(page.getByRole('alert').filter({ hasText: 'Outside support hours, and this contract has no critical SLA' })).toBeVisible();
    }
    await page.getByLabel('Short title').fill('Mobile network down');
    await page.getByLabel('Fault description').fill('No calls at the harbour office');
    for (const f of contract.intakeFields as string[]) {
      if (f !== 'fault_description' && f !== 'reporter_name' && f !== 'mobile_number')
        await page
          .getByLabel(/required by the contract/)
          .first()
          .fill('x');
    }
    await page.getByRole('button', { name: 'Register call' }).click();
    await expect(page.getByTestId('case-number')).toBeVisible();

    const [item] = (await api(vakt, 'desk.queue', {})).items as Array<{ policy: string; priority: string; caseNumber: string }>;
    expect(item!.policy).toBe(criticalPolicy ?? other.id);
    expect(item!.priority).toBe(criticalPolicy ? 'critical' : other.id);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Queue' }).click();
    const row = page.getByRole('listitem').filter({ hasText: item!.caseNumber });
    await expect(row).toBeVisible();
    if (criticalPolicy) await expect(row).toContainText(/critical/i);
    else await expect(row).not.toContainText(/critical/i);
  });
}

test('desk.register: a critical fault gets the critical policy; a contract without one refuses the flag, storing nothing', async ({ vakt }) => {
  const load = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, any>;
  const withCritical = await api(vakt, 'desk.importContract', { file: afterHoursFile(load('priority-matrix-dk.json')) });
  const c = await api(vakt, 'desk.contract', { contractId: withCritical.contractId });
  const base = { customerId: c.customerId, channel: 'phone', authorisedBy: 'contact', description: 'Down' };
  const t = (await api(vakt, 'desk.register', { ...base, contractId: c.id, contactId: c.contacts[0].id, policy: 'normal', critical: true })).ticket;
  expect([t.policy, t.priority]).toEqual(['high', 'critical']);

  const file = afterHoursFile(load('onsite-nbd-no.json'));
  file.agreementNumber = 'SLA-2';
  const without = await api(vakt, 'desk.importContract', { file });
  const d = await api(vakt, 'desk.contract', { contractId: without.contractId });
  const res = await fetch(`${vakt.origin}/api/rpc/desk.register`, {
    method: 'POST',
    headers: { authorization: `Bearer ${vakt.secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...base, contractId: d.id, contactId: d.contacts[0].id, policy: 'onsite-nbd', critical: true }),
  });
  const reply = (await res.json()) as { ok: boolean; error: { path: string; message: string } };
  expect(reply.ok).toBe(false);
  expect(reply.error.path).toBe('critical');
  expect(reply.error.message).toContain('has no critical policy');
  expect((await api(vakt, 'desk.queue', {})).items).toHaveLength(1);
});

test('the policy form chooses the policy a critical fault gets; the intake then offers the flag', async ({ page, vakt }) => {
  const file = afterHoursFile(JSON.parse(readFileSync(join(dir, 'onsite-nbd-no.json'), 'utf8')));
  const { contractId } = await api(vakt, 'desk.importContract', { file });
  await page.goto(vakt.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Contracts' }).click();
  await page.getByRole('button', { name: /SLA-1/ }).click();
  await page.getByRole('button', { name: 'Edit calendars and policies' }).click();
  const editor = page.getByRole('region', { name: /Edit calendars and policies of SLA-1/ });
  await editor.getByLabel('A critical fault gets the policy').selectOption('onsite-nbd-1530');
  await editor.getByRole('button', { name: 'Check changes' }).click();
  await editor.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByTestId('edit-impact')).toContainText('Saved.');
  expect((await api(vakt, 'desk.contract', { contractId })).criticalPolicy).toBe('onsite-nbd-1530');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'New call' }).click();
  await page.getByLabel("Caller's number or name").fill('+45 72 12 00 00');
  await page.getByRole('button', { name: /Mette Holm/ }).click();
  await page.getByLabel('Critical fault').check();
  await expect(page.getByLabel('Call type / priority')).toHaveValue('onsite-nbd-1530');
});

/**
 * A change the server refuses is listed in the sync panel with the translated reason and the
 * server's own words, which name the role and change, the limit, or how far the clock is ahead
 * (issue 21), and the person is alerted once, in their language (issue 17). Here: a technician's
 * device adds a contract (the role matrix says no).
 */
import { HEADER_PROTOCOL, HEADER_SCHEMA, PROTOCOL_VERSION, SCHEMA_VERSION } from '../../core/sync/protocol.js';
import { test, expect } from './fixtures.js';
import { api, seedAfterHours } from './seed.js';
import { startSyncServer } from './sync-server.js';

const V = { [HEADER_PROTOCOL]: String(PROTOCOL_VERSION), [HEADER_SCHEMA]: String(SCHEMA_VERSION), 'content-type': 'application/json' };

test("a change the server refuses is listed with the server's own words", async ({ page, vakt }) => {
  const { url, admin, stop } = await startSyncServer();
  try {
    const res = await fetch(`${url}/v1/admin/enrolment-codes`, { method: 'POST', headers: { ...V, authorization: `Bearer ${admin}` }, body: JSON.stringify({ userName: 'Ole', role: 'technician' }) });
    const { code } = (await res.json()) as { code: string };
    await api(vakt, 'sync.enrol', { serverUrl: url, code });
    await seedAfterHours(vakt); // a contract: a technician may not add one
    await api(vakt, 'sync.now', {});

    await page.goto(vakt.url);
    await expect(page.getByRole('status', { name: 'Sync status' })).toContainText(/\d+ changes? refused/);
    // The person is told: which change, on what, and why, until they dismiss it (once per refusal).
    const told = page.getByRole('alert').filter({ hasText: 'was refused' });
    await expect(told).toContainText(/^(Contract|Contact) .+: your change \((Contract|Contact)\) was refused\. Your role may not make this change\./);
    await told.getByRole('button', { name: 'OK' }).click();
    await expect(told).toHaveCount(0);
    await page.reload();
    await expect(page.getByRole('status', { name: 'Sync status' })).toContainText(/\d+ changes? refused/);
    await expect(page.getByRole('alert').filter({ hasText: 'was refused' })).toHaveCount(0);
    await page.getByRole('button', { name: 'Sync…' }).click();
    const panel = page.getByRole('region', { name: 'Sync' });
    await expect(panel.getByText('Your role may not make this change.').first()).toBeVisible();
    await expect(panel.getByText('A technician (technician) may not add or change a contract (record.put@1).').first()).toBeVisible();
  } finally {
    await stop();
  }
});

/**
 * The sync panel against a real `vakt server` on loopback: enrol this device
 * with a one-time code, see the status turn "Up to date".
 */
import { HEADER_PROTOCOL, HEADER_SCHEMA, PROTOCOL_VERSION, SCHEMA_VERSION } from '../../core/sync/protocol.js';
import { test, expect } from './fixtures.js';
import { startSyncServer } from './sync-server.js';

const V = { [HEADER_PROTOCOL]: String(PROTOCOL_VERSION), [HEADER_SCHEMA]: String(SCHEMA_VERSION), 'content-type': 'application/json' };

test('enrol with a one-time code and sync from the panel', async ({ page, vakt }) => {
  const { url, admin, stop } = await startSyncServer();
  try {
    const res = await fetch(`${url}/v1/admin/enrolment-codes`, { method: 'POST', headers: { ...V, authorization: `Bearer ${admin}` }, body: JSON.stringify({ userName: 'Ole' }) });
    const { code } = (await res.json()) as { code: string };

    await page.goto(vakt.url);
    await expect(page.getByRole('status', { name: 'Sync status' })).toHaveText('Not connected to a server');
    await page.getByRole('button', { name: 'Sync…' }).click();
    const panel = page.getByRole('region', { name: 'Sync' });
    await panel.getByLabel('Server address').fill('not a url');
    await panel.getByLabel('Enrolment code').fill(code);
    await panel.getByRole('button', { name: 'Connect' }).click();
    await expect(panel.getByRole('alert')).toContainText('must be an http(s) URL');
    await panel.getByLabel('Server address').fill(url);
    await panel.getByRole('button', { name: 'Connect' }).click();
    await expect(panel.getByText(`Connected to ${url}`)).toBeVisible();
    await panel.getByRole('button', { name: 'Sync now' }).click();
    await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Up to date');
    await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('0 changes waiting');
    await expect(panel.getByText('No conflicts.')).toBeVisible();
  } finally {
    await stop();
  }
});

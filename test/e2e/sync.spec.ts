/**
 * The sync panel against a real `vakt server` on loopback: enrol this device
 * with a one-time code, see the status turn "Up to date"; a refused change is
 * listed with the reason and the server's message.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HEADER_PROTOCOL, HEADER_SCHEMA, PROTOCOL_VERSION, SCHEMA_VERSION } from '../../core/sync/protocol.js';
import { test, expect } from './fixtures.js';
import { api, seedAfterHours } from './seed.js';

const V = { [HEADER_PROTOCOL]: String(PROTOCOL_VERSION), [HEADER_SCHEMA]: String(SCHEMA_VERSION), 'content-type': 'application/json' };

/** A real `vakt server` on loopback for `fn`, with its admin token. */
async function withServer(fn: (url: string, admin: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vakt-e2e-server-'));
  const server = spawn(process.execPath, [join(import.meta.dirname, '..', '..', 'bin', 'vakt'), 'server', '--data-dir', dir, '--port', '0', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const { url, admin } = await new Promise<{ url: string; admin: string }>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`vakt server did not start:\n${out}`)), 40_000);
      server.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)[\s\S]*ADMIN TOKEN: (\S+)\n/.exec(out);
        if (m?.[1] && m[2]) {
          clearTimeout(timer);
          resolve({ url: m[1], admin: m[2] });
        }
      });
    });
    await fn(url, admin);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    if (server.exitCode === null) server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

async function enrolmentCode(url: string, admin: string, role = 'duty_officer'): Promise<string> {
  const res = await fetch(`${url}/v1/admin/enrolment-codes`, { method: 'POST', headers: { ...V, authorization: `Bearer ${admin}` }, body: JSON.stringify({ userName: 'Ole', role }) });
  return ((await res.json()) as { code: string }).code;
}

test('enrol with a one-time code and sync from the panel', async ({ page, vakt }) => {
  await withServer(async (url, admin) => {
    const code = await enrolmentCode(url, admin);

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
    await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('0 change(s) waiting');
    await expect(panel.getByText('No conflicts.')).toBeVisible();
  });
});

test("a change the server refuses is listed with the server's own words (role matrix, issue 21)", async ({ page, vakt }) => {
  await withServer(async (url, admin) => {
    const code = await enrolmentCode(url, admin, 'technician');
    await api(vakt, 'sync.enrol', { serverUrl: url, code });
    await seedAfterHours(vakt); // a contract: a technician may not add one
    await api(vakt, 'sync.now', {});

    await page.goto(vakt.url);
    await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('change(s) refused');
    await page.getByRole('button', { name: 'Sync…' }).click();
    const panel = page.getByRole('region', { name: 'Sync' });
    await expect(panel.getByText('Your role may not make this change.').first()).toBeVisible();
    await expect(panel.getByText('A technician (technician) may not add or change a contract (record.put@1).').first()).toBeVisible();
  });
});

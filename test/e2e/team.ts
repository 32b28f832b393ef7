/**
 * A team for the e2e tests (issue 17): one real `vakt server` and two `vakt
 * serve` devices on fresh data dirs, A enrolled as Kari (duty officer) and B
 * as Ola (technician), each with its own Chromium context (its own page
 * storage, as two machines). `pull(device)` stands in for what the server's
 * pokes will do (slice J): once they are merged, checks should wait for the
 * screen instead, within 2 s, and drop the call.
 */
import type { Browser, Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HEADER_PROTOCOL, HEADER_SCHEMA, PROTOCOL_VERSION, SCHEMA_VERSION } from '../../core/sync/protocol.js';
import { startVakt, stopVakt } from './fixtures.js';
import type { VaktServer } from './fixtures.js';
import { api } from './seed.js';
import { startSyncServer } from './sync-server.js';
import type { SyncServer } from './sync-server.js';

const V = { [HEADER_PROTOCOL]: String(PROTOCOL_VERSION), [HEADER_SCHEMA]: String(SCHEMA_VERSION), 'content-type': 'application/json' };

export interface Device {
  vakt: VaktServer;
  userName: string;
  role: 'duty_officer' | 'technician';
  /** Its page, opened in its own browser context. */
  page: Page;
}

export interface Team {
  server: SyncServer;
  a: Device;
  b: Device;
  /** One full sync of each device, in order: what one device changed reaches the others. */
  settle(): Promise<void>;
  /** One sync of `d` now ("sync now"); TODO(J): replaced by the server's poke. */
  pull(d: Device): Promise<void>;
  stop(): Promise<void>;
}

async function enrolmentCode(server: SyncServer, userName: string, role: string): Promise<string> {
  const res = await fetch(`${server.url}/v1/admin/enrolment-codes`, { method: 'POST', headers: { ...V, authorization: `Bearer ${server.admin}` }, body: JSON.stringify({ userName, role }) });
  if (!res.ok) throw new Error(`enrolment code for ${userName}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { code: string }).code;
}

export async function startTeam(browser: Browser): Promise<Team> {
  const server = await startSyncServer();
  const dirs: string[] = [];
  const devices: Device[] = [];
  const stop = async () => {
    for (const d of devices)
      await d.page
        .context()
        .close()
        .catch(() => undefined);
    for (const d of devices) await stopVakt(d.vakt);
    await server.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const [userName, role] of [
      ['Kari', 'duty_officer'],
      ['Ola', 'technician'],
    ] as const) {
      const dir = mkdtempSync(join(tmpdir(), `vakt-e2e-${userName}-`));
      dirs.push(dir);
      const vakt = await startVakt(dir);
      await api(vakt, 'sync.enrol', { serverUrl: server.url, code: await enrolmentCode(server, userName, role), deviceName: `${userName}'s laptop` });
      const page = await (await browser.newContext()).newPage();
      devices.push({ vakt, userName, role, page });
    }
    const [a, b] = devices as [Device, Device];
    const pull = async (d: Device) => void (await api(d.vakt, 'sync.now', {}));
    return {
      server,
      a,
      b,
      pull,
      stop,
      async settle() {
        for (const d of devices) await pull(d);
        for (const d of devices) await pull(d);
      },
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

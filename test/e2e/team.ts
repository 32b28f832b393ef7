/**
 * A team for the e2e tests (issue 17): one real `vakt server` and two `vakt
 * serve` devices on fresh data dirs, A enrolled as Kari (duty officer) and B
 * as Ola (technician), each with its own Chromium context (its own page
 * storage, as two machines). Each reaches the server through its own link
 * (test/e2e/link.ts), which `offline(device)` cuts and `online(device)` restores.
 * `pull(device)` is "sync now"; the server's pokes make it needless for a
 * device that is online.
 */
import type { Browser, Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HEADER_PROTOCOL, HEADER_SCHEMA, PROTOCOL_VERSION, SCHEMA_VERSION } from '../../core/sync/protocol.js';
import { startVakt, stopVakt } from './fixtures.js';
import type { VaktServer } from './fixtures.js';
import { startLink } from './link.js';
import type { Link } from './link.js';
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
  /** Its network path to the server. */
  link: Link;
}

export interface Team {
  server: SyncServer;
  a: Device;
  b: Device;
  /** One full sync of each device, in order: what one device changed reaches the others. */
  settle(): Promise<void>;
  /** One sync of `d` now ("sync now"). */
  pull(d: Device): Promise<void>;
  /** `d` loses its network path to the server (connections dropped, new ones reset). */
  offline(d: Device): void;
  /** `d`'s path is back; the device finds out by its own retries. */
  online(d: Device): void;
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
  const links: Link[] = [];
  const stop = async () => {
    for (const d of devices)
      await d.page
        .context()
        .close()
        .catch(() => undefined);
    for (const d of devices) await stopVakt(d.vakt);
    for (const l of links) await l.close();
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
      const link = await startLink(server.url);
      links.push(link);
      await api(vakt, 'sync.enrol', { serverUrl: link.url, code: await enrolmentCode(server, userName, role), deviceName: `${userName}'s laptop` });
      const page = await (await browser.newContext()).newPage();
      devices.push({ vakt, userName, role, page, link });
    }
    const [a, b] = devices as [Device, Device];
    const pull = async (d: Device) => void (await api(d.vakt, 'sync.now', {}));
    return {
      server,
      a,
      b,
      pull,
      offline: (d) => d.link.cut(),
      online: (d) => d.link.restore(),
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

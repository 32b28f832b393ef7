/**
 * Two `vakt serve` devices and one `vakt server`, all on loopback, converge
 * after both devices have made offline edits. The real CLIs, built first
 * (`node scripts/build.mjs`); each device is enrolled through its own
 * `/api/rpc/sync.enrol` with the per-launch secret from the URL it prints; the
 * server is stopped while the devices edit and started again on the same port.
 * And `vakt server --trust-proxy`: the enrolment limit per client behind a proxy.
 */
import Database from 'better-sqlite3';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openStore } from '../../db/store.js';
import { sampleContract } from '../db/helpers.js';
import { V } from '../server/helpers.js';
import { freePort, launch, stop, useBuiltCli } from './cli-helpers.js';
import { tempDir } from './helpers.js';

useBuiltCli();

interface ServeDevice {
  dataDir: string;
  child: ChildProcess;
  origin: string;
  secret: string;
  customerId: string;
  contractId: string;
  contactId: string;
}

async function rpc<T = unknown>(d: ServeDevice, method: string, body: unknown = {}): Promise<T> {
  const r = await fetch(`${d.origin}/api/rpc/${method}`, { method: 'POST', headers: { authorization: `Bearer ${d.secret}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const j = (await r.json()) as { ok: boolean; result?: T; error?: { message: string } };
  if (!j.ok) throw new Error(`${method}: ${j.error?.message ?? r.status}`);
  return j.result as T;
}

/** A data dir with a customer and contract (written with the store directly: there is no desk method for customers yet). */
function seedDataDir(): { dataDir: string; customerId: string; contractId: string; contactId: string } {
  const dataDir = tempDir('vakt-cli-sync-');
  const store = openStore({ dataDir, clock: { now: () => Date.now() }, supportCodeLogN: 10 });
  try {
    const customer = store.customers.createCustomer({ name: `Kunde ${dataDir.slice(-4)}` });
    const contract = store.customers.createContract(sampleContract(customer.id, { agreementNumber: `SA${dataDir.slice(-6).replace(/[^A-Za-z0-9]/g, '0')}` }));
    const contactId = (store.db.prepare('SELECT id FROM contract_contacts WHERE contract_id = ?').get(contract.id) as { id: string }).id;
    return { dataDir, customerId: customer.id, contractId: contract.id, contactId };
  } finally {
    store.close();
  }
}

async function serveDevice(seed: ReturnType<typeof seedDataDir>): Promise<ServeDevice> {
  const { child, match } = await launch(['serve', '--data-dir', seed.dataDir], /(http:\/\/127\.0\.0\.1:\d+)\/#k=([A-Za-z0-9_-]+)\n/);
  return { ...seed, child, origin: match[1] as string, secret: match[2] as string };
}

async function register(d: ServeDevice, title: string): Promise<string> {
  const r = await rpc<{ ticket: { id: string } }>(d, 'desk.register', {
    customerId: d.customerId,
    contractId: d.contractId,
    policy: 'normal',
    channel: 'phone',
    authorisedBy: 'contact',
    contactId: d.contactId,
    reporterName: 'Søren Ærø',
    reporterPhone: '+45 72 12 00 00',
    title,
    description: `${title}: details`,
  });
  return r.ticket.id;
}

/** Starts `vakt server`; the first start on an empty data dir also waits for the admin token it prints once. */
async function startServer(dataDir: string, port: number, first: boolean) {
  const ready = first ? /listening on (http:\/\/127\.0\.0\.1:\d+)[\s\S]*ADMIN TOKEN: (\S+)\n/ : /listening on (http:\/\/127\.0\.0\.1:\d+)/;
  return launch(['server', '--data-dir', dataDir, '--port', String(port)], ready, { VAKT_RATE_LIMIT: 'off' });
}

/** sync.now until up to date (a cycle that started while the server was still down may be the one joined). */
async function syncUp(d: ServeDevice): Promise<Record<string, unknown>> {
  let st: Record<string, unknown> = {};
  for (let i = 0; i < 5; i++) {
    st = await rpc<Record<string, unknown>>(d, 'sync.now');
    if (st.state === 'up_to_date') return st;
    await new Promise((r) => setTimeout(r, 300));
  }
  return st;
}

/** The synced part of a device's store, read from its file after the device stopped. */
function synced(dataDir: string) {
  const db = new Database(join(dataDir, 'vakt.db'), { readonly: true });
  try {
    return {
      tickets: db.prepare('SELECT id, case_number, status, priority, assignee, title, description, contract_id FROM tickets ORDER BY id').all(),
      dueAt: Object.fromEntries((db.prepare('SELECT id, next_due_at FROM tickets').all() as { id: string; next_due_at: number | null }[]).map((t) => [t.id, t.next_due_at])),
      contracts: (db.prepare('SELECT id, agreement_number, policy_set FROM contracts ORDER BY id').all() as { policy_set: string }[]).map((c) => ({
        ...c,
        policy_set: JSON.parse(c.policy_set) as unknown,
      })),
      // data is compared parsed: the server keeps it as jsonb, which orders keys its own way
      events: (
        db.prepare('SELECT id, ticket_id, type, at, data FROM ticket_events WHERE id NOT IN (SELECT event_id FROM sync_rejected_events) ORDER BY id').all() as {
          id: string;
          ticket_id: string;
          type: string;
          at: number;
          data: string;
        }[]
      ).map((e) => ({ ...e, data: JSON.parse(e.data) as unknown })),
      pending: (db.prepare(`SELECT count(*) AS n FROM outbox WHERE status = 'pending' AND seq IS NOT NULL`).get() as { n: number }).n,
      rejected: db.prepare(`SELECT name, reason FROM outbox WHERE status = 'rejected'`).all(),
    };
  } finally {
    db.close();
  }
}

it('two `vakt serve` devices and one `vakt server` on loopback converge after both made offline edits', async () => {
  const serverDir = tempDir('vakt-cli-server-');
  const port = await freePort();
  let server = await startServer(serverDir, port, true);
  const serverUrl = server.match[1] as string;
  const adminToken = server.match[2];
  expect(adminToken, server.out()).toBeTruthy();
  const devices: ServeDevice[] = [];
  try {
    const [s1, s2] = [seedDataDir(), seedDataDir()];
    devices.push(await serveDevice(s1), await serveDevice(s2));
    const [d1, d2] = devices as [ServeDevice, ServeDevice];

    // offline before enrolment: each registers a ticket and adds a note
    const a1 = await register(d1, 'Switch down in rack 4');
    await rpc(d1, 'desk.act', { ticketId: a1, action: { type: 'note', text: 'D1: power cycled, no change' } });
    const b1 = await register(d2, 'VPN drops every hour');
    expect(await rpc(d1, 'sync.status')).toMatchObject({ state: 'not_enrolled', enrolled: false });

    // enrol each device with a one-time code from the server's admin API
    for (const [i, d] of devices.entries()) {
      const c = await fetch(`${serverUrl}/v1/admin/enrolment-codes`, {
        method: 'POST',
        headers: { ...V, authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ userName: `officer ${i}`, role: 'duty_officer' }),
      });
      expect(c.status).toBe(201);
      const { code } = (await c.json()) as { code: string };
      const st = await rpc<{ enrolled: boolean; casePrefix: string }>(d, 'sync.enrol', { serverUrl, code, deviceName: `device ${i}` });
      expect(st.enrolled).toBe(true);
    }
    for (const d of [d1, d2, d1]) expect(await syncUp(d)).toMatchObject({ state: 'up_to_date', pending: 0 });

    // the server goes away; both devices keep working offline
    await stop(server.child);
    const offline = await rpc<{ state: string }>(d1, 'sync.now');
    expect(offline.state).toBe('offline');
    await rpc(d1, 'desk.act', { ticketId: b1, action: { type: 'note', text: 'D1: seen from the other desk' } });
    await rpc(d1, 'desk.act', { ticketId: a1, action: { type: 'pause', reason: 'waiting_on_vendor', text: 'RMA opened' } });
    const a2 = await register(d1, 'Printer queue stuck');
    await rpc(d2, 'desk.act', { ticketId: a1, action: { type: 'note', text: 'D2: vendor called back' } });
    await rpc(d2, 'desk.act', { ticketId: b1, action: { type: 'assign', assignee: 'ola' } });
    const b2 = await register(d2, 'Badge reader offline');
    // The technician's laptop (d2) logs an on-site visit while offline.
    for (const step of ['travel', 'arrive', 'work'] as const) await rpc(d2, 'field.step', { ticketId: b1, step, technician: 'ola' });
    await rpc(d2, 'field.step', { ticketId: b1, step: 'depart', km: 42, technician: 'ola' });
    await rpc(d2, 'field.parts', { ticketId: b1, parts: [{ product: 'Badge reader HID R40', serialIn: 'R40-7781', serialOut: 'R40-1120' }] });
    await rpc(d2, 'field.checklist', { ticketId: b1, values: { temperature: 21, dust: 'light', devicesAdded: 'none', devicesRemoved: 'none', notes: 'Rack cleaned' } });
    const png = 'data:image/png;base64,' + Buffer.from('\x89PNG\r\n\x1a\n signature').toString('base64');
    await rpc(d2, 'field.acceptance', { ticketId: b1, name: 'Kari Nordmann', signature: png });
    expect((await rpc<{ pending: number }>(d2, 'sync.status')).pending).toBeGreaterThan(0);

    // the server is back on the same port: sync both, twice around
    server = await startServer(serverDir, port, false);
    for (const d of [d1, d2, d1]) expect(await syncUp(d)).toMatchObject({ state: 'up_to_date', pending: 0, rejected: 0 });
    // The duty officer's device (d1) now shows the technician's visit on the ticket page.
    const seen = await rpc<{ events: Array<{ type: string; data: Record<string, unknown> }> }>(d1, 'desk.ticket', { id: b1 });
    const visit = seen.events.filter((e) => ['visit_step', 'parts', 'checklist', 'acceptance'].includes(e.type));
    expect(visit.map((e) => e.type)).toEqual(['visit_step', 'visit_step', 'visit_step', 'visit_step', 'parts', 'checklist', 'acceptance']);
    expect(visit.find((e) => e.data.step === 'depart')?.data.km).toBe(42);

    for (const d of devices) await stop(d.child);
    const [x, y] = [synced(d1.dataDir), synced(d2.dataDir)];
    expect(x.tickets).toEqual(y.tickets);
    // Each device registered its own contract; both now hold both, and each other's tickets run on them.
    expect(x.contracts).toEqual(y.contracts);
    expect((x.contracts as unknown[]).length).toBe(2);
    for (const id of [a2, b2]) {
      expect((x.tickets as { id: string; contract_id: string | null }[]).find((t) => t.id === id)?.contract_id).toBeTruthy();
      expect(x.dueAt[id]).toBeGreaterThan(0);
      expect(x.dueAt[id]).toBe(y.dueAt[id]);
    }
    expect(x.events).toEqual(y.events);
    expect(x.pending).toBe(0);
    expect(x.rejected).toEqual([]);
    const ids = (x.tickets as { id: string }[]).map((t) => t.id);
    for (const id of [a1, a2, b1, b2]) expect(ids).toContain(id);
    const a1Row = (x.tickets as { id: string; status: string }[]).find((t) => t.id === a1);
    expect(a1Row?.status).toBe('waiting_on_vendor');
    expect((x.tickets as { id: string; assignee: string | null }[]).find((t) => t.id === b1)?.assignee).toBe('ola');
    expect((x.events as { ticket_id: string; type: string }[]).filter((e) => e.ticket_id === a1 && e.type === 'note')).toHaveLength(2);
  } finally {
    for (const d of devices) await stop(d.child);
    await stop(server.child);
  }
}, 300_000);

it('`vakt server --trust-proxy`: behind the proxy, one client failing enrolment does not lock out another', async () => {
  const port = await freePort();
  const server = await launch(
    ['server', '--data-dir', tempDir('vakt-cli-proxy-'), '--port', String(port), '--trust-proxy', '127.0.0.1'],
    /listening on (http:\/\/127\.0\.0\.1:\d+)[\s\S]*ADMIN TOKEN: (\S+)\n/,
  );
  try {
    const [, url, admin] = server.match;
    const enrolFrom = (client: string, code: string) =>
      fetch(`${url}/v1/enrol`, { method: 'POST', headers: { ...V, 'content-type': 'application/json', 'x-forwarded-for': client }, body: JSON.stringify({ code, deviceName: 'laptop' }) });
    const failures: number[] = [];
    for (let i = 0; i < 21; i++) failures.push((await enrolFrom('203.0.113.9', `AAAA-BBBB-CC${String(i).padStart(2, '0')}`)).status);
    expect(failures.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(failures[20]).toBe(429);
    const c = await fetch(`${url}/v1/admin/enrolment-codes`, {
      method: 'POST',
      headers: { ...V, authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ userName: 'Ola' }),
    });
    const { code } = (await c.json()) as { code: string };
    expect((await enrolFrom('198.51.100.7', code)).status).toBe(201);
  } finally {
    await stop(server.child);
  }
}, 300_000);

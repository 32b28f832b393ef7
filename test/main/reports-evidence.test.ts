/**
 * The SLA report's evidence (docs/reports.md "Evidence"): a technician's `responded` recorded
 * offline and received 3 hours later shows, on the duty officer's device, with who, which device,
 * the claimed time, the receipt time and the mark "recorded offline, received 3 h later": in the
 * report's data, on the ticket's timeline and in the PDF (Chromium; needs `node scripts/build.mjs`),
 * whose page is written to docs/screenshots/report-offline-mark.png.
 *
 * Real parts: the duty officer's app services (SQLite, sync service) and a real sync server on a
 * socket; the technician's device is the protocol's reference store over HTTP. One manual clock.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Method, Request, Result } from '../../core/api/contract.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpSyncTransport } from '../../main/sync/http-transport.js';
import { MemorySyncStore } from '../../main/sync/memory-store.js';
import { auth, enrol, makeApp, newTenant, randomSource, sharedPglite, syncOnce } from '../server/helpers.js';
import { dispatchOk, imported, exampleContract, tempDir, testServices } from '../helpers/services.js';
import type { TestServices } from '../helpers/services.js';

const root = join(import.meta.dirname, '..', '..');
const built = existsSync(join(root, 'dist', 'renderer', 'app.js'));
const MIN = 60_000;

let t: TestServices;
let app: FastifyInstance;
const call = <M extends Method>(method: M, req: Request<M>): Promise<Result<M>> => dispatchOk(t.services, method, req);

beforeEach(async () => {
  t = await testServices();
  app = await makeApp(await sharedPglite(), { clock: t.clock });
  await app.listen({ port: 0, host: '127.0.0.1' });
});
afterEach(async () => {
  await t.cleanup();
  await app.close();
});

/** A March ticket answered by a technician who was offline; returns the contract, ticket and times. */
async function lateResponse() {
  t.clock.set(Date.parse('2026-03-16T08:00:00+01:00'));
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const { adminToken } = await newTenant(await sharedPglite());
  const code = await app.inject({ method: 'POST', url: '/v1/admin/enrolment-codes', headers: auth(adminToken), payload: { role: 'duty_officer', userName: 'Mette' } });
  await call('sync.enrol', { serverUrl: `${base}/`, code: code.json().code, deviceName: 'Duty desk' });

  const imp = imported(await call('desk.importContract', { file: exampleContract() }));
  const c = await call('desk.contract', { contractId: imp.contractId });
  t.clock.advance(30 * MIN);
  const createdAt = t.clock.now();
  const { ticket } = await call('desk.register', {
    contractId: imp.contractId,
    customerId: imp.customerId,
    policy: 'normal',
    channel: 'phone',
    authorisedBy: 'contact',
    contactId: c.contacts[0]!.id,
    title: 'Uplink down',
    description: 'x',
    intake: { site_address: 'Kajgade 4' },
  });
  expect((await call('sync.now', {})).state).toBe('up_to_date');
  expect((await call('sync.rejected', {})).items).toEqual([]);

  // The technician's device pulls the ticket, goes offline, responds at 08:40 and is back online at 11:40.
  const e = await enrol(app, adminToken, 'technician', 'Kari phone');
  const tech = {
    store: new MemorySyncStore({ deviceId: e.deviceId, casePrefix: e.casePrefix, clock: t.clock, random: randomSource(Math.random) }),
    transport: new HttpSyncTransport({ baseUrl: base, token: () => e.token }),
  };
  t.clock.advance(5 * MIN);
  await syncOnce(tech);
  t.clock.advance(5 * MIN);
  const respondedAt = t.clock.now();
  const m = tech.store.addEvent(ticket.id, 'responded', { text: 'called back from the site' });
  (m.payload as { event: { author?: string } }).event.author = 'Kari Nordmann';
  t.clock.advance(3 * 60 * MIN);
  const receivedAt = t.clock.now();
  await syncOnce(tech);
  expect(tech.store.outbox.map((x) => [x.status, x.message])).toEqual([['applied', null]]);

  // The duty officer's device pulls it, and resolves the case (online: received at once, not marked).
  t.clock.advance(5 * MIN);
  expect((await call('sync.now', {})).state).toBe('up_to_date');
  const resolvedAt = t.clock.now();
  await call('desk.act', { ticketId: ticket.id, action: { type: 'resolve', text: null }, author: 'Mette Holm' });
  expect((await call('sync.now', {})).state).toBe('up_to_date');
  t.clock.set(Date.parse('2026-04-02T09:00:00+02:00'));
  const officerDevice = (await call('sync.status', {})).deviceId as string;
  return { contractId: imp.contractId as string, ticketId: ticket.id as string, createdAt, respondedAt, receivedAt, resolvedAt, techDevice: e.deviceId, officerDevice };
}

describe('SLA report evidence', () => {
  it('a late-received `responded` is in the report data and on the timeline with who, device, claimed and received time, marked offline', async () => {
    const x = await lateResponse();
    const r = await call('reports.sla', { contractId: x.contractId, month: '2026-03' });
    expect(r.response).toMatchObject({ met: 1, breached: 0 });
    const row = { ticketId: x.ticketId, caseNumber: expect.any(String) };
    expect(r.evidence).toEqual([
      { ...row, type: 'responded', detail: null, at: x.respondedAt, author: 'Kari Nordmann', deviceId: x.techDevice, deviceName: 'Kari phone', receivedAt: x.receivedAt, lateMs: 3 * 60 * MIN },
      { ...row, type: 'status', detail: 'resolved', at: x.resolvedAt, author: 'Mette Holm', deviceId: x.officerDevice, deviceName: 'Duty desk', receivedAt: x.resolvedAt, lateMs: null },
    ]);
    const detail = await call('desk.ticket', { id: x.ticketId });
    const responded = detail.events.find((e) => e.type === 'responded');
    expect(responded?.receipt).toEqual({ deviceId: x.techDevice, deviceName: 'Kari phone', receivedAt: x.receivedAt, lateMs: 3 * 60 * MIN });
    // The created event starts the clocks; it is not evidence of stopping one.
    const created = detail.events.find((e) => e.type === 'created');
    expect(created).toBeDefined();
    expect(created?.receipt).toBeUndefined();
  });

  it.skipIf(!built)(
    'the PDF shows the offline mark (page written to docs/screenshots/report-offline-mark.png)',
    async () => {
      const x = await lateResponse();
      const file = await call('reports.slaPdf', { contractId: x.contractId, month: '2026-03' });
      const tmp = tempDir('vakt-pdf-');
      try {
        const pdf = join(tmp.dir, 'report.pdf');
        writeFileSync(pdf, Buffer.from(file.content, 'base64'));
        // One text per page (form feeds), in reading order, a cell's wrapped lines joined.
        const texts = execFileSync('pdftotext', [pdf, '-'])
          .toString()
          .split('\f')
          .map((p) => p.replace(/\s+/g, ' '));
        const page = texts.findIndex((s) => s.includes('recorded offline, received 3 h later'));
        expect(page, texts.join('\n---\n')).toBeGreaterThanOrEqual(0);
        expect(texts[page]).toContain('Clock events (2)');
        expect(texts[page]).toContain('Kari Nordmann');
        expect(texts[page]).toContain('Kari phone');
        execFileSync('pdftoppm', ['-png', '-r', '80', '-f', String(page + 1), '-l', String(page + 1), '-singlefile', pdf, join(tmp.dir, 'page')]);
        copyFileSync(join(tmp.dir, 'page.png'), join(root, 'docs', 'screenshots', 'report-offline-mark.png'));
      } finally {
        tmp.cleanup();
      }
    },
    60_000,
  );
});

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { HEADER_PROTOCOL, HEADER_SCHEMA, PROTOCOL_VERSION, SCHEMA_VERSION } from '../../core/sync/protocol.js';
import { formatCaseNumber } from '../../core/ids/case-number.js';
import type { Db } from '../../server/db.js';
import { uploadAttachment } from '../../main/sync/attachments.js';
import { V, auth, enrol, injectFetch, makeApp, makeDevice, newTenant, serverSnapshot, sharedPglite, syncOnce } from './helpers.js';

let db: Db;
let app: FastifyInstance;
beforeAll(async () => {
  db = await sharedPglite();
  app = await makeApp(db, { maxAttachmentBytes: 64 * 1024, chunkLimit: 16 * 1024, bodyLimit: 256 * 1024 });
});
afterAll(async () => {
  await app.close();
});

describe('health, metrics, openapi', () => {
  it('serves /health, /metrics and /openapi.json', async () => {
    const h = await app.inject('/health');
    expect(h.json()).toMatchObject({ status: 'ok', database: 'pglite', protocol: PROTOCOL_VERSION });
    const m = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${(await newTenant(db)).adminToken}` } });
    expect(m.body).toContain('vakt_http_requests_total');
    expect(m.body).toContain('vakt_sync_mutations_total{result="applied"}');
    const o = await app.inject('/openapi.json');
    const doc = o.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/sync/push', '/v1/sync/pull', '/v1/enrol', '/v1/admin/devices/{id}/revoke']));
    expect(doc.components.schemas['Mutation_ticket_create_1']).toBeTruthy();
  });
});

describe('versions and limits', () => {
  it('426 update required for a too-old client, 400 without version headers', async () => {
    const { adminToken } = await newTenant(db);
    const r = await app.inject({
      method: 'POST',
      url: '/v1/sync/pull',
      headers: { authorization: `Bearer ${adminToken}`, [HEADER_PROTOCOL]: '0', [HEADER_SCHEMA]: String(SCHEMA_VERSION) },
      payload: {},
    });
    expect(r.statusCode).toBe(426);
    expect(r.json().error).toBe('update_required');
    expect(r.json().message).toMatch(/Update required/);
    const n = await app.inject({ method: 'POST', url: '/v1/sync/pull', headers: { authorization: `Bearer ${adminToken}` }, payload: {} });
    expect(n.statusCode).toBe(400);
  });

  it('413 for a too-large body and a too-large attachment', async () => {
    const { adminToken } = await newTenant(db);
    const big = await app.inject({
      method: 'POST',
      url: '/v1/sync/pull',
      headers: { ...auth(adminToken), 'content-type': 'application/json' },
      payload: JSON.stringify({ cursor: '0', pad: 'x'.repeat(300 * 1024) }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().message).toMatch(/larger than the server accepts/);
    const sha = 'a'.repeat(64);
    const r = await app.inject({
      method: 'PUT',
      url: `/v1/attachments/${sha}`,
      headers: { ...auth(adminToken), 'content-type': 'application/octet-stream', 'content-range': `bytes 0-9/${1024 * 1024}` },
      payload: Buffer.alloc(10),
    });
    expect(r.statusCode).toBe(413);
    expect(r.json().message).toMatch(/up to 65536 bytes/);
  });

  it('429 when a token exceeds the rate limit', async () => {
    const limited = await makeApp(db, { rateLimit: { max: 5, timeWindowMs: 60_000 } });
    const { adminToken } = await newTenant(db);
    const codes: number[] = [];
    for (let i = 0; i < 8; i++) codes.push((await limited.inject({ method: 'POST', url: '/v1/sync/pull', headers: auth(adminToken), payload: {} })).statusCode);
    expect(codes.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(codes.slice(5)).toEqual([429, 429, 429]);
    const r = await limited.inject({ method: 'POST', url: '/v1/sync/pull', headers: auth(adminToken), payload: {} });
    expect(r.json().error).toBe('rate_limited');
    await limited.close();
  });
});

describe('push and merge rules', () => {
  it('case numbers: (tenant, case number) unique -> case_number_taken; provisional prefixes stay valid', async () => {
    const { adminToken } = await newTenant(db);
    const prov = '7H3K9QZ2';
    const a = await enrol(app, adminToken, 'duty_officer', 'a', prov);
    expect(a.casePrefix).toMatch(/^[0-9A-Z]{2}$/);
    const da = await makeDevice(app, adminToken);
    // device `a` issued numbers with its provisional prefix before enrolment
    const { MemorySyncStore } = await import('../../main/sync/memory-store.js');
    const { HttpSyncTransport } = await import('../../main/sync/http-transport.js');
    const { randomSource, systemClock } = await import('./helpers.js');
    const store = new MemorySyncStore({ deviceId: a.deviceId, casePrefix: prov, clock: systemClock, random: randomSource(Math.random) });
    const dev = { store, transport: new HttpSyncTransport({ baseUrl: 'http://vakt.test', token: () => a.token, fetch: injectFetch(app) }) };
    const n1 = formatCaseNumber(prov, 1);
    store.createTicket({ caseNumber: n1 });
    store.createTicket({ caseNumber: n1 });
    await syncOnce(dev);
    expect(store.outbox.map((m) => [m.status, m.reason])).toEqual([
      ['applied', null],
      ['rejected', 'case_number_taken'],
    ]);
    // another device may not use that provisional prefix now
    da.store.createTicket({ caseNumber: formatCaseNumber(prov, 2) });
    await syncOnce(da);
    expect(da.store.outbox[0]?.reason).toBe('case_prefix_not_yours');
  });

  it('priority/assignee: last writer wins by HLC; a stale edit does not reopen a closed ticket', async () => {
    const { adminToken } = await newTenant(db);
    const a = await makeDevice(app, adminToken);
    const b = await makeDevice(app, adminToken);
    const { ticketId } = a.store.createTicket();
    await syncOnce(a);
    await syncOnce(b);
    // B goes offline and sets status waiting + priority P3; A closes the ticket and sets P1 later
    b.store.setStatus(ticketId, 'waiting_on_customer');
    b.store.setPriority(ticketId, 'P3');
    await new Promise((r) => setTimeout(r, 5));
    a.store.setStatus(ticketId, 'closed');
    a.store.setPriority(ticketId, 'P1');
    await syncOnce(a);
    await syncOnce(b);
    await syncOnce(a);
    const t = a.store.tickets.get(ticketId)!;
    expect(t.status).toBe('closed');
    expect(t.priority).toBe('P1');
    expect(b.store.outbox.map((m) => m.reason)).toEqual(['ticket_closed', null]);
    expect(b.store.tickets.get(ticketId)).toEqual(t);
    // B, having seen the close, may reopen deliberately
    b.store.setStatus(ticketId, 'open');
    await syncOnce(b);
    expect(b.store.tickets.get(ticketId)?.status).toBe('open');
  });

  it('concurrent text edits become a conflict, returned on pull and resolvable', async () => {
    const { adminToken } = await newTenant(db);
    const a = await makeDevice(app, adminToken);
    const b = await makeDevice(app, adminToken);
    const { ticketId } = a.store.createTicket({ customerRef: 'CR-1' });
    await syncOnce(a);
    await syncOnce(b);
    a.store.edit(ticketId, 'customerRef', 'CR-A');
    b.store.edit(ticketId, 'customerRef', 'CR-B');
    await syncOnce(a);
    await syncOnce(b);
    expect(b.store.outbox[0]?.status).toBe('applied');
    await syncOnce(a);
    const conflicts = [...a.store.conflicts.values()];
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ field: 'customerRef', status: 'open' });
    expect(conflicts[0]!.candidates.map((c) => c.value).sort()).toEqual(['CR-A', 'CR-B']);
    expect(a.store.tickets.get(ticketId)?.customerRef).toBe('CR-A');
    expect((await a.store.counts()).conflicts).toBe(1);
    a.store.resolveConflict(conflicts[0]!.id, 'CR-B');
    await syncOnce(a);
    await syncOnce(b);
    expect(b.store.tickets.get(ticketId)?.customerRef).toBe('CR-B');
    expect([...b.store.conflicts.values()][0]?.status).toBe('resolved');
    // a sequential edit (based on the current value) is not a conflict
    b.store.edit(ticketId, 'customerRef', 'CR-C');
    await syncOnce(b);
    expect(b.store.tickets.get(ticketId)?.customerRef).toBe('CR-C');
    expect(b.store.conflicts.size).toBe(1);
  });

  it('timeline events merge by union keyed by event id', async () => {
    const { adminToken } = await newTenant(db);
    const a = await makeDevice(app, adminToken);
    const b = await makeDevice(app, adminToken);
    const { ticketId } = a.store.createTicket();
    await syncOnce(a);
    await syncOnce(b);
    a.store.addEvent(ticketId, 'note', { text: 'a' });
    b.store.addEvent(ticketId, 'note', { text: 'b' });
    await syncOnce(a);
    await syncOnce(b);
    await syncOnce(a);
    expect(
      a.store
        .snapshot()
        .events.map((e) => e.data.text ?? 'created')
        .sort(),
    ).toEqual(['a', 'b', 'created']);
    expect(a.store.snapshot()).toEqual(b.store.snapshot());
  });

  it('the server derives SLA state from the events, not from the client', async () => {
    const { adminToken } = await newTenant(db);
    const contract = {
      calendars: { '24x7': { timezone: 'Europe/Oslo', week: '24x7' } },
      policies: { normal: { calendar: '24x7', targets: { response: { within: { minutes: 60 } }, resolution: { within: { hours: 8 } } } } },
    };
    const put = await app.inject({ method: 'PUT', url: '/v1/admin/sla-contract', headers: auth(adminToken), payload: contract });
    expect(put.statusCode, put.body).toBe(200);
    const a = await makeDevice(app, adminToken);
    // Now: an event pushed after a sync may not be older than that sync (server/event-times.ts).
    const createdAt = Date.now();
    const { ticketId } = a.store.createTicket({ policy: 'normal', createdAt });
    await syncOnce(a);
    const t = a.store.tickets.get(ticketId)!;
    expect(t.sla?.policy).toBe('normal');
    const resp = t.sla?.targets.find((x) => x.metric === 'response');
    expect(resp?.dueAt).toBe(createdAt + 60 * 60_000);
    // Answered now: not before the last sync, not ahead of the server's clock (server/event-times.ts, checks.ts).
    const respondedAt = Math.max(Date.now(), createdAt + 1);
    a.store.addEvent(ticketId, 'responded', {}, respondedAt);
    await syncOnce(a);
    const after = a.store.tickets.get(ticketId)!;
    expect(after.sla?.targets.find((x) => x.metric === 'response')?.stoppedAt).toBe(respondedAt);
    expect(after.sla?.targets.find((x) => x.metric === 'resolution')).toMatchObject({ state: 'running', dueAt: createdAt + 8 * 3600_000 });
  });
});

describe('attachments', () => {
  it('uploads resumably with Content-Range and HEAD', async () => {
    const { adminToken } = await newTenant(db);
    const bytes = Buffer.alloc(40_000, 7);
    bytes.write('unique bytes for this test');
    const sha = createHash('sha256').update(bytes).digest('hex');
    // first chunk only, then the connection "drops"
    const p1 = await app.inject({
      method: 'PUT',
      url: `/v1/attachments/${sha}`,
      headers: { ...auth(adminToken), 'content-type': 'application/octet-stream', 'content-range': `bytes 0-9999/${bytes.length}` },
      payload: bytes.subarray(0, 10_000),
    });
    expect(p1.json()).toMatchObject({ received: 10_000, complete: false });
    const h = await app.inject({ method: 'HEAD', url: `/v1/attachments/${sha}`, headers: auth(adminToken) });
    expect(h.headers['upload-offset']).toBe('10000');
    // a chunk at the wrong offset is refused with the right offset
    const wrong = await app.inject({
      method: 'PUT',
      url: `/v1/attachments/${sha}`,
      headers: { ...auth(adminToken), 'content-type': 'application/octet-stream', 'content-range': `bytes 0-99/${bytes.length}` },
      payload: bytes.subarray(0, 100),
    });
    expect(wrong.statusCode).toBe(409);
    expect(wrong.headers['upload-offset']).toBe('10000');
    const up = await uploadAttachment(bytes, { baseUrl: 'http://vakt.test', token: adminToken, fetch: injectFetch(app), chunkBytes: 8_000 });
    expect(up).toEqual({ sha256: sha, resumedFrom: 10_000 });
    const g = await app.inject({ method: 'GET', url: `/v1/attachments/${sha}`, headers: auth(adminToken) });
    expect(Buffer.compare(g.rawPayload, bytes)).toBe(0);
    // wrong content for a hash is discarded
    const bad = await app.inject({ method: 'PUT', url: `/v1/attachments/${'b'.repeat(64)}`, headers: { ...auth(adminToken), 'content-type': 'application/octet-stream' }, payload: Buffer.from('x') });
    expect(bad.statusCode).toBe(422);
  });
});

/**
 * What holds today and must stay held (issue 21): authentication, tenant isolation (pull, push against
 * another tenant's ids, attachments, admin) and revocation that takes effect at once. Moved here from
 * test/server/api.test.ts, with the revocation of a device whose token the server has cached and
 * pushes against another tenant's conflicts and records added. Related, elsewhere: rate limits and
 * enrolment answers (test/security/rate-limits.test.ts), cursor tampering (test/server/cursor.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { formatCaseNumber } from '../../core/ids/case-number.js';
import { uploadAttachment } from '../../main/sync/attachments.js';
import { V, auth, enrol, injectFetch, makeDevice, newTenant, serverSnapshot, syncOnce } from '../server/helpers.js';
import { makeConflict, onBothDatabases } from './server.js';

onBothDatabases('auth and tenancy', (s) => {
  it('401 without a token or with an unknown one', async () => {
    expect((await s.app.inject({ method: 'POST', url: '/v1/sync/pull', headers: V, payload: {} })).statusCode).toBe(401);
    const r = await s.app.inject({ method: 'POST', url: '/v1/sync/pull', headers: auth('vakt_nope'), payload: {} });
    expect(r.statusCode).toBe(401);
    expect(r.json().error).toBe('unauthorized');
  });

  it('403 for a technician or duty officer on admin routes', async () => {
    const { adminToken } = await newTenant(s.db);
    for (const role of ['technician', 'duty_officer'] as const) {
      const d = await enrol(s.app, adminToken, role);
      const r = await s.app.inject({ method: 'POST', url: '/v1/admin/enrolment-codes', headers: auth(d.token), payload: { userName: 'x' } });
      expect(r.statusCode).toBe(403);
      expect(r.json().message).toContain(role);
      expect((await s.app.inject({ method: 'POST', url: `/v1/admin/devices/${d.deviceId}/revoke`, headers: auth(d.token) })).statusCode).toBe(403);
      expect((await s.app.inject({ method: 'POST', url: '/v1/sync/pull', headers: auth(d.token), payload: {} })).statusCode).toBe(200);
    }
  });

  it('enrolment codes are single-use and enrolment hands out distinct prefixes', async () => {
    const { adminToken } = await newTenant(s.db);
    const c = await s.app.inject({ method: 'POST', url: '/v1/admin/enrolment-codes', headers: auth(adminToken), payload: { userName: 'Ola', role: 'technician' } });
    expect(c.statusCode).toBe(201);
    const code = c.json().code as string;
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const first = await s.app.inject({ method: 'POST', url: '/v1/enrol', headers: V, payload: { code: code.toLowerCase(), deviceName: 'laptop' } });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ role: 'technician' });
    const again = await s.app.inject({ method: 'POST', url: '/v1/enrol', headers: V, payload: { code, deviceName: 'laptop 2' } });
    expect(again.statusCode).toBe(401);
    expect(again.json().error).toBe('invalid_code');
    const other = await enrol(s.app, adminToken);
    expect(other.casePrefix).not.toBe(first.json().casePrefix);
    const bad = await s.app.inject({ method: 'POST', url: '/v1/enrol', headers: V, payload: { code: 'AAAA-BBBB-CCCC', deviceName: 'x' } });
    expect(bad.statusCode).toBe(401);
  });

  it('a revoked token gets 401 token_revoked', async () => {
    const { adminToken } = await newTenant(s.db);
    const d = await enrol(s.app, adminToken);
    const r = await s.app.inject({ method: 'POST', url: `/v1/admin/devices/${d.deviceId}/revoke`, headers: auth(adminToken) });
    expect(r.statusCode).toBe(200);
    const p = await s.app.inject({ method: 'POST', url: '/v1/sync/pull', headers: auth(d.token), payload: {} });
    expect(p.statusCode).toBe(401);
    expect(p.json().error).toBe('token_revoked');
  });

  it('no cross-tenant reads or writes', async () => {
    const a = await newTenant(s.db);
    const b = await newTenant(s.db);
    const da = await makeDevice(s.app, a.adminToken);
    const db_ = await makeDevice(s.app, b.adminToken);
    const { ticketId } = da.store.createTicket({ description: 'tenant A secret' });
    await syncOnce(da);
    // B cannot see A's ticket
    await syncOnce(db_);
    expect(db_.store.tickets.size).toBe(0);
    // B cannot write to A's ticket (it does not exist in B's tenant)
    db_.store.setPriority(ticketId, 'P1');
    db_.store.addEvent(ticketId, 'note', { text: 'sneaky' });
    await syncOnce(db_);
    expect(db_.store.outbox.map((m) => m.reason)).toEqual(['unknown_ticket', 'unknown_ticket']);
    // B's admin cannot revoke or list A's devices
    expect((await s.app.inject({ method: 'POST', url: `/v1/admin/devices/${da.enrolled.deviceId}/revoke`, headers: auth(b.adminToken) })).statusCode).toBe(404);
    const list = await s.app.inject({ method: 'GET', url: '/v1/admin/devices', headers: auth(b.adminToken) });
    expect(list.json().devices.map((d: { id: string }) => d.id)).not.toContain(da.enrolled.deviceId);
    // prefixes are per tenant: B cannot use an enrolled prefix it was not given
    db_.store.createTicket({ caseNumber: formatCaseNumber('ZZ', 99) });
    await syncOnce(db_);
    expect(db_.store.outbox[2]?.reason).toBe('case_prefix_not_yours');
    // A's ticket is untouched
    const snap = await serverSnapshot(s.app, a.adminToken);
    expect(snap.tickets[0]).toMatchObject({ id: ticketId, priority: null });
    expect(snap.events).toHaveLength(1);
    // attachments are per tenant
    const bytes = Buffer.from('tenant A file');
    const up = await uploadAttachment(bytes, { baseUrl: 'http://vakt.test', token: da.enrolled.token, fetch: injectFetch(s.app) });
    expect((await s.app.inject({ method: 'GET', url: `/v1/attachments/${up.sha256}`, headers: auth(da.enrolled.token) })).statusCode).toBe(200);
    expect((await s.app.inject({ method: 'GET', url: `/v1/attachments/${up.sha256}`, headers: auth(db_.enrolled.token) })).statusCode).toBe(404);
  });

  it('revocation takes effect at once, also for a device the server has just seen (its token cached)', async () => {
    const { adminToken } = await newTenant(s.db);
    const d = await makeDevice(s.app, adminToken);
    d.store.createTicket();
    await syncOnce(d); // the token is now in the server's principal cache
    const r = await s.app.inject({ method: 'POST', url: `/v1/admin/devices/${d.enrolled.deviceId}/revoke`, headers: auth(adminToken) });
    expect(r.statusCode).toBe(200);
    d.store.createTicket();
    const push = await s.app.inject({ method: 'POST', url: '/v1/sync/push', headers: auth(d.enrolled.token), payload: { mutations: await d.store.pendingMutations(10) } });
    expect(push.statusCode).toBe(401);
    expect(push.json().error).toBe('token_revoked');
    expect((await serverSnapshot(s.app, adminToken)).tickets).toHaveLength(1);
  });

  it("pushes against another tenant's conflicts and records change nothing there", async () => {
    const a = await newTenant(s.db);
    const b = await newTenant(s.db);
    const da = await makeDevice(s.app, a.adminToken);
    const da2 = await makeDevice(s.app, a.adminToken);
    const dB = await makeDevice(s.app, b.adminToken);
    const createdAt = Date.now();
    da.store.putRecord('customer', 'cust-a', { name: 'Tenant A customer', createdAt });
    const { ticketId } = da.store.createTicket({ title: 'A' });
    const conflictId = await makeConflict(da, da2, ticketId, 'title', ['A1', 'A2']);
    dB.store.resolveConflict(conflictId, 'B wins');
    dB.store.putRecord('site', 'site-b', { customerId: 'cust-a', name: "on A's customer", createdAt });
    dB.store.putRecord('customer', 'cust-a', { name: 'B reuses the id', createdAt });
    await syncOnce(dB);
    expect(dB.store.outbox.map((m) => [m.status, m.reason])).toEqual([
      ['rejected', 'unknown_conflict'],
      ['rejected', 'unknown_record'],
      ['applied', null],
    ]);
    const snapA = await serverSnapshot(s.app, a.adminToken);
    expect(snapA.records.map((r) => [r.id, r.data.name])).toEqual([['cust-a', 'Tenant A customer']]);
    expect(snapA.conflicts[0]).toMatchObject({ status: 'open', resolution: null });
    expect((await serverSnapshot(s.app, b.adminToken)).records.map((r) => [r.id, r.data.name])).toEqual([['cust-a', 'B reuses the id']]);
  });
});

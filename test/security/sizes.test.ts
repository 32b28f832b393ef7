/**
 * Issue 21 finding 3: no size limits on what a device stores for everyone. Every limit is in
 * core/sync/limits.ts (docs/sync.md "Limits"); oversize is refused `too_large` naming the field and the
 * limit, by the server and, first, by the app's own store (the same schemas), and a pull page stays
 * under its byte bound.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../core/sync/limits.js';
import { SIGNATURE_MAX_CHARS } from '../../core/api/field.js';
import { ticketAction } from '../../core/api/desk.js';
import { auth, makeDevice, newTenant, serverSnapshot, syncOnce } from '../server/helpers.js';
import { onBothDatabases } from './server.js';
import { cleanupTempDirs, sqliteDevice } from '../sync/helpers.js';
import { systemClock } from '../server/helpers.js';

const MB = 1024 * 1024;
const POLICY_SET = {
  calendars: { '24x7': { timezone: 'Europe/Oslo', week: '24x7' } },
  policies: { normal: { calendar: '24x7', targets: { response: { within: { minutes: 60 } } } } },
};

onBothDatabases('sizes on the server', (s) => {
  it('a 3.5 MB note and a 1 MB policy name are refused too_large, naming the field and the limit; nothing of them is stored', async () => {
    const { adminToken } = await newTenant(s.db);
    const d = await makeDevice(s.app, adminToken);
    const { ticketId } = d.store.createTicket();
    await syncOnce(d);
    const createdAt = Date.now();
    // (one push each: together they would pass the 4 MiB body limit)
    d.store.addEvent(ticketId, 'note', { text: 'x'.repeat(3.5 * MB) });
    await syncOnce(d);
    d.store.addEvent(ticketId, 'policy_changed', { policy: 'p'.repeat(MB) });
    d.store.putRecord('customer', 'cust-1', { name: 'Acme', createdAt });
    await syncOnce(d);
    d.store.putRecord('contract', 'con-1', { customerId: 'cust-1', agreementNumber: 'SA-1', policySet: { ...POLICY_SET, policies: { ['p'.repeat(MB)]: POLICY_SET.policies.normal } }, createdAt });
    await syncOnce(d);
    d.store.putRecord('contract', 'con-2', { customerId: 'cust-1', agreementNumber: 'SA-2', policySet: { ...POLICY_SET, policies: { ['p'.repeat(150)]: POLICY_SET.policies.normal } }, createdAt });
    d.store.addEvent(ticketId, 'checklist', Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`answer${i}`, 'y'.repeat(LIMITS.longText)])));
    d.store.addEvent(ticketId, 'acceptance', { name: 'Kari', signature: `data:image/png;base64,${'A'.repeat(SIGNATURE_MAX_CHARS - 30)}` });
    d.store.addEvent(ticketId, 'note', { text: 'n'.repeat(LIMITS.longText) });
    await syncOnce(d);
    const answers = d.store.outbox.slice(1).map((m) => [m.status, m.reason, m.message]);
    expect(answers).toEqual([
      ['rejected', 'too_large', `event.data.text: is ${3.5 * MB} characters; at most ${LIMITS.longText} (docs/sync.md, Limits)`],
      ['rejected', 'too_large', `event.data.policy: a policy name is at most ${LIMITS.policyName} characters (docs/sync.md, Limits)`],
      ['applied', null, null],
      ['rejected', 'too_large', `data.policySet.policies.${'p'.repeat(40)}…: the key "${'p'.repeat(40)}…" is ${MB} characters; at most ${LIMITS.policyName} (docs/sync.md, Limits)`],
      ['rejected', 'too_large', `data.policySet.policies.${'p'.repeat(40)}…: the key "${'p'.repeat(40)}…" is 150 characters; at most ${LIMITS.policyName} (docs/sync.md, Limits)`],
      ['rejected', 'too_large', expect.stringMatching(new RegExp(`^event\\.data: is \\d+ characters as JSON; at most ${LIMITS.eventDataChars}`))],
      ['applied', null, null],
      ['applied', null, null],
    ]);
    const snap = await serverSnapshot(s.app, adminToken);
    expect(snap.events.map((e) => e.type).sort()).toEqual(['acceptance', 'created', 'note']);
    expect(snap.records.map((r) => r.id)).toEqual(['cust-1']);
  });

  it('a push of more mutations than the limit is refused with the limit named', async () => {
    const { adminToken } = await newTenant(s.db);
    const d = await makeDevice(s.app, adminToken);
    for (let i = 0; i <= LIMITS.pushMutations; i++) d.store.createTicket();
    const r = await s.app.inject({ method: 'POST', url: '/v1/sync/push', headers: auth(d.enrolled.token), payload: { mutations: await d.store.pendingMutations(LIMITS.pushMutations + 1) } });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ error: 'invalid_request', message: expect.stringMatching(new RegExp(`^mutations: .*${LIMITS.pushMutations}`)) });
  });

  it('a pull page stays under its byte bound: 6 MB of notes come in several pages, all of them', async () => {
    const { adminToken } = await newTenant(s.db);
    const d = await makeDevice(s.app, adminToken);
    const { ticketId } = d.store.createTicket();
    for (let i = 0; i < 300; i++) d.store.addEvent(ticketId, 'note', { text: `${i} ${'ø'.repeat(LIMITS.longText / 2)}` });
    await syncOnce(d);
    expect(d.store.outbox.every((m) => m.status === 'applied')).toBe(true);
    let cursor = '0';
    const sizes: number[] = [];
    let notes = 0;
    for (;;) {
      const r = await s.app.inject({ method: 'POST', url: '/v1/sync/pull', headers: auth(d.enrolled.token), payload: { cursor, limit: LIMITS.pullChanges } });
      expect(r.statusCode).toBe(200);
      sizes.push(Buffer.byteLength(r.body));
      const page = r.json() as { changes: { kind: string; event?: { type: string } }[]; cursor: string; more: boolean };
      notes += page.changes.filter((c) => c.event?.type === 'note').length;
      cursor = page.cursor;
      if (!page.more) break;
    }
    expect(notes).toBe(300);
    expect(sizes.length).toBeGreaterThan(1);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(LIMITS.pullPageBytes);
  });
});

describe("sizes in the app's own store (the same schemas)", () => {
  afterAll(() => cleanupTempDirs());

  it('a 3.5 MB note and a 1 MB policy name are refused before anything is stored, naming the field', async () => {
    const d = sqliteDevice({ clock: systemClock, machineId: 'sizes' });
    try {
      const ticketId = d.createTicket('Lift stuck');
      const outbox = () => (d.store.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
      const before = outbox();
      // the store takes typed input (the request's schema bounds it: below); the change it would send is checked like the server checks it
      expect(() => d.store.tickets.appendEvent(ticketId, { type: 'note', data: { text: 'x'.repeat(3.5 * MB) } })).toThrow(/event\.data\.text: is \d+ characters; at most 20000/);
      expect(() => d.store.tickets.appendEvent(ticketId, { type: 'policy_changed', data: { policy: 'p'.repeat(MB) } })).toThrow(/event\.data\.policy: .*at most 100 characters/);
      const customer = d.store.customers.createCustomer({ name: 'Acme' });
      const n = outbox();
      expect(() =>
        d.store.customers.createContract({
          customerId: customer.id,
          agreementNumber: 'SA-9',
          policySet: { ...POLICY_SET, policies: { ['p'.repeat(MB)]: POLICY_SET.policies.normal } },
          defaultPolicy: null,
        } as never),
      ).toThrow();
      expect(outbox()).toBe(n);
      expect(before).toBe(n - 1);
      expect(d.store.tickets.events(ticketId).map((e) => e.type)).toEqual(['created']);
      // The desk's request schema has the same bound.
      expect(ticketAction.safeParse({ type: 'note', text: 'x'.repeat(LIMITS.longText + 1) }).success).toBe(false);
    } finally {
      d.close();
    }
  });
});

/**
 * What holds today and must stay held (issue 21): a mutation is applied at most once, whatever a device
 * (or a replay of its traffic) sends again. Moved here from test/server/api.test.ts, with the sequence
 * checks added. Replies lost after commit and SIGKILLed servers: test/server/crash.test.ts, model.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { auth, makeDevice, newTenant, serverSnapshot, syncOnce } from '../server/helpers.js';
import { onBothDatabases } from './server.js';

onBothDatabases('idempotent mutation ids and sequence checks', (s) => {
  it('a resent push yields duplicates (with the first outcome), never double application', async () => {
    const { adminToken } = await newTenant(s.db);
    const d = await makeDevice(s.app, adminToken);
    const { ticketId } = d.store.createTicket();
    d.store.addEvent(ticketId, 'note', { text: 'hello' });
    d.store.createTicket({ caseNumber: 'ZZZZ-ZZZZ-0001-0' }); // invalid check char -> rejected
    const batch = await d.store.pendingMutations(10);
    const first = await d.transport.push(batch);
    expect(first.results.map((r) => r.status)).toEqual(['applied', 'applied', 'rejected']);
    const second = await d.transport.push(batch);
    expect(second.results.map((r) => [r.status, r.outcome])).toEqual([
      ['duplicate', 'applied'],
      ['duplicate', 'applied'],
      ['duplicate', 'rejected'],
    ]);
    expect(second.results[2]?.reason).toBe('invalid_payload');
    await d.store.markResults(second.results);
    expect(d.store.outbox.map((m) => m.status)).toEqual(['applied', 'applied', 'rejected']);
    const snap = await serverSnapshot(s.app, adminToken);
    expect(snap.tickets).toHaveLength(1);
    expect(snap.events).toHaveLength(2);
  });

  it('a push that starts after a gap applies nothing; the client resends from its oldest pending', async () => {
    const { adminToken } = await newTenant(s.db);
    const d = await makeDevice(s.app, adminToken);
    const { ticketId } = d.store.createTicket();
    d.store.addEvent(ticketId, 'note');
    const [, second] = await d.store.pendingMutations(10);
    const r = await d.transport.push([second!]);
    expect(r.results).toEqual([]);
    expect(r.lastSeq).toBe(0);
    await syncOnce(d);
    expect(d.store.outbox.every((m) => m.status === 'applied')).toBe(true);
  });

  it('a seq already used for another change, and a change id used under another seq, are refused sequence_reused', async () => {
    const { adminToken } = await newTenant(s.db);
    const d = await makeDevice(s.app, adminToken);
    const { ticketId } = d.store.createTicket();
    await syncOnce(d);
    const [first] = d.store.outbox;
    // Another change under seq 1 (a device restored from a backup), and the first change's id under seq 2.
    const other = { ...first!, id: '0190a000-0000-7000-8000-0000000000aa', payload: { ...(first!.payload as object), ticketId: '0190a000-0000-7000-8000-0000000000ab' } };
    const again = { ...first!, seq: 2 };
    const push = async (m: object) => (await s.app.inject({ method: 'POST', url: '/v1/sync/push', headers: auth(d.enrolled.token), payload: { mutations: [m] } })).json();
    const wire = ({ id, seq, name, version, hlc, payload }: typeof first & object) => ({ id, seq, name, version, hlc, payload });
    expect((await push(wire(other))).results).toEqual([expect.objectContaining({ status: 'rejected', reason: 'sequence_reused' })]);
    expect((await push(wire(again))).results).toEqual([expect.objectContaining({ status: 'rejected', reason: 'sequence_reused' })]);
    const snap = await serverSnapshot(s.app, adminToken);
    expect(snap.tickets.map((t) => t.id)).toEqual([ticketId]);
  });
});

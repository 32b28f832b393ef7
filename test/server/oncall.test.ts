/**
 * On call on the sync server (issue 18 items 3, 4): a rota record is checked
 * like the device checks it (refused with the field named, nothing stored),
 * and alert.ack@1 is stored per (alert, user) and pulled by every device as an
 * `ack` change carrying the server's receipt time.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Change, SyncAlertAck } from '../../core/sync/mutations.js';
import { V, makeApp, makeDevice, newTenant, sharedPglite, syncOnce } from './helpers.js';
import type { TestDevice } from './helpers.js';
import type { Rota } from '../../core/oncall/rota.js';
import { nocMembers, nocRota } from '../helpers/rota.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await makeApp(await sharedPglite());
});
afterAll(async () => {
  await app.close();
});

// Mette and Ola (the lead), user ids u-…, no contract; Ola takes Mette's Saturday night; as a record.
const rota = (week: Rota['week']) => ({
  ...nocRota({ members: nocMembers('u-').slice(0, 2), lead: 'u-ola', contractIds: [], week, overrides: [{ date: '2026-03-28', start: '22:00', end: '06:00', person: 'u-ola', note: 'for Mette' }] }),
  createdAt: Date.now(),
});

async function pullAll(d: TestDevice): Promise<Change[]> {
  const out: Change[] = [];
  for (let cursor = '0'; ;) {
    const page = await d.transport.pull(cursor, 1000);
    out.push(...page.changes);
    cursor = page.cursor;
    if (!page.more) return out;
  }
}

describe('on call on the server', () => {
  it('refuses a rota with overlapping shifts (field named, nothing stored) and serves a valid one to every device', async () => {
    const { adminToken } = await newTenant(await sharedPglite());
    const a = await makeDevice(app, adminToken);
    const b = await makeDevice(app, adminToken);
    a.store.putRecord(
      'rota',
      'rota-bad',
      rota([
        { day: 'sun', start: '22:00', end: '09:00', person: 'u-mette' },
        { day: 'mon', start: '08:00', end: '16:00', person: 'u-ola' },
      ]),
    );
    a.store.putRecord('rota', 'rota-noc', rota([{ day: 'sat', start: '22:00', end: '06:00', person: 'u-mette', backup: 'u-ola' }]));
    const r = await a.transport.push(await a.store.pendingMutations(10));
    expect(r.results.map((x) => [x.status, x.reason])).toEqual([
      ['rejected', 'invalid_payload'],
      ['applied', undefined],
    ]);
    expect(r.results[0]?.message).toBe('data.week.1: overlaps week.0 (sun 22:00-09:00): use an override for a one-off change');
    const records = (await pullAll(b)).flatMap((c) => (c.kind === 'record' ? [c.record] : []));
    expect(records.map((x) => [x.kind, x.id])).toEqual([['rota', 'rota-noc']]);
    expect(records[0]?.data).toMatchObject({ name: 'NOC', overrides: [{ note: 'for Mette' }] });
  });

  it('stores an ack per alert and user with its first receipt time; every device pulls it; an unknown ticket or a snooze without an end is refused', async () => {
    const { adminToken } = await newTenant(await sharedPglite());
    const a = await makeDevice(app, adminToken);
    const b = await makeDevice(app, adminToken);
    const { ticketId } = a.store.createTicket({ policy: 'normal' });
    await syncOnce(a);
    const alertKey = `${ticketId}|response|breach|1775030400000`;
    const at = Date.now();
    a.store.ackAlert({ alertKey, ticketId, action: 'ack', at });
    a.store.ackAlert({ alertKey, ticketId: '01900000-0000-7000-8000-000000000000', action: 'ack', at });
    a.store.ackAlert({ alertKey, ticketId, action: 'snooze', at });
    const r = await a.transport.push(await a.store.pendingMutations(10));
    expect(r.results.map((x) => [x.status, x.reason])).toEqual([
      ['applied', undefined],
      ['rejected', 'unknown_ticket'],
      ['rejected', 'invalid_payload'],
    ]);
    expect(r.results[2]?.message).toMatch(/until: a snooze needs its end/);
    const acks = async () => (await pullAll(b)).flatMap((c) => (c.kind === 'ack' ? [c.ack] : []));
    const [ack] = await acks();
    expect(ack).toMatchObject({ alertKey, ticketId, action: 'ack', until: null, at } satisfies Partial<SyncAlertAck>);
    const me = await app.inject({ method: 'GET', url: '/v1/me', headers: { ...V, authorization: `Bearer ${a.enrolled.token}` } });
    expect(ack?.userId).toBe((me.json() as { userId: string }).userId);
    // The same user acknowledging again keeps the first receipt: that is when the ack counted.
    a.store.ackAlert({ alertKey, ticketId, action: 'ack', at: at + 1000 });
    await syncOnce(a);
    const again = await acks();
    expect(again).toHaveLength(1);
    expect(again[0]?.receivedAt).toBe(ack?.receivedAt);
    expect(again[0]?.at).toBe(at + 1000);
  });
});

/**
 * LocalSyncStore contract: the same tests against the in-memory reference
 * store and the SQLite store (db/sync-store.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { compareHlcStrings } from '../../core/sync/hlc.js';
import { MUTATIONS, isKnownMutation, mutationKey } from '../../core/sync/mutations.js';
import type { Change, SyncEvent } from '../../core/sync/mutations.js';
import { createUuid7 } from '../../core/ids/uuid7.js';
import { randomSource, prng } from '../server/helpers.js';
import type { Device } from './helpers.js';
import { cleanupTempDirs, memoryDevice, remoteTicket, sqliteDevice } from './helpers.js';

const T0 = Date.UTC(2026, 3, 1, 8);

const makers: Record<string, (clock: ManualClock) => Device> = {
  memory: (clock) => memoryDevice({ deviceId: 'dev-a', clock, rand: prng(1) }),
  sqlite: (clock) => sqliteDevice({ clock }),
};

const remoteId = createUuid7(new ManualClock(T0 - 3_600_000), randomSource(prng(99)));
function remoteEvent(ticketId: string, id: string, type: SyncEvent['type'], version: number, data: Record<string, unknown> = {}): SyncEvent {
  return { id, ticketId, type, at: T0 - 3_000_000, author: null, data, deviceId: 'dev-r', hlc: `${T0 - 3_000_000}-0001-dev-r`, version };
}

afterEach(cleanupTempDirs);

describe.each(Object.keys(makers))('LocalSyncStore contract: %s', (kind) => {
  const open = () => {
    const clock = new ManualClock(T0);
    const d = (makers[kind] as (c: ManualClock) => Device)(clock);
    return { clock, d };
  };

  it('starts empty: cursor "0", no pending, zero counts', async () => {
    const { d } = open();
    expect(await d.sync.cursor()).toBe('0');
    expect(await d.sync.pendingMutations(10)).toEqual([]);
    expect(await d.sync.counts()).toEqual({ pending: 0, rejected: 0, conflicts: 0 });
    d.close();
  });

  it('lists local changes as server mutations: gapless seq from 1, in order, payloads the server accepts', async () => {
    const { d, clock } = open();
    const t = d.createTicket('Printer on fire');
    clock.advance(1000);
    d.note(t, 'called the customer');
    d.setPriority(t, 'P1');
    d.setStatus(t, 'waiting_on_customer');
    d.assign(t, 'kari');
    d.edit(t, 'title', 'Printer on fire (3rd floor)');
    const all = await d.sync.pendingMutations(100);
    expect(all.map((m) => m.seq)).toEqual(all.map((_, i) => i + 1));
    expect(all[0]?.name).toBe('ticket.create');
    const names = new Set(all.map((m) => m.name));
    for (const n of ['ticket.create', 'ticket.event', 'ticket.setPriority', 'ticket.assign', 'ticket.edit']) expect(names).toContain(n);
    for (const m of all) {
      const key = mutationKey(m.name, m.version);
      expect(isKnownMutation(key), key).toBe(true);
      const parsed = MUTATIONS[key as keyof typeof MUTATIONS].safeParse(m.payload);
      expect(parsed.success, `${key}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
    for (let i = 1; i < all.length; i++) expect(compareHlcStrings(all[i]?.hlc as string, all[i - 1]?.hlc as string)).toBeGreaterThan(0);
    expect(await d.sync.pendingMutations(2)).toEqual(all.slice(0, 2));
    expect((await d.sync.counts()).pending).toBe(all.length);
    d.close();
  });

  it('records answers: applied leaves, rejected is kept with its reason, duplicates take the first outcome, unknown ids are ignored', async () => {
    const { d } = open();
    const t = d.createTicket('A');
    d.note(t, 'n1');
    d.note(t, 'n2');
    d.note(t, 'n3');
    const [m1, m2, m3, m4] = await d.sync.pendingMutations(10);
    if (!m1 || !m2 || !m3 || !m4) throw new Error('expected 4 mutations');
    await d.sync.markResults([
      { id: m1.id, seq: m1.seq, status: 'applied' },
      { id: m2.id, seq: m2.seq, status: 'rejected', reason: 'ticket_closed', message: 'closed' },
      { id: m3.id, seq: m3.seq, status: 'duplicate', outcome: 'rejected', reason: 'forbidden' },
      { id: 'not-a-mutation', seq: 99, status: 'applied' },
    ]);
    expect((await d.sync.pendingMutations(10)).map((m) => m.id)).toEqual([m4.id]);
    expect(await d.sync.counts()).toEqual({ pending: 1, rejected: 2, conflicts: 0 });
    // a late second answer for an answered mutation changes nothing
    await d.sync.markResults([
      { id: m2.id, seq: m2.seq, status: 'applied' },
      { id: m4.id, seq: m4.seq, status: 'duplicate', outcome: 'applied' },
    ]);
    expect(await d.sync.counts()).toEqual({ pending: 0, rejected: 2, conflicts: 0 });
    d.close();
  });

  it('applies pulled pages: rows replace copies, events are a union by id, the cursor is stored, open conflicts are counted', async () => {
    const { d } = open();
    const id = remoteId();
    const created = remoteEvent(id, remoteId(), 'created', 1, { policy: null });
    const note = remoteEvent(id, remoteId(), 'note', 2, { text: 'on site at 10' });
    // the ticket's older events can arrive before its row (pull order is by version), even in an earlier page
    await d.sync.applyPulled({ changes: [{ kind: 'event', event: created }], cursor: '1.1.x', hlc: null });
    await d.sync.applyPulled({
      changes: [
        { kind: 'ticket', ticket: remoteTicket(id, { version: 2 }) },
        { kind: 'event', event: note },
      ],
      cursor: '2',
      hlc: null,
    });
    expect(await d.sync.cursor()).toBe('2');
    expect(d.eventIds(id)).toEqual([created.id, note.id].sort());
    expect(d.ticket(id)).toMatchObject({ status: 'open', priority: 'P2', title: 'Lift stuck' });
    const conflict: Change = {
      kind: 'conflict',
      conflict: {
        id: remoteId(),
        ticketId: id,
        field: 'title',
        candidates: [
          { value: 'Lift stuck', hlc: `${T0}-0000-a`, deviceId: 'a' },
          { value: 'Lift 2 stuck', hlc: `${T0}-0000-b`, deviceId: 'b' },
        ],
        status: 'open',
        resolution: null,
        version: 3,
      },
    };
    await d.sync.applyPulled({
      changes: [
        { kind: 'ticket', ticket: remoteTicket(id, { version: 3, status: 'closed', priority: 'P1', fieldHlc: { status: `${T0}-0000-dev-r`, priority: `${T0}-0000-dev-r` } }) },
        { kind: 'event', event: note },
        conflict,
      ],
      cursor: '3',
      hlc: null,
    });
    expect(d.eventIds(id)).toHaveLength(2);
    expect(d.ticket(id)).toMatchObject({ status: 'closed', priority: 'P1' });
    expect(await d.sync.counts()).toEqual({ pending: 0, rejected: 0, conflicts: 1 });
    expect(await d.sync.cursor()).toBe('3');
    d.close();
  });

  it("absorbs the server's HLC: the next local change orders after it", async () => {
    const { d } = open();
    const remote = `${T0 + 3_600_000}-0007-other`;
    await d.sync.applyPulled({ changes: [], cursor: '5', hlc: remote });
    d.createTicket('after');
    const [m] = await d.sync.pendingMutations(1);
    expect(compareHlcStrings(m?.hlc as string, remote)).toBeGreaterThan(0);
    d.close();
  });

  it('shows a pulled later priority over its own pending earlier one, as the server will keep it (core/sync/replay.ts effectOn)', async () => {
    const { d, clock } = open();
    const id = remoteId();
    await d.sync.applyPulled({ changes: [{ kind: 'ticket', ticket: remoteTicket(id) }], cursor: '1', hlc: null });
    d.setPriority(id, 'P3'); // pending, stamped T0
    clock.advance(1000);
    d.assign(id, 'ola'); // pending, and no later one elsewhere: it shows
    const later = `${T0 + 60_000}-0000-dev-r`;
    await d.sync.applyPulled({ changes: [{ kind: 'ticket', ticket: remoteTicket(id, { version: 2, priority: 'P1', fieldHlc: { status: later, priority: later } }) }], cursor: '2', hlc: null });
    expect(d.ticket(id)).toMatchObject({ priority: 'P1', assignee: 'ola' });
    d.close();
  });
});

describe('SQLite LocalSyncStore specifics', () => {
  it('applies a page all or nothing: a bad row leaves the cursor and every other row as they were', async () => {
    const clock = new ManualClock(T0);
    const d = sqliteDevice({ clock });
    const id = remoteId();
    const bad = { ...remoteEvent(id, remoteId(), 'note', 1, { text: 'x' }), type: 'bogus' } as unknown as SyncEvent;
    await expect(
      d.sync.applyPulled({
        changes: [
          { kind: 'ticket', ticket: remoteTicket(id) },
          { kind: 'event', event: bad },
        ],
        cursor: '9',
        hlc: null,
      }),
    ).rejects.toThrow();
    expect(await d.sync.cursor()).toBe('0');
    expect(d.ticket(id)).toBeNull();
    d.close();
  });

  it('keeps a local pending edit on top of a pulled row, and drops it when the server refuses it', async () => {
    const clock = new ManualClock(T0);
    const d = sqliteDevice({ clock });
    const id = remoteId();
    await d.sync.applyPulled({ changes: [{ kind: 'ticket', ticket: remoteTicket(id, { status: 'closed' }) }], cursor: '1', hlc: null });
    d.setStatus(id, 'open');
    await d.sync.applyPulled({ changes: [{ kind: 'ticket', ticket: remoteTicket(id, { status: 'closed', title: 'Lift stuck again', version: 2 }) }], cursor: '2', hlc: null });
    expect(d.ticket(id)).toMatchObject({ status: 'open', title: 'Lift stuck again' });
    const [m] = await d.sync.pendingMutations(5);
    expect(m?.payload).toMatchObject({ ticketId: id, baseVersion: 1 });
    await d.sync.markResults([{ id: m?.id as string, seq: m?.seq as number, status: 'rejected', reason: 'ticket_closed' }]);
    expect(d.ticket(id)).toMatchObject({ status: 'closed' });
    expect(d.store.sync.rejected()).toMatchObject([{ reason: 'ticket_closed', ticketId: id, name: 'ticket.event' }]);
    d.close();
  });

  it('pushes reference data as whole records (record.put@1), numbered with the ticket mutations', () => {
    const clock = new ManualClock(T0);
    const d = sqliteDevice({ clock });
    const c = d.store.customers.createCustomer({ name: 'Another AS', orgNumber: '998 877 665' });
    d.createTicket('x');
    const pending = d.store.sync.pendingMutations(10);
    expect(pending.map((m) => [m.seq, `${m.name}@${m.version}`])).toEqual([
      [1, 'record.put@1'],
      [2, 'ticket.create@2'],
    ]);
    expect(pending[0]?.payload).toEqual({ kind: 'customer', id: c.id, deleted: false, data: { name: 'Another AS', orgNumber: '998 877 665', notes: null, createdAt: T0 } });
    for (const m of pending) expect(MUTATIONS[mutationKey(m.name, m.version) as keyof typeof MUTATIONS].safeParse(m.payload).success).toBe(true);
    d.close();
  });

  it('records the enrolment and moves new case numbers to the server prefix', () => {
    const clock = new ManualClock(T0);
    const d = sqliteDevice({ clock });
    const before = d.store.tickets.get(d.createTicket('before'))?.caseNumber;
    expect(d.store.sync.enrolment()).toBeNull();
    const e = d.store.sync.enrol({ serverUrl: 'http://127.0.0.1:9', tenantId: 't1', deviceId: 'srv-dev', role: 'duty_officer', casePrefix: 'K7' });
    expect(e).toMatchObject({ deviceId: 'srv-dev', casePrefix: 'K7', enrolledAt: T0 });
    expect(d.store.sync.enrolment()).toEqual(e);
    const after = d.store.tickets.get(d.createTicket('after'))?.caseNumber;
    expect(after?.startsWith('K7-')).toBe(true);
    expect(before?.startsWith('K7-')).toBe(false);
    d.close();
  });
});

/**
 * Pulled events go into the store BATCH at a time in multi-row statements (db/sync/event-batch.ts):
 * the union by event id, search texts, receipts, orphans and derived fields must come out as when
 * each change is applied on its own. A store that already holds rows (its own tickets and events,
 * an earlier page) gets pages of more than a batch with events it has, an id twice in one page
 * across a batch boundary, events of a ticket not here yet, escalations and callbacks; in a bulk
 * load (the first sync: db/sync/bulk.ts) and page by page. Each ends equal to a store that got the
 * same changes one per page, and the first copy of a duplicated id holds.
 */
import { afterEach, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { createUuid7 } from '../../core/ids/uuid7.js';
import type { Change, SyncEvent, SyncTicket } from '../../core/sync/mutations.js';
import { BATCH } from '../../db/sync/event-batch.js';
import { randomSource, prng } from '../server/helpers.js';
import type { SqliteDevice } from './helpers.js';
import { PULL_T0 as T0, cleanupTempDirs, remoteTicket, sqliteDevice } from './helpers.js';

afterEach(() => cleanupTempDirs());

const ticket = (id: string, n: number, over: Partial<SyncTicket> = {}): SyncTicket =>
  remoteTicket(id, { caseNumber: `Q9-${String(n).padStart(4, '0')}-S`, title: `Lift ${n} stuck`, fieldHlc: { status: `${T0 - 3_600_000}-0000-dev-r` }, ...over });

const event = (ticketId: string, id: string, type: SyncEvent['type'], i: number, data: Record<string, unknown>, over: Partial<SyncEvent> = {}): SyncEvent => ({
  id,
  ticketId,
  type,
  at: T0 - 3_000_000 + i * 1000,
  author: null,
  data,
  deviceId: 'dev-r',
  hlc: `${T0 - 3_000_000 + i * 1000}-0001-dev-r`,
  version: 2,
  ...over,
});

/**
 * The changes after a device's own ticket `own` (with its events `ownEvents`): page 1 holds three
 * tickets with notes and events of a ticket still to come; page 2, more than two batches, holds
 * those again, the late ticket, the device's own events with receipts, an id three times (copies in
 * the same batch and in another), escalations out of order, a callback and an event whose ticket never comes.
 */
function scenario(own: { id: string; caseNumber: string; events: string[] }): Change[][] {
  const newId = createUuid7(new ManualClock(T0 - 3_600_000), randomSource(prng(7)));
  const ids = [newId(), newId(), newId()];
  const late = newId();
  const never = newId();
  const tickets: Change[] = ids.map((id, n) => ({ kind: 'ticket', ticket: ticket(id, n + 1) }));
  const first: Change[] = [];
  for (const [n, id] of ids.entries()) for (let i = 0; i < 40; i++) first.push({ kind: 'event', event: event(id, newId(), i ? 'note' : 'created', i, { text: `splice ${n}.${i} at Containervej` }) });
  const early = Array.from({ length: 3 }, (_, i) => event(late, newId(), 'note', i, { text: `waiting for ${i}` }));
  const page1: Change[] = [...tickets, ...first, ...early.map((e): Change => ({ kind: 'event', event: e }))];

  const twice = newId();
  const page2: Change[] = [
    { kind: 'ticket', ticket: ticket(late, 4) },
    { kind: 'ticket', ticket: ticket(own.id, 9, { caseNumber: own.caseNumber, title: 'Own ticket, as the server has it', version: 3 }) },
    ...first.slice(0, 70), // already here
  ];
  for (let i = 0; i < BATCH + 40; i++) {
    const id = ids[i % 3]!;
    if (page2.length === BATCH - 1) {
      page2.push({ kind: 'event', event: event(id, twice, 'note', 500, { text: 'the first copy' }) });
      page2.push({ kind: 'event', event: event(id, twice, 'note', 502, { text: 'a copy in the same batch' }) });
    }
    page2.push({ kind: 'event', event: event(id, newId(), 'note', 100 + i, { text: `new note ${i}` }) });
  }
  page2.push({ kind: 'event', event: event(ids[1]!, twice, 'note', 501, { text: 'the second copy' }) });
  page2.push({ kind: 'event', event: event(ids[0]!, newId(), 'escalation', 900, { level: 2 }) });
  page2.push({ kind: 'event', event: event(ids[0]!, newId(), 'escalation', 800, { level: 1 }) });
  page2.push({ kind: 'event', event: event(ids[2]!, newId(), 'callback', 901, { text: 'call back at 14', nextCallbackAt: T0 + 3_600_000 }) });
  for (const [i, e] of own.events.entries()) page2.push({ kind: 'event', event: event(own.id, e, 'note', 950 + i, { text: 'mine' }, { receivedAt: T0 - 1000, deviceName: 'this one' }) });
  page2.push({ kind: 'event', event: event(never, newId(), 'note', 990, { text: 'orphan' }) });
  page2.push(...early.map((e): Change => ({ kind: 'event', event: e })));
  return [page1, page2];
}

/** A device with a ticket and two notes of its own, pending (its store is not empty when it first pulls). */
function deviceWithRows(clock: ManualClock): { d: SqliteDevice; own: { id: string; caseNumber: string; events: string[] } } {
  const d = sqliteDevice({ clock, machineId: 'pull-batch' });
  const id = d.createTicket('own ticket');
  d.note(id, 'first own note');
  d.note(id, 'second own note');
  const caseNumber = d.store.tickets.get(id)!.caseNumber;
  return { d, own: { id, caseNumber, events: d.store.tickets.events(id).map((e) => e.id) } };
}

function contents(d: SqliteDevice) {
  const all = (sql: string) => d.store.db.prepare(sql).all();
  return {
    tickets: all('SELECT * FROM tickets ORDER BY id'),
    events: all('SELECT * FROM ticket_events ORDER BY id'),
    shadows: all('SELECT * FROM sync_tickets ORDER BY id'),
    receipts: all('SELECT * FROM sync_event_receipts ORDER BY event_id'),
    orphans: all('SELECT * FROM sync_orphan_events ORDER BY id'),
    search: all('SELECT ticket_id, source, body FROM search_fts ORDER BY ticket_id, source, body'),
    replan: all('SELECT * FROM sync_replan ORDER BY ticket_id'),
    schema: all(`SELECT type, name, sql FROM sqlite_schema ORDER BY name`),
  };
}

for (const bulk of [true, false]) {
  it(`pages of more than a batch into a store holding rows (${bulk ? 'bulk load' : 'page by page'}) end as the same changes one per page: union by id, first copy, search, receipts, orphans, derived fields`, async () => {
    const clock = new ManualClock(T0);
    const a = deviceWithRows(clock);
    const b = deviceWithRows(clock);
    const [page1, page2] = scenario(a.own);
    const [again1, again2] = scenario({ ...b.own });
    expect(page2!.length).toBeGreaterThan(2 * BATCH);

    // a: every change on its own page (one row per statement)
    let n = 0;
    for (const c of [...page1!, ...page2!]) a.d.store.sync.applyPulled({ changes: [c], cursor: String(++n), hlc: null });
    // b: the two pages, the first starting a bulk load when `bulk`
    const r1 = b.d.store.sync.applyPulled({ changes: again1!, cursor: '1', hlc: null, ...(bulk ? { more: true } : {}) });
    const r2 = b.d.store.sync.applyPulled({ changes: again2!, cursor: '2', hlc: null, ...(bulk ? { more: false } : {}) });
    expect([r1.bulk, r2.bulk]).toEqual(bulk ? ['loading', 'loaded'] : [undefined, undefined]);

    // The two devices' own rows differ in ids (ticket, events, case number, device, customer): compare the rest.
    const own = (x: typeof a) => [x.own.id, ...x.own.events, x.own.caseNumber, x.d.customerId, (x.d.store.db.prepare('SELECT device_id FROM device_state').get() as { device_id: string }).device_id];
    const neutral = (x: typeof a) => {
      const c = contents(x.d);
      let text = JSON.stringify({ ...c, replan: c.replan.length });
      own(x).forEach((v, i) => (text = text.replaceAll(v, `OWN-${i}`)));
      return JSON.parse(text) as unknown;
    };
    expect(neutral(b)).toEqual(neutral(a));

    // What that is: the first copy of the id sent twice; one search row per note; the latest escalation and callback; the orphan waits.
    const db = b.d.store.db;
    const twice = (again2!.find((c) => c.kind === 'event' && c.event.data.text === 'the first copy') as { event: SyncEvent }).event;
    expect(db.prepare('SELECT data FROM ticket_events WHERE id = ?').get(twice.id)).toEqual({ data: '{"text":"the first copy"}' });
    expect(db.prepare(`SELECT count(*) AS n FROM search_fts WHERE source = ?`).get(twice.id)).toEqual({ n: 1 });
    const notes = db.prepare(`SELECT count(*) AS n FROM ticket_events WHERE type IN ('note', 'callback')`).get() as { n: number };
    expect(db.prepare(`SELECT count(*) AS n FROM search_fts WHERE source <> 'ticket'`).get()).toEqual(notes);
    const t0 = (again1![0] as { ticket: SyncTicket }).ticket.id;
    const t2 = (again1![2] as { ticket: SyncTicket }).ticket.id;
    expect(db.prepare('SELECT escalation_level AS l FROM tickets WHERE id = ?').get(t0)).toEqual({ l: 2 });
    expect(db.prepare('SELECT next_callback_at AS c FROM tickets WHERE id = ?').get(t2)).toEqual({ c: T0 + 3_600_000 });
    expect((db.prepare('SELECT count(*) AS n FROM sync_orphan_events').get() as { n: number }).n).toBe(1);
    expect((db.prepare('SELECT count(*) AS n FROM sync_event_receipts').get() as { n: number }).n).toBe(b.own.events.length);
    // Page by page, the page names the tickets it changed: its own (the receipts) and those with new events.
    if (!bulk) expect(new Set(r2.ticketIds)).toEqual(new Set([b.own.id, t0, (again1![1] as { ticket: SyncTicket }).ticket.id, t2, (again2![0] as { ticket: SyncTicket }).ticket.id]));
    a.d.close();
    b.d.close();
  });
}

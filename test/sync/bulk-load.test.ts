/**
 * The first sync of an empty store is a bulk load (db/sync/bulk.ts, docs/sync.md "Initial sync"):
 * indexes built once at its end, the SLA schedule computed once at its end (main/sync/replan.ts).
 * Against a real server (PGlite, Fastify) with real SQLite devices: the bulk-loaded store equals one
 * synced page by page, and a kill -9 in the middle of the load leaves a store that gets its indexes
 * back at open and resumes from its cursor to the same end.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import type { Store } from '../../db/store.js';
import { BULK_LOAD_KEY } from '../../db/sync/bulk.js';
import { SyncService } from '../../main/sync/service.js';
import { PulledReplan } from '../../main/sync/replan.js';
import type { PulledReplanDeps } from '../../main/sync/replan.js';
import { FileTokenStore } from '../../main/sync/token-store.js';
import type { TimerScheduler } from '../../main/sync/worker.js';
import { TicketSla } from '../../main/tickets/sla.js';
import { CompiledContracts } from '../../main/tickets/compiled.js';
import { POLICY_SET, sampleContract } from '../db/helpers.js';
import { injectFetch } from '../server/helpers.js';
import { bundleChild, ready, runAndKill } from '../helpers/kill9.js';
import { Fleet, sync } from './fleet.js';
import { sqliteDevice, tempDir } from './helpers.js';

const fleet = new Fleet();
let url: string;
let bundle: string;
beforeAll(async () => {
  await fleet.start();
  await fleet.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = fleet.app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  url = `http://127.0.0.1:${addr.port}`;
  bundle = await bundleChild(new URL('./fixtures/bulk-child.ts', import.meta.url), tempDir('vakt-bulk-kill9-bin-'));
});
afterAll(async () => {
  await fleet.clear();
  await fleet.stop();
});

const noTimers: TimerScheduler = { setTimeout: () => 0, clearTimeout: () => {} };

/** A contract and 24 tickets under it (notes, a resolved one, a waiting one) registered on a device and pushed. */
async function seedServer(): Promise<void> {
  const a = await fleet.enrolled();
  const s = a.d.store;
  const customer = s.customers.createCustomer({ name: 'Nordhavn Logistik A/S' });
  const contract = s.customers.createContract(sampleContract(customer.id, { policySet: POLICY_SET, agreementNumber: `SA${Math.floor(Math.random() * 1e7)}` }));
  for (let i = 0; i < 24; i++) {
    const t = s.tickets.register({
      customerId: customer.id,
      contractId: contract.id,
      channel: 'phone',
      policy: i % 3 ? 'normal' : 'high',
      title: `Uplink ${i} flapping`,
      reporterName: 'Søren Ærø',
      intake: { fault_description: 'no link', mobile_number: '+45 72 12 00 00' },
    });
    s.tickets.appendEvent(t.id, { type: 'note', data: { text: `fibre splice ${i} at Containervej` } });
    if (i % 7 === 3) s.tickets.appendEvent(t.id, { type: 'status', data: { status: 'resolved' } });
    if (i % 5 === 1) s.tickets.appendEvent(t.id, { type: 'status', data: { status: 'waiting_on_customer' } });
  }
  await sync(a);
}

/** A fresh device's store synced through SyncService: `bulk` gives it onBulkLoaded (the app's wiring), else pages are re-planned one by one. */
async function freshDevice(clock: ManualClock, bulk: boolean) {
  const d = sqliteDevice({ clock, machineId: `bulk-${bulk}` });
  const sla = new TicketSla({
    store: d.store as unknown as PulledReplanDeps['store'] & ConstructorParameters<typeof TicketSla>[0]['store'],
    clock,
    compiled: new CompiledContracts(),
    timezone: () => 'Europe/Copenhagen',
  });
  const replan = new PulledReplan({ store: d.store as unknown as PulledReplanDeps['store'], sla, clock, changed: async () => {}, recheck: async () => {} });
  const results: string[] = [];
  // The store's own sync repository, its answers recorded.
  const repo = Object.create(d.store.sync) as Store['sync'];
  repo.applyPulled = (p) => {
    const r = d.store.sync.applyPulled(p);
    results.push(r.bulk ?? 'page');
    return r;
  };
  const service = new SyncService({
    repo,
    activePrefix: () => d.store.caseNumbers.active(),
    tokens: new FileTokenStore(join(d.dataDir, 'sync-token')),
    clock,
    onTicketsChanged: (ids) => replan.tickets(ids),
    ...(bulk ? { onBulkLoaded: () => replan.left() } : {}),
    onStatus: () => {},
    fetch: injectFetch(fleet.app),
    timers: noTimers,
    worker: { pullLimit: 7 },
  });
  await service.enrol('http://vakt.test/', await fleet.code(), `bulk ${bulk}`);
  const s = await service.syncNow();
  expect(s.state, s.message ?? '').toBe('up_to_date');
  await service.dispose();
  return { d, results };
}

/** What a device holds, for comparison: rows, search index, SLA summaries, schema. */
function contents(db: Store['db']) {
  const all = (sql: string) => db.prepare(sql).all();
  return {
    tickets: all('SELECT * FROM tickets ORDER BY id'),
    events: all('SELECT * FROM ticket_events ORDER BY id'),
    shadows: all('SELECT * FROM sync_tickets ORDER BY id'),
    search: all('SELECT ticket_id, source, body FROM search_fts ORDER BY ticket_id, source'),
    found: ['uplink', 'fibre', 'containervej', 'soren'].map((w) => all(`SELECT ticket_id, source FROM search_fts WHERE search_fts MATCH '${w}' ORDER BY ticket_id, source`)),
    summaries: all('SELECT id, next_due_at, sla_summary, wake_planned FROM tickets ORDER BY id'),
    schema: all(`SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name`),
    replan: all('SELECT * FROM sync_replan'),
    bulk: all(`SELECT * FROM meta WHERE key = '${BULK_LOAD_KEY}'`),
    cursor: all('SELECT pull_cursor FROM sync_state'),
  };
}

it('the first sync of an empty store loads in bulk and ends equal to one synced page by page: rows, search, SLA summaries, indexes', async () => {
  await seedServer();
  const clock = new ManualClock(Date.now());
  const paged = await freshDevice(clock, false);
  const bulk = await freshDevice(clock, true);
  try {
    expect(paged.results.every((r) => r === 'page')).toBe(true);
    // Every page but the last was part of the load; the last built the indexes and ended it.
    expect(bulk.results.length).toBeGreaterThan(5);
    expect(bulk.results.slice(0, -1).every((r) => r === 'loading')).toBe(true);
    expect(bulk.results.at(-1)).toBe('loaded');

    const want = contents(paged.d.store.db);
    const got = contents(bulk.d.store.db);
    expect((want.tickets as unknown[]).length).toBeGreaterThanOrEqual(24);
    expect(got).toEqual(want);
    // The schedule was computed: open tickets have their deadline and SLA summary.
    const open = (got.summaries as { next_due_at: number | null; sla_summary: string | null }[]).filter((r) => r.sla_summary !== null);
    expect(open.length).toBeGreaterThan(15);
    expect(got.replan).toEqual([]);
    expect(got.bulk).toEqual([]);
  } finally {
    paged.d.close();
    bulk.d.close();
  }
}, 120_000);

/** The device's indexes and the bulk-load record, read without opening the store (no recovery). */
function raw(dataDir: string): { indexes: string[]; record: unknown } {
  const db = new Database(join(dataDir, 'vakt.db'), { readonly: true });
  try {
    const indexes = (db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
    return { indexes, record: db.prepare('SELECT value FROM meta WHERE key = ?').get(BULK_LOAD_KEY) };
  } finally {
    db.close();
  }
}

it('a kill -9 in the middle of a bulk load: the indexes come back at open, the sync resumes from the cursor and ends as a store synced page by page', async () => {
  await seedServer();
  const clock = new ManualClock(Date.now());
  const paged = await freshDevice(clock, false);
  const want = contents(paged.d.store.db);
  paged.d.close();

  // The device under test, enrolled, its token in the data dir, never synced.
  const dev = sqliteDevice({ clock, machineId: 'bulk-kill9-machine' });
  const service = new SyncService({
    repo: dev.store.sync,
    activePrefix: () => dev.store.caseNumbers.active(),
    tokens: new FileTokenStore(join(dev.dataDir, 'sync-token')),
    clock,
    onTicketsChanged: () => {},
    onStatus: () => {},
    fetch: injectFetch(fleet.app),
    timers: noTimers,
  });
  await service.enrol(url, await fleet.code(), 'bulk kill9');
  await service.dispose();
  const fresh = raw(dev.dataDir).indexes;
  dev.close();

  // Killed once three pages of the load have committed.
  const pages = (out: string) => out.split('\n').filter((l) => l === 'PAGE loading').length;
  const killed = await runAndKill([bundle, dev.dataDir, url], { when: (out) => ready(out) && pages(out) >= 3, afterMs: 0, guardMs: 30_000 });
  expect(killed.code, killed.err).toBe(null);
  expect(killed.out).not.toContain('LOADED');
  const mid = raw(dev.dataDir);
  expect(mid.record).toBeDefined();
  expect(mid.indexes).not.toContain('ticket_events_ticket');
  expect(mid.indexes).not.toContain('tickets_queue');

  // Opened again: the indexes are back before anything reads; the record is gone.
  const reopened = sqliteDevice({ clock, dataDir: dev.dataDir, machineId: 'bulk-kill9-machine' });
  expect(reopened.store.db.prepare('SELECT value FROM meta WHERE key = ?').get(BULK_LOAD_KEY)).toBeUndefined();
  expect(raw(dev.dataDir).indexes).toEqual(fresh);
  expect(reopened.store.sync.cursor()).not.toBe('0');
  reopened.close();

  // The sync resumes from the cursor (page by page now: the store is no longer empty) to the same end.
  const rest = await runAndKill([bundle, dev.dataDir, url], { guardMs: 30_000 });
  expect(rest.out, rest.err).toContain('DONE');
  expect(rest.out).not.toContain('PAGE loading');
  const d = sqliteDevice({ clock, dataDir: dev.dataDir, machineId: 'bulk-kill9-machine' });
  try {
    expect(d.store.quickCheck()).toEqual(['ok']);
    const got = contents(d.store.db);
    // The rows and the search index equal the paged device's; the schedule waits for the app's start (sync_replan).
    for (const k of ['shadows', 'search', 'found', 'schema', 'bulk', 'cursor'] as const) expect(got[k], k).toEqual(want[k]);
    expect((got.replan as unknown[]).length).toBe((want.tickets as unknown[]).length);
    // The child ran on the wall clock: when each row was written differs, not what it holds.
    const cols = (rows: unknown[]) => (rows as Record<string, unknown>[]).map(({ updated_at: _u, recorded_at: _r, next_due_at: _n, sla_summary: _s, ...rest }) => rest);
    expect(cols(got.events)).toEqual(cols(want.events));
    expect(cols(got.tickets)).toEqual(cols(want.tickets));
  } finally {
    d.close();
  }
}, 120_000);

/**
 * Model-based sync test (after Joplin's setupDatabaseAndSynchronizer(n) /
 * switchClient(n)): N in-process devices with in-memory stores make random
 * offline edits and push/pull on random schedules through a faulty transport
 * (drops, duplicates, delays/reorders requests, loses replies after the server
 * committed). After healing, every device and the server must hold the same
 * state, every acknowledged change must be on the server exactly once, and
 * case numbers must be unique.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ManualClock } from '../../core/clock.js';
import { CONFLICT_FIELDS, TICKET_STATUSES } from '../../core/sync/mutations.js';
import type { ConflictField, TicketStatus } from '../../core/sync/mutations.js';
import { compareHlcStrings } from '../../core/sync/hlc.js';
import type { Db } from '../../server/db.js';
import { HttpSyncTransport } from '../../main/sync/http-transport.js';
import type { FetchLike } from '../../main/sync/http-transport.js';
import { MemorySyncStore } from '../../main/sync/memory-store.js';
import { enrol, injectFetch, newTenant, prng, randomSource, serverSnapshot, syncOnce } from './helpers.js';

export type Op =
  | { k: 'create'; d: number }
  | { k: 'note'; d: number; t: number }
  | { k: 'status'; d: number; t: number; s: number }
  | { k: 'priority'; d: number; t: number; v: number }
  | { k: 'assign'; d: number; t: number; v: number }
  | { k: 'edit'; d: number; t: number; f: number; v: number }
  | { k: 'resolve'; d: number; c: number; v: number }
  | { k: 'record'; d: number; kind: 'customer' | 'site'; r: number; v: number }
  | { k: 'sync'; d: number }
  | { k: 'deliver' }
  | { k: 'tick'; ms: number };

export function opArb(devices: number): fc.Arbitrary<Op> {
  const d = fc.integer({ min: 0, max: devices - 1 });
  const t = fc.nat(50);
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ k: fc.constant('create' as const), d }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant('note' as const), d, t }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant('status' as const), d, t, s: fc.nat(TICKET_STATUSES.length - 1) }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant('priority' as const), d, t, v: fc.nat(3) }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('assign' as const), d, t, v: fc.nat(3) }) },
    { weight: 3, arbitrary: fc.record({ k: fc.constant('edit' as const), d, t, f: fc.nat(1), v: fc.nat(4) }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('resolve' as const), d, c: fc.nat(20), v: fc.nat(4) }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant('record' as const), d, kind: fc.constantFrom('customer' as const, 'site' as const), r: fc.nat(2), v: fc.nat(4) }) },
    { weight: 5, arbitrary: fc.record({ k: fc.constant('sync' as const), d }) },
    { weight: 1, arbitrary: fc.constant({ k: 'deliver' as const }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 120_000 }) }) },
  );
}

/** A transport that misbehaves. Faults can be switched off to heal. */
export class FaultyNet {
  faults = true;
  readonly held: (() => Promise<unknown>)[] = [];
  readonly inflight = new Set<Promise<unknown>>();
  readonly stats = { ok: 0, drop: 0, lostReply: 0, duplicate: 0, delayed: 0 };
  constructor(private readonly inner: FetchLike, private readonly rand: () => number) {}

  fetch: FetchLike = async (url, init) => {
    if (!this.faults) return this.inner(url, init);
    const r = this.rand();
    if (r < 0.55) {
      this.stats.ok++;
      return this.inner(url, init);
    }
    if (r < 0.65) {
      this.stats.drop++;
      throw new Error('network: request dropped');
    }
    if (r < 0.77) {
      this.stats.lostReply++;
      await this.inner(url, init);
      throw new Error('network: reply lost (the server committed)');
    }
    if (r < 0.88) {
      this.stats.duplicate++;
      await this.inner(url, init);
      return this.inner(url, init);
    }
    this.stats.delayed++;
    this.held.push(() => this.inner(url, init));
    throw new Error('network: timeout (request still in flight)');
  };

  /** Delivers held requests in random order, concurrently with whatever runs next. */
  deliver(): void {
    while (this.held.length) {
      const i = Math.floor(this.rand() * this.held.length);
      const [f] = this.held.splice(i, 1);
      const p = f!().catch(() => undefined);
      this.inflight.add(p);
      void p.finally(() => this.inflight.delete(p));
    }
  }

  async drain(): Promise<void> {
    this.deliver();
    while (this.inflight.size) await Promise.all([...this.inflight]);
  }
}

/**
 * The one clock of the devices and the server (give it to the app): the server checks event times
 * against its own clock (server/event-times.ts), so they must agree as real ones do. It only moves on.
 */
const pickOf = <T>(xs: T[], n: number): T | undefined => (xs.length ? xs[n % xs.length] : undefined);

/** One device as the model drives it: an in-memory store here, a real SQLite store in test/sync/model.test.ts. */
export interface ModelActor {
  ticketIds(): string[];
  createTicket(by: number): void;
  note(ticket: string, text: string): void;
  setStatus(ticket: string, status: TicketStatus): void;
  setPriority(ticket: string, priority: string): void;
  assign(ticket: string, who: string | null): void;
  edit(ticket: string, field: ConflictField, value: string): void;
  /** Resolves the `c`-th open conflict (if any) with its `v`-th candidate. */
  resolve(c: number, v: number): void;
  /** Record ops; a device without it skips them. */
  putRecord?(op: Extract<Op, { k: 'record' }>): void;
  /** One push and pull through the faulty network; its failure is the network's, and ignored. */
  sync(): Promise<void>;
}

/**
 * The model's one interpreter: runs `ops` on the devices (op.d modulo their number), then heals:
 * delivers what is in flight, stops the faults and syncs every device three rounds.
 */
export async function interpret(ops: Op[], clock: ManualClock, net: FaultyNet, actors: ModelActor[]): Promise<void> {
  for (const op of ops) {
    if (op.k === 'tick') {
      clock.advance(op.ms);
      continue;
    }
    if (op.k === 'deliver') {
      net.deliver();
      continue;
    }
    const a = actors[op.d % actors.length]!;
    const ticket = 't' in op ? pickOf(a.ticketIds(), op.t) : undefined;
    switch (op.k) {
      case 'create':
        a.createTicket(op.d);
        break;
      case 'note':
        if (ticket) a.note(ticket, `note from ${op.d}`);
        break;
      case 'status':
        if (ticket) a.setStatus(ticket, TICKET_STATUSES[op.s]!);
        break;
      case 'priority':
        if (ticket) a.setPriority(ticket, `P${op.v}`);
        break;
      case 'assign':
        if (ticket) a.assign(ticket, op.v === 0 ? null : `tech-${op.v}`);
        break;
      case 'edit':
        if (ticket) a.edit(ticket, CONFLICT_FIELDS[op.f === 0 ? 1 : 2]!, `v${op.v}-by-${op.d}`);
        break;
      case 'resolve':
        a.resolve(op.c, op.v);
        break;
      case 'record':
        a.putRecord?.(op);
        break;
      case 'sync':
        await a.sync().catch(() => undefined);
        break;
    }
  }
  await net.drain();
  net.faults = false;
  for (let round = 0; round < 3; round++) for (const a of actors) await a.sync();
}

export const modelClock = new ManualClock(Date.UTC(2026, 3, 1, 8, 0));

export async function runModel(app: FastifyInstance, db: Db, seed: number, devicesN: number, ops: Op[]): Promise<void> {
  const rand = prng(seed);
  const clock = modelClock;
  const { tenantId, adminToken } = await newTenant(db);
  const net = new FaultyNet(injectFetch(app), rand);
  const devices: { store: MemorySyncStore; transport: HttpSyncTransport; deviceId: string }[] = [];
  for (let i = 0; i < devicesN; i++) {
    const e = await enrol(app, adminToken, 'duty_officer', `device ${i}`);
    devices.push({
      deviceId: e.deviceId,
      store: new MemorySyncStore({ deviceId: e.deviceId, casePrefix: e.casePrefix, clock, random: randomSource(rand) }),
      transport: new HttpSyncTransport({ baseUrl: 'http://vakt.test', token: () => e.token, fetch: net.fetch }),
    });
  }
  const actors = devices.map((dev): ModelActor => {
    const s = dev.store;
    return {
      ticketIds: () => s.ticketIds(),
      createTicket: (by) => void s.createTicket({ description: `d${by}`, customerRef: null }),
      note: (ticket, text) => void s.addEvent(ticket, 'note', { text }),
      setStatus: (ticket, status) => void s.setStatus(ticket, status),
      setPriority: (ticket, p) => void s.setPriority(ticket, p),
      assign: (ticket, who) => void s.assign(ticket, who),
      edit: (ticket, field, value) => void s.edit(ticket, field, value),
      resolve: (c, v) => {
        const open = [...s.conflicts.values()].filter((x) => x.status === 'open').sort((x, y) => (x.id < y.id ? -1 : 1));
        const conflict = pickOf(open, c);
        if (conflict) s.resolveConflict(conflict.id, conflict.candidates[v % conflict.candidates.length]!.value);
      },
      // A site names its customer: put before any device has put that customer, the server refuses it (unknown_record).
      putRecord: (op) => {
        if (op.kind === 'customer') s.putRecord('customer', `cust-m${op.r}`, { name: `Customer ${op.r} v${op.v} by ${op.d}`, createdAt: clock.now() });
        else s.putRecord('site', `site-m${op.r}`, { customerId: `cust-m${op.r}`, name: `Site ${op.r} v${op.v} by ${op.d}`, createdAt: clock.now() });
      },
      sync: () => syncOnce(dev),
    };
  });
  await interpret(ops, clock, net, actors);

  const server = await serverSnapshot(app, adminToken);
  for (const d of devices) {
    expect((await d.store.counts()).pending, 'nothing pending after healing').toBe(0);
    expect(d.store.snapshot(), `device ${d.deviceId} holds the server's state`).toEqual(server);
  }
  // Every acknowledged change is on the server exactly once, with the same outcome.
  const log = await db.query<{ device_id: string; seq: number; id: string; status: string }>('SELECT device_id, seq, id, status FROM mutations WHERE tenant_id = $1', [tenantId]);
  const byId = new Map<string, { status: string }[]>();
  for (const r of log.rows) byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
  const eventIds = new Map<string, number>();
  for (const e of server.events) eventIds.set(e.id, (eventIds.get(e.id) ?? 0) + 1);
  const ticketIds = new Set(server.tickets.map((t) => t.id));
  let acked = 0;
  for (const d of devices) {
    for (const m of d.store.outbox) {
      const rows = byId.get(m.id) ?? [];
      expect(rows, `mutation ${m.name} seq ${m.seq} logged once`).toHaveLength(1);
      expect(rows[0]!.status).toBe(m.status);
      if (m.status !== 'applied') continue;
      acked++;
      const p = m.payload as { ticketId?: string; createdEventId?: string; event?: { id: string } };
      if (m.name === 'ticket.create') {
        expect(ticketIds.has(p.ticketId!)).toBe(true);
        expect(eventIds.get(p.createdEventId!)).toBe(1);
      }
      if (m.name === 'ticket.event') expect(eventIds.get(p.event!.id), 'event appears exactly once').toBe(1);
    }
  }
  expect(log.rows.length).toBe(devices.reduce((n, d) => n + d.store.outbox.length, 0));
  // Every ticket a device created reached the server (a create is never refused), each as an applied mutation.
  const creates = ops.filter((o) => o.k === 'create').length;
  expect(server.tickets, 'every ticket created on a device is on the server').toHaveLength(creates);
  expect(acked, 'applied mutations: at least one per ticket created').toBeGreaterThanOrEqual(creates);
  if (process.env.VAKT_MODEL_DEBUG) console.log(JSON.stringify({ net: net.stats, tickets: server.tickets.length, events: server.events.length, conflicts: server.conflicts.length, rejected: devices.flatMap((d) => d.store.outbox).filter((m) => m.status === 'rejected').length, acked }));
  // Case numbers are unique, and every ticket's created event is there.
  const cases = server.tickets.map((t) => t.caseNumber);
  expect(new Set(cases).size).toBe(cases.length);
  for (const t of server.tickets) expect(server.events.filter((e) => e.ticketId === t.id && e.type === 'created')).toHaveLength(1);
  // Every record is the applied record.put with the latest HLC (last writer wins), on the server and so on every device.
  const latest = new Map<string, { hlc: string; data: unknown }>();
  for (const d of devices) {
    for (const m of d.store.outbox) {
      if (m.name !== 'record.put' || m.status !== 'applied') continue;
      const p = m.payload as { id: string; data: unknown };
      const cur = latest.get(p.id);
      if (!cur || compareHlcStrings(m.hlc, cur.hlc) > 0) latest.set(p.id, { hlc: m.hlc, data: p.data });
    }
  }
  expect(server.records.map((r) => [r.id, r.hlc, r.data])).toEqual([...latest.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, x]) => [id, x.hlc, x.data]));
  // Closed tickets were not reopened by stale edits, sites wait for their customer: every rejection is for a reason the model allows.
  for (const d of devices) for (const m of d.store.outbox) if (m.status === 'rejected') expect(['ticket_closed', 'unknown_record']).toContain(m.reason);
}

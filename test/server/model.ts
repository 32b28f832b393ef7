/**
 * Model-based sync test (after Joplin's setupDatabaseAndSynchronizer(n) /
 * switchClient(n)): N in-process devices with in-memory stores make random
 * offline edits and push/pull on random schedules through a faulty transport
 * (drops, duplicates, delays/reorders requests, loses replies after the server
 * committed). Odd devices are technicians, so the role matrix refuses some of their
 * changes (priority, others' tickets, conflicts, existing customers). After healing,
 * every device and the server must hold the same state (each device's view of every
 * ticket included), every acknowledged change must be on the server exactly once,
 * case numbers must be unique, no stale status change undid a resolve or close, and
 * no refused change left a trace (field, event, ack) on any copy.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ManualClock } from '../../core/clock.js';
import { CONFLICT_FIELDS, TICKET_STATUSES } from '../../core/sync/mutations.js';
import type { Role, TicketStatus } from '../../core/sync/mutations.js';
import { isClosedStatus } from '../../core/domain/ticket-status.js';
import { compareHlcStrings, hlcNode } from '../../core/sync/hlc.js';
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
  | { k: 'ack'; d: number; t: number; a: number }
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
    { weight: 1, arbitrary: fc.record({ k: fc.constant('ack' as const), d, t, a: fc.nat(3) }) },
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
  constructor(
    private readonly inner: FetchLike,
    private readonly rand: () => number,
  ) {}

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
export const modelClock = new ManualClock(Date.UTC(2026, 3, 1, 8, 0));

export async function runModel(app: FastifyInstance, db: Db, seed: number, devicesN: number, ops: Op[]): Promise<ModelCoverage> {
  const rand = prng(seed);
  const clock = modelClock;
  const { tenantId, adminToken } = await newTenant(db);
  const net = new FaultyNet(injectFetch(app), rand);
  const devices: { store: MemorySyncStore; transport: HttpSyncTransport; deviceId: string; role: Role }[] = [];
  for (let i = 0; i < devicesN; i++) {
    const role: Role = i % 2 === 1 ? 'technician' : 'duty_officer';
    const e = await enrol(app, adminToken, role, `device ${i}`);
    devices.push({
      deviceId: e.deviceId,
      role,
      store: new MemorySyncStore({ deviceId: e.deviceId, casePrefix: e.casePrefix, clock, random: randomSource(rand) }),
      transport: new HttpSyncTransport({ baseUrl: 'http://vakt.test', token: () => e.token, fetch: net.fetch }),
    });
  }
  const pick = <T>(xs: T[], n: number): T | undefined => (xs.length ? xs[n % xs.length] : undefined);
  for (const op of ops) {
    if (op.k === 'tick') {
      clock.advance(op.ms);
      continue;
    }
    if (op.k === 'deliver') {
      net.deliver();
      continue;
    }
    const dev = devices[op.d]!;
    const s = dev.store;
    const ticket = 't' in op ? pick(s.ticketIds(), op.t) : undefined;
    switch (op.k) {
      case 'create':
        s.createTicket({ description: `d${op.d}`, customerRef: null });
        break;
      case 'note':
        if (ticket) s.addEvent(ticket, 'note', { text: `note from ${op.d}` });
        break;
      case 'status':
        if (ticket) s.setStatus(ticket, TICKET_STATUSES[op.s]!);
        break;
      case 'priority':
        if (ticket) s.changePriority(ticket, `P${op.v}`); // as the app does: the edited entry, then the field
        break;
      case 'assign':
        if (ticket) s.assign(ticket, op.v === 0 ? null : op.v === 1 ? 'technician user' : `tech-${op.v}`); // 'technician user': the technicians' own
        break;
      case 'edit':
        if (ticket) s.edit(ticket, CONFLICT_FIELDS[op.f === 0 ? 1 : 2]!, `v${op.v}-by-${op.d}`);
        break;
      case 'resolve': {
        const open = [...s.conflicts.values()].filter((c) => c.status === 'open').sort((a, b) => (a.id < b.id ? -1 : 1));
        const c = pick(open, op.c);
        if (c) s.resolveConflict(c.id, c.candidates[op.v % c.candidates.length]!.value);
        break;
      }
      case 'record':
        // A site names its customer: put before any device has put that customer, the server refuses it (unknown_record).
        if (op.kind === 'customer') s.putRecord('customer', `cust-m${op.r}`, { name: `Customer ${op.r} v${op.v} by ${op.d}`, createdAt: clock.now() });
        else s.putRecord('site', `site-m${op.r}`, { customerId: `cust-m${op.r}`, name: `Site ${op.r} v${op.v} by ${op.d}`, createdAt: clock.now() });
        break;
      case 'ack':
        if (ticket)
          s.ackAlert({ alertKey: `deadline:${ticket}:${op.a % 2}`, ticketId: ticket, action: op.a < 2 ? 'ack' : 'snooze', at: clock.now(), ...(op.a < 2 ? {} : { until: clock.now() + 600_000 }) });
        break;
      case 'sync':
        await syncOnce(dev).catch(() => undefined);
        break;
    }
  }
  // Heal: deliver what is in flight, stop the faults, sync everyone until quiet.
  await net.drain();
  net.faults = false;
  for (let round = 0; round < 3; round++) for (const d of devices) await syncOnce(d);

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
  if (process.env.VAKT_MODEL_DEBUG)
    console.log(
      JSON.stringify({
        net: net.stats,
        tickets: server.tickets.length,
        events: server.events.length,
        conflicts: server.conflicts.length,
        rejected: devices.flatMap((d) => d.store.outbox).filter((m) => m.status === 'rejected').length,
        acked,
      }),
    );
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
  // Every rejection is for a reason the model allows: a stale status change (ticket_closed), a site before
  // its customer (unknown_record), and the role matrix for technicians only (forbidden).
  for (const d of devices) {
    for (const m of d.store.outbox) {
      if (m.status === 'rejected') expect([...['ticket_closed', 'unknown_record'], ...(d.role === 'technician' ? ['forbidden'] : [])], `${m.name} on ${d.role}: ${m.message}`).toContain(m.reason);
    }
  }
  checkStatusAndTraces(devices, server, await appliedVersions(db, tenantId));
  return {
    refused: devices.flatMap((d) => d.store.outbox).filter((m) => m.status === 'rejected').length,
    forbidden: devices.flatMap((d) => d.store.outbox).filter((m) => m.reason === 'forbidden').length,
    staleStatus: devices.flatMap((d) => d.store.outbox).filter((m) => m.reason === 'ticket_closed').length,
    acks: server.acks.length,
  };
}

export interface ModelCoverage {
  refused: number;
  forbidden: number;
  staleStatus: number;
  acks: number;
}

async function appliedVersions(db: Db, tenantId: string): Promise<Map<string, number>> {
  const r = await db.query<{ id: string; v: number | string }>(`SELECT id, applied_version AS v FROM mutations WHERE tenant_id = $1 AND status = 'applied'`, [tenantId]);
  return new Map(r.rows.map((x) => [x.id, Number(x.v)]));
}

type Snapshot = Awaited<ReturnType<typeof serverSnapshot>>;

/**
 * After healing: every device's view of every ticket is the server's; no stale status change undid a
 * resolve or close; a refused change left no trace on any copy (its event, its field's HLC, its ack);
 * a priority change and its edited entry were applied or refused together.
 */
function checkStatusAndTraces(devices: { store: MemorySyncStore; deviceId: string }[], server: Snapshot, applied: Map<string, number>): void {
  for (const d of devices) for (const t of server.tickets) expect(d.store.view(t.id), `device ${d.deviceId}'s view of ${t.caseNumber}`).toEqual(t);
  // Applied status changes per ticket in the order the server applied them.
  type St = { status: TicketStatus; base: number; v: number; hlc: string };
  const byTicket = new Map<string, St[]>();
  for (const d of devices) {
    for (const m of d.store.outbox) {
      const p = m.payload as { ticketId?: string; baseVersion?: number; event?: { type: string; data: { status?: TicketStatus } } };
      if (m.status !== 'applied' || m.name !== 'ticket.event' || p.event?.type !== 'status') continue;
      byTicket.set(p.ticketId!, [...(byTicket.get(p.ticketId!) ?? []), { status: p.event.data.status!, base: p.baseVersion!, v: applied.get(m.id)!, hlc: m.hlc }]);
    }
  }
  for (const [ticketId, changes] of byTicket) {
    changes.sort((a, b) => a.v - b.v);
    // The resolve or close in force (the version at which the ticket entered it), until a change made after
    // seeing it moves the status on. A change made without having seen it that would move it on undoes it.
    let settle: St | null = null;
    for (const c of changes) {
      if (settle && c.status !== settle.status && c.base < settle.v && hlcNode(c.hlc) !== hlcNode(settle.hlc)) {
        throw new Error(`ticket ${ticketId}: a change to ${c.status} made without having seen the ${settle.status} (seen version ${c.base} < ${settle.v}) undid it: ${JSON.stringify(changes)}`);
      }
      if (isClosedStatus(c.status)) {
        const cur = settle as St | null;
        if (cur === null || cur.status !== c.status) settle = c;
        else if (compareHlcStrings(c.hlc, cur.hlc) > 0) settle = { status: cur.status, base: cur.base, v: cur.v, hlc: c.hlc }; // the same status again: its HLC (and device) is the later one's
      } else if (settle && c.status !== settle.status) settle = null; // a deliberate reopen
    }
  }
  const events = new Set(server.events.map((e) => e.id));
  const acks = new Set(server.acks.map((a) => a.hlc));
  for (const d of devices) {
    const out = d.store.outbox;
    for (const [i, m] of out.entries()) {
      const p = m.payload as { ticketId?: string; event?: { id: string; type: string; data: { fields?: object } } };
      if (m.status === 'rejected') {
        if (p.event) for (const copy of [events, ...devices.map((x) => x.store.events)]) expect(copy.has(p.event.id), `refused ${p.event.type} event is on no copy`).toBe(false);
        for (const t of server.tickets) expect(Object.values(t.fieldHlc), `refused ${m.name} stamped no field`).not.toContain(m.hlc);
        if (m.name === 'alert.ack') expect(acks.has(m.hlc), 'refused ack is on no copy').toBe(false);
      }
      // A priority change is the edited entry and the field, made together (MemorySyncStore.changePriority).
      const next = out[i + 1];
      if (p.event?.type === 'edited' && p.event.data.fields && 'priority' in p.event.data.fields && next?.name === 'ticket.setPriority') {
        expect([m.status, m.reason], 'the edited entry of a priority change goes as the change does').toEqual([next.status, next.reason]);
      }
    }
  }
}

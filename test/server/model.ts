/**
 * Model-based sync test (after Joplin's setupDatabaseAndSynchronizer(n) /
 * switchClient(n)): N devices make random offline edits and push/pull on random
 * schedules through a faulty transport (drops, duplicates, delays/reorders requests,
 * loses replies after the server committed). Odd devices are technicians, so the role
 * matrix refuses some of their changes (priority, others' tickets, conflicts, existing
 * customers). One interpreter (`runModel`) runs the ops on any kind of device (a
 * `ModelActor`: the in-memory store in test/server/model.test.ts, the real SQLite store
 * in test/sync/model.test.ts), heals, and checks (test/server/model-checks.ts): every
 * copy agrees with the server, every acknowledged change is on the server exactly once,
 * case numbers are unique, no stale status change undid a resolve or close, and no
 * refused change left a trace (field, event, ack) on any copy.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ManualClock } from '../../core/clock.js';
import { CONFLICT_FIELDS, TICKET_STATUSES } from '../../core/sync/mutations.js';
import type { Role } from '../../core/sync/mutations.js';
import type { Db } from '../../server/db.js';
import { HttpSyncTransport } from '../../main/sync/http-transport.js';
import type { FetchLike } from '../../main/sync/http-transport.js';
import { MemorySyncStore } from '../../main/sync/memory-store.js';
import { enrol, injectFetch, newTenant, prng, randomSource, syncOnce } from './helpers.js';
import type { Enrolled } from './helpers.js';
import { checkModel } from './model-checks.js';
import type { ModelActor, ModelCoverage, ModelServer } from './model-checks.js';

export type { ModelActor, ModelCoverage, SentMutation } from './model-checks.js';

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

/** The tenant, the faulty network and the clock a model run's devices share. */
export interface ModelWorld extends ModelServer {
  clock: ManualClock;
  rand: () => number;
  net: FaultyNet;
}

export async function modelWorld(app: FastifyInstance, db: Db, seed: number, clock: ManualClock = modelClock): Promise<ModelWorld> {
  const rand = prng(seed);
  const { tenantId, adminToken } = await newTenant(db);
  return { app, db, tenantId, adminToken, clock, rand, net: new FaultyNet(injectFetch(app), rand) };
}

/** The role of the model's `i`-th device: odd ones are technicians. */
export const modelRole = (i: number): Role => (i % 2 === 1 ? 'technician' : 'duty_officer');

/** 'technician user' is the technicians' own name (test/server/helpers.ts enrol), so some of their assigned tickets are theirs. */
const assignee = (v: number): string | null => (v === 0 ? null : v === 1 ? 'technician user' : `tech-${v}`);

/**
 * The model's one interpreter: runs `ops` on the actors (op.d modulo their number), heals (delivers
 * what is in flight, stops the faults, syncs every device three rounds), then checks.
 */
export async function runModel(w: ModelWorld, actors: ModelActor[], ops: Op[]): Promise<ModelCoverage> {
  const pick = <T>(xs: T[], n: number): T | undefined => (xs.length ? xs[n % xs.length] : undefined);
  const done: Record<string, number> = {}; // the ops that did something, by kind (VAKT_MODEL_DEBUG)
  for (const op of ops) {
    if (op.k === 'tick') {
      w.clock.advance(op.ms);
      continue;
    }
    if (op.k === 'deliver') {
      w.net.deliver();
      continue;
    }
    const d = op.d % actors.length;
    const a = actors[d]!;
    const ticket = 't' in op ? pick(a.ticketIds(), op.t) : undefined;
    if ('t' in op && !ticket) continue;
    if (op.k === 'ack' && !a.ack) continue;
    switch (op.k) {
      case 'create':
        a.createTicket(`by ${d}`);
        break;
      case 'note':
        a.note(ticket!, `note from ${d}`);
        break;
      case 'status':
        a.setStatus(ticket!, TICKET_STATUSES[op.s]!);
        break;
      case 'priority':
        a.changePriority(ticket!, `P${op.v}`);
        break;
      case 'assign':
        a.assign(ticket!, assignee(op.v));
        break;
      case 'edit':
        a.edit(ticket!, CONFLICT_FIELDS[op.f === 0 ? 1 : 2]!, `v${op.v}-by-${d}`);
        break;
      case 'resolve':
        a.resolve(op.c, op.v);
        break;
      case 'record': {
        // A site names its customer: put before any device has put that customer, the server refuses it (unknown_record).
        const put =
          op.kind === 'customer'
            ? a.putRecord?.('customer', `cust-m${op.r}`, { name: `Customer ${op.r} v${op.v} by ${d}`, createdAt: w.clock.now() })
            : a.putRecord?.('site', `site-m${op.r}`, { customerId: `cust-m${op.r}`, name: `Site ${op.r} v${op.v} by ${d}`, createdAt: w.clock.now() });
        if (!put) continue;
        break;
      }
      case 'ack':
        a.ack?.({ alertKey: `deadline:${ticket}:${op.a % 2}`, ticketId: ticket!, action: op.a < 2 ? 'ack' : 'snooze', at: w.clock.now(), ...(op.a < 2 ? {} : { until: w.clock.now() + 600_000 }) });
        break;
      case 'sync':
        await a.sync().catch(() => undefined);
        break;
    }
    done[op.k] = (done[op.k] ?? 0) + 1;
  }
  await w.net.drain();
  w.net.faults = false;
  for (let round = 0; round < 3; round++) for (const a of actors) await a.sync();
  const c = await checkModel(w, actors);
  if (process.env.VAKT_MODEL_DEBUG) console.log(`model run ${JSON.stringify({ devices: actors.length, ops: ops.length, done, net: w.net.stats, ...c })}`);
  return c;
}

/** `n` enrolled devices (roles by `modelRole`), each with its transport through the world's faulty network. */
export async function enrolModelDevices(
  w: ModelWorld,
  n: number,
  o: { role?: (i: number) => Role; provisionalPrefix?: (i: number) => string } = {},
): Promise<{ enrolled: Enrolled; role: Role; transport: HttpSyncTransport }[]> {
  const out: { enrolled: Enrolled; role: Role; transport: HttpSyncTransport }[] = [];
  for (let i = 0; i < n; i++) {
    const role = (o.role ?? modelRole)(i);
    const enrolled = await enrol(w.app, w.adminToken, role, `device ${i}`, o.provisionalPrefix?.(i));
    out.push({ enrolled, role, transport: new HttpSyncTransport({ baseUrl: 'http://vakt.test', token: () => enrolled.token, fetch: w.net.fetch }) });
  }
  return out;
}

/** The in-memory devices (MemorySyncStore, the reference store) as model actors. */
export async function memoryActors(w: ModelWorld, n: number, role?: (i: number) => Role): Promise<ModelActor[]> {
  return (await enrolModelDevices(w, n, role ? { role } : {})).map(({ enrolled, role, transport }): ModelActor => {
    const s = new MemorySyncStore({ deviceId: enrolled.deviceId, casePrefix: enrolled.casePrefix, clock: w.clock, random: randomSource(w.rand) });
    return {
      deviceId: enrolled.deviceId,
      role,
      ticketIds: () => s.ticketIds(),
      createTicket: (text) => s.createTicket({ description: text, customerRef: null }).ticketId,
      note: (id, text) => void s.addEvent(id, 'note', { text }),
      setStatus: (id, status) => void s.setStatus(id, status),
      changePriority: (id, p) => void s.changePriority(id, p), // as the app does: the edited entry, then the field
      assign: (id, who) => void s.assign(id, who),
      edit: (id, field, value) => void s.edit(id, field, value),
      resolve: (c, v) => {
        const open = [...s.conflicts.values()].filter((x) => x.status === 'open').sort((x, y) => (x.id < y.id ? -1 : 1));
        const conflict = open.length ? open[c % open.length] : undefined;
        if (conflict) s.resolveConflict(conflict.id, conflict.candidates[v % conflict.candidates.length]!.value);
      },
      putRecord: (kind, id, data) => Boolean(s.putRecord(kind, id, data)),
      ack: (payload) => void s.ackAlert(payload),
      sync: () => syncOnce({ store: s, transport }),
      pending: async () => (await s.counts()).pending,
      sent: () => s.outbox,
      ticket: (id) => s.view(id),
      whole: true,
      eventIds: (id) =>
        [...s.events.values()]
          .filter((e) => e.ticketId === id)
          .map((e) => e.id)
          .sort(),
      hasEvent: (id) => s.events.has(id),
      openConflictIds: () =>
        [...s.conflicts.values()]
          .filter((c) => c.status === 'open')
          .map((c) => c.id)
          .sort(),
      // The whole snapshot (records, acks, conflicts, every field's HLC) is the server's.
      checkMore: (server) => expect(s.snapshot(), `device ${enrolled.deviceId} holds the server's state`).toEqual(server),
    };
  });
}

/**
 * The model's checks after healing (test/server/model.ts runModel), the same for every kind of
 * device: every copy agrees with the server; every change a device sent is in the server's log
 * exactly once with the outcome the device recorded; case numbers are unique; records are last
 * writer wins; every refusal has a reason the model allows; no stale status change undid a resolve
 * or close; a refused change left no trace (its event, its field's HLC, its ack) on any copy.
 */
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { ConflictField, MutationPayload, RecordKind, Role, SyncTicket, TicketStatus } from '../../core/sync/mutations.js';
import { isClosedStatus } from '../../core/domain/ticket-status.js';
import { compareHlcStrings, hlcNode } from '../../core/sync/hlc.js';
import type { Db } from '../../server/db.js';
import { serverSnapshot } from './helpers.js';
import type { OutboxEntry } from '../../main/sync/memory-store.js';

export type Snapshot = Awaited<ReturnType<typeof serverSnapshot>>;

/** The fields of a ticket every kind of device keeps. */
export type TicketCopy = Pick<SyncTicket, 'status' | 'priority' | 'assignee' | 'title' | 'description' | 'customerRef'>;
export const copyOf = (t: TicketCopy | null): TicketCopy | null =>
  t && { status: t.status, priority: t.priority, assignee: t.assignee, title: t.title, description: t.description, customerRef: t.customerRef };

/** A mutation a device sent (it has a seq), with the outcome the device recorded. */
export type SentMutation = Pick<OutboxEntry, 'id' | 'seq' | 'name' | 'hlc' | 'payload' | 'status' | 'reason' | 'message'>;

/** One device as the model drives it and the checks read it, whatever its store. */
export interface ModelActor {
  readonly deviceId: string;
  readonly role: Role;
  ticketIds(): string[];
  /** A new ticket with `text` (as its description or title): its id. */
  createTicket(text: string): string;
  note(ticketId: string, text: string): void;
  setStatus(ticketId: string, status: TicketStatus): void;
  /** A priority change as the device's app makes it. */
  changePriority(ticketId: string, priority: string): void;
  assign(ticketId: string, assignee: string | null): void;
  edit(ticketId: string, field: ConflictField, value: string): void;
  /** Resolves the `c`-th open conflict it may resolve (if any) with its `v`-th candidate. */
  resolve(c: number, v: number): void;
  /** A customer or site record; false (or no method): the device keeps no such record and skips the op. */
  putRecord?(kind: RecordKind, id: string, data: Record<string, unknown>): boolean;
  /** An alert ack or snooze; a device without it skips the op. */
  ack?(payload: MutationPayload<'alert.ack@1'>): void;
  /** One push and pull through the network; a failure is the network's (ignored while it is faulty). */
  sync(): Promise<void>;
  pending(): Promise<number>;
  /** Every mutation the device sent, oldest first. */
  sent(): SentMutation[];
  /** The device's copy of a ticket, in the fields every kind of device keeps. */
  ticket(ticketId: string): TicketCopy | null;
  /** `ticket()` gives the whole SyncTicket (every field and HLC, the version): it is compared whole. */
  readonly whole: boolean;
  /** The ids of the ticket's events on the device, sorted. */
  eventIds(ticketId: string): string[];
  /** The event is on the device's timeline (a refused one the store keeps, marked refused, is not). */
  hasEvent(eventId: string): boolean;
  openConflictIds(): string[];
  /** What only this kind of device can be checked for (after the shared checks). */
  checkMore?(server: Snapshot): void;
}

/** The server and tenant a model run's devices sync with. */
export interface ModelServer {
  app: FastifyInstance;
  db: Db;
  tenantId: string;
  adminToken: string;
}

/** What the runs made, summed by the property to show the checks had something to check. */
export interface ModelCoverage {
  sent: number;
  refused: number;
  forbidden: number;
  staleStatus: number;
  acks: number;
}

export async function checkModel(w: ModelServer, actors: ModelActor[]): Promise<ModelCoverage> {
  const server = await serverSnapshot(w.app, w.adminToken);
  const openConflicts = server.conflicts
    .filter((c) => c.status === 'open')
    .map((c) => c.id)
    .sort();
  // Every copy agrees.
  for (const a of actors) {
    expect(await a.pending(), `device ${a.deviceId}: nothing pending after healing`).toBe(0);
    expect(a.ticketIds().sort(), `device ${a.deviceId}'s tickets`).toEqual(server.tickets.map((t) => t.id).sort());
    for (const t of server.tickets) {
      expect(a.whole ? a.ticket(t.id) : copyOf(a.ticket(t.id)), `device ${a.deviceId}'s copy of ${t.caseNumber}`).toEqual(a.whole ? t : copyOf(t));
      expect(a.eventIds(t.id), `device ${a.deviceId}'s timeline of ${t.caseNumber}`).toEqual(
        server.events
          .filter((e) => e.ticketId === t.id)
          .map((e) => e.id)
          .sort(),
      );
    }
    expect(a.openConflictIds(), `device ${a.deviceId}'s open conflicts`).toEqual(openConflicts);
    a.checkMore?.(server);
  }
  // Every change a device sent is logged once, with the outcome the device recorded; an applied one is there exactly once.
  const log = await w.db.query<{ id: string; status: string }>('SELECT id, status FROM mutations WHERE tenant_id = $1', [w.tenantId]);
  const byId = new Map<string, string[]>();
  for (const r of log.rows) byId.set(r.id, [...(byId.get(r.id) ?? []), r.status]);
  const eventIds = new Map<string, number>();
  for (const e of server.events) eventIds.set(e.id, (eventIds.get(e.id) ?? 0) + 1);
  const ticketIds = new Set(server.tickets.map((t) => t.id));
  const sent = actors.map((a) => ({ a, out: a.sent() }));
  for (const { out } of sent) {
    for (const m of out) {
      expect(byId.get(m.id), `mutation ${m.name} seq ${m.seq} logged once, as the device recorded`).toEqual([m.status]);
      if (m.status !== 'applied') continue;
      const p = m.payload as { ticketId?: string; createdEventId?: string; event?: { id: string } };
      if (m.name === 'ticket.create') {
        expect(ticketIds.has(p.ticketId!)).toBe(true);
        expect(eventIds.get(p.createdEventId!)).toBe(1);
      }
      if (m.name === 'ticket.event') expect(eventIds.get(p.event!.id), 'event appears exactly once').toBe(1);
    }
  }
  expect(log.rows.length).toBe(sent.reduce((n, x) => n + x.out.length, 0));
  // Case numbers are unique, and every ticket's created event is there.
  const cases = server.tickets.map((t) => t.caseNumber);
  expect(new Set(cases).size).toBe(cases.length);
  for (const t of server.tickets) expect(server.events.filter((e) => e.ticketId === t.id && e.type === 'created')).toHaveLength(1);
  // Every record is the applied record.put with the latest HLC (last writer wins), on the server and so on every device.
  const latest = new Map<string, { hlc: string; data: unknown }>();
  for (const { out } of sent) {
    for (const m of out) {
      if (m.name !== 'record.put' || m.status !== 'applied') continue;
      const p = m.payload as { id: string; data: unknown };
      const cur = latest.get(p.id);
      if (!cur || compareHlcStrings(m.hlc, cur.hlc) > 0) latest.set(p.id, { hlc: m.hlc, data: p.data });
    }
  }
  expect(server.records.map((r) => [r.id, r.hlc, r.data])).toEqual([...latest.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, x]) => [id, x.hlc, x.data]));
  // Every refusal is for a reason the model allows: a stale status change (ticket_closed), a site before
  // its customer (unknown_record), and the role matrix for technicians only (forbidden).
  for (const { a, out } of sent) {
    for (const m of out) {
      if (m.status === 'rejected') expect([...['ticket_closed', 'unknown_record'], ...(a.role === 'technician' ? ['forbidden'] : [])], `${m.name} on ${a.role}: ${m.message}`).toContain(m.reason);
    }
  }
  checkStatusAndTraces(actors, sent, server, await appliedVersions(w.db, w.tenantId));
  const all = sent.flatMap((x) => x.out);
  return {
    sent: all.length,
    refused: all.filter((m) => m.status === 'rejected').length,
    forbidden: all.filter((m) => m.reason === 'forbidden').length,
    staleStatus: all.filter((m) => m.reason === 'ticket_closed').length,
    acks: server.acks.length,
  };
}

async function appliedVersions(db: Db, tenantId: string): Promise<Map<string, number>> {
  const r = await db.query<{ id: string; v: number | string }>(`SELECT id, applied_version AS v FROM mutations WHERE tenant_id = $1 AND status = 'applied'`, [tenantId]);
  return new Map(r.rows.map((x) => [x.id, Number(x.v)]));
}

/**
 * No stale status change undid a resolve or close; a refused change left no trace on any copy (its
 * event, its field's HLC, its ack); a priority change and its edited entry were applied or refused together.
 */
function checkStatusAndTraces(actors: ModelActor[], sent: { out: SentMutation[] }[], server: Snapshot, applied: Map<string, number>): void {
  // Applied status changes per ticket in the order the server applied them.
  type St = { status: TicketStatus; base: number; v: number; hlc: string };
  const byTicket = new Map<string, St[]>();
  for (const { out } of sent) {
    for (const m of out) {
      const p = m.payload as { ticketId?: string; baseVersion?: number; event?: { type: string; data: { status?: TicketStatus } } };
      if (m.status !== 'applied' || m.name !== 'ticket.event' || p.event?.type !== 'status') continue;
      byTicket.set(p.ticketId!, [...(byTicket.get(p.ticketId!) ?? []), { status: p.event.data.status!, base: p.baseVersion ?? 0, v: applied.get(m.id)!, hlc: m.hlc }]);
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
  for (const { out } of sent) {
    for (const [i, m] of out.entries()) {
      const p = m.payload as { ticketId?: string; event?: { id: string; type: string; data: { fields?: object } } };
      if (m.status === 'rejected') {
        if (p.event) {
          expect(events.has(p.event.id), `refused ${p.event.type} event is not on the server`).toBe(false);
          for (const a of actors) expect(a.hasEvent(p.event.id), `refused ${p.event.type} event is not on device ${a.deviceId}`).toBe(false);
        }
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

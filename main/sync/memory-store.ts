/**
 * An in-memory device: a LocalSyncStore plus the operations that make
 * mutations (as the app's repositories do over db/). Used by the tests, the
 * model-based property test and the sync benchmark.
 *
 * Local view = the server's rows (from pull) with the device's pending
 * mutations replayed on top (like Replicache's rebase), so an edit made
 * offline after another offline edit is based on the device's own copy.
 */
import type { Clock } from '../../core/clock.js';
import { formatCaseNumber } from '../../core/ids/case-number.js';
import { Hlc, HlcError } from '../../core/ids/hlc.js';
import { createUuid7 } from '../../core/ids/uuid7.js';
import type { RandomSource } from '../../core/ids/uuid7.js';
import type {
  ConflictField,
  MutationKey,
  MutationPayload,
  MutationResult,
  RecordKind,
  SyncAlertAck,
  SyncConflict,
  SyncEvent,
  SyncRecord,
  SyncTicket,
  SyncUserSettings,
  TicketStatus,
} from '../../core/sync/mutations.js';
import { createdFields, mutationTicketId, replayMutation } from '../../core/sync/replay.js';
import type { LocalSyncStore, PendingMutation, PulledPage } from './types.js';

export interface OutboxEntry extends PendingMutation {
  status: 'pending' | 'applied' | 'rejected';
  reason: string | null;
  message: string | null;
}

export interface MemoryDeviceOptions {
  deviceId: string;
  casePrefix: string;
  clock: Clock;
  random: RandomSource;
  /** How far ahead a remote HLC may be before we stop absorbing it (default 48 h). */
  maxDriftMs?: number;
}

export class MemorySyncStore implements LocalSyncStore {
  readonly tickets = new Map<string, SyncTicket>();
  readonly events = new Map<string, SyncEvent>();
  readonly conflicts = new Map<string, SyncConflict>();
  readonly records = new Map<string, SyncRecord>();
  /** Acks and snoozes of alerts (alert.ack@1), as pulled. */
  readonly acks = new Map<string, SyncAlertAck>();
  /** This device's user's settings (user.setAlertScope@1), as pulled. */
  userSettings: SyncUserSettings | null = null;
  readonly outbox: OutboxEntry[] = [];
  private cur = '0';
  private seq = 0;
  private caseSeq = 0;
  readonly hlc: Hlc;
  readonly newId: () => string;
  /** Every page applied (for tests that look at what was pulled). */
  pulledChanges = 0;

  constructor(readonly o: MemoryDeviceOptions) {
    this.hlc = new Hlc(o.clock, o.deviceId, null, o.maxDriftMs ?? 48 * 3600_000);
    this.newId = createUuid7(o.clock, o.random);
  }

  // ---- LocalSyncStore ----
  async pendingMutations(limit: number): Promise<PendingMutation[]> {
    return this.outbox
      .filter((m) => m.status === 'pending')
      .slice(0, limit)
      .map(({ id, seq, name, version, hlc, payload }) => ({ id, seq, name, version, hlc, payload }));
  }

  async markResults(results: MutationResult[]): Promise<void> {
    for (const r of results) {
      const m = this.outbox.find((x) => x.id === r.id);
      if (!m || m.status !== 'pending') continue;
      const outcome = r.status === 'duplicate' ? (r.outcome ?? 'applied') : r.status;
      m.status = outcome;
      m.reason = outcome === 'rejected' ? (r.reason ?? 'rejected') : null;
      m.message = r.message ?? null;
    }
  }

  async applyPulled(page: PulledPage): Promise<void> {
    for (const c of page.changes) {
      if (c.kind === 'ticket') this.tickets.set(c.ticket.id, c.ticket);
      else if (c.kind === 'event') this.events.set(c.event.id, c.event);
      else if (c.kind === 'conflict') this.conflicts.set(c.conflict.id, c.conflict);
      else if (c.kind === 'record') this.records.set(c.record.id, c.record);
      else if (c.kind === 'ack') this.acks.set(c.ack.id, c.ack);
      else if (c.kind === 'userSettings') this.userSettings = c.userSettings;
    }
    this.pulledChanges += page.changes.length;
    this.cur = page.cursor;
    if (page.hlc) {
      try {
        this.hlc.receive(page.hlc);
      } catch (e) {
        if (!(e instanceof HlcError)) throw e;
      }
    }
  }

  async cursor(): Promise<string> {
    return this.cur;
  }

  async counts(): Promise<{ pending: number; rejected: number; conflicts: number }> {
    let pending = 0;
    let rejected = 0;
    for (const m of this.outbox) {
      if (m.status === 'pending') pending++;
      else if (m.status === 'rejected') rejected++;
    }
    let conflicts = 0;
    for (const c of this.conflicts.values()) if (c.status === 'open') conflicts++;
    return { pending, rejected, conflicts };
  }

  // ---- making changes ----
  private add<K extends MutationKey>(key: K, payload: MutationPayload<K>): OutboxEntry {
    const [name, version] = key.split('@') as [string, string];
    const m: OutboxEntry = { id: this.newId(), seq: ++this.seq, name, version: Number(version), hlc: this.hlc.now(), payload, status: 'pending', reason: null, message: null };
    this.outbox.push(m);
    return m;
  }

  /** The device's view of a ticket: the server's row with pending changes replayed. */
  view(ticketId: string): SyncTicket | null {
    let t: SyncTicket | null = this.tickets.get(ticketId) ?? null;
    t = t ? { ...t, fieldHlc: { ...t.fieldHlc } } : null;
    for (const m of this.outbox) {
      if (m.status !== 'pending') continue;
      const conflict = m.name === 'conflict.resolve' ? this.conflicts.get(String((m.payload as { conflictId?: unknown }).conflictId)) : undefined;
      if ((conflict?.ticketId ?? mutationTicketId(m.payload)) !== ticketId) continue;
      t = replay(t, `${m.name}@${m.version}`, m.payload, m.hlc, this.o.deviceId, (id) => this.conflicts.get(id)?.field);
    }
    return t;
  }

  /** Ticket ids the device knows (server + pending creates). */
  ticketIds(): string[] {
    const ids = new Set(this.tickets.keys());
    for (const m of this.outbox) if (m.status === 'pending' && m.name === 'ticket.create') ids.add((m.payload as { ticketId: string }).ticketId);
    return [...ids].sort();
  }

  nextCaseNumber(): string {
    return formatCaseNumber(this.o.casePrefix, ++this.caseSeq);
  }

  /** A new ticket: `ticket.create@1`, or @2 when it names a contract, site, asset or intake values (as the app sends). */
  createTicket(f: Partial<MutationPayload<'ticket.create@2'>> = {}): { ticketId: string; caseNumber: string; mutation: OutboxEntry } {
    const ticketId = this.newId();
    const caseNumber = f.caseNumber ?? this.nextCaseNumber();
    const v2 = f.contractId !== undefined || f.siteId !== undefined || f.assetId !== undefined || f.intake !== undefined;
    const mutation = this.add(v2 ? 'ticket.create@2' : 'ticket.create@1', {
      ticketId,
      caseNumber,
      customerId: 'cust-1',
      channel: 'phone',
      createdAt: this.o.clock.now(),
      createdEventId: this.newId(),
      ...f,
    });
    return { ticketId, caseNumber, mutation };
  }

  addEvent(ticketId: string, type: Exclude<SyncEvent['type'], 'created'>, data: Record<string, unknown> = {}, at = this.o.clock.now()): OutboxEntry {
    const base = this.tickets.get(ticketId)?.version ?? 0;
    return this.add('ticket.event@1', { ticketId, baseVersion: base, event: { id: this.newId(), type, at, data } });
  }

  setStatus(ticketId: string, status: TicketStatus): OutboxEntry {
    return this.addEvent(ticketId, 'status', { status });
  }

  setPriority(ticketId: string, priority: string | null): OutboxEntry {
    return this.add('ticket.setPriority@1', { ticketId, priority });
  }

  /** A priority change as the app makes it (db/repos/tickets.ts update): the `edited` event, then the field. */
  changePriority(ticketId: string, priority: string | null): [OutboxEntry, OutboxEntry] {
    return [this.addEvent(ticketId, 'edited', { fields: { priority } }), this.setPriority(ticketId, priority)];
  }

  assign(ticketId: string, assignee: string | null): OutboxEntry {
    return this.add('ticket.assign@1', { ticketId, assignee });
  }

  edit(ticketId: string, field: ConflictField, value: string | null): OutboxEntry {
    const t = this.view(ticketId);
    return this.add('ticket.edit@1', { ticketId, field, value, baseHlc: t?.fieldHlc[field] ?? null });
  }

  setIntake(ticketId: string, values: Record<string, string | null>): OutboxEntry {
    return this.add('ticket.setIntake@1', { ticketId, values });
  }

  resolveConflict(conflictId: string, value: string | null): OutboxEntry {
    return this.add('conflict.resolve@1', { conflictId, value });
  }

  /** A reference record, whole (record.put@1). */
  putRecord(kind: RecordKind, id: string, data: Record<string, unknown>, deleted = false): OutboxEntry {
    return this.add('record.put@1', { kind, id, deleted, data });
  }

  /** An ack or snooze of an alert by this device's user (alert.ack@1). */
  ackAlert(payload: MutationPayload<'alert.ack@1'>): OutboxEntry {
    return this.add('alert.ack@1', payload);
  }

  /** Sets this device's user's alert scope (user.setAlertScope@1). */
  setAlertScope(alertScope: MutationPayload<'user.setAlertScope@1'>['alertScope']): OutboxEntry {
    return this.add('user.setAlertScope@1', { alertScope });
  }

  /** Server state only (what pull delivered), for comparisons. */
  snapshot(): { tickets: SyncTicket[]; events: SyncEvent[]; conflicts: SyncConflict[]; records: SyncRecord[]; acks: SyncAlertAck[] } {
    const by = <T extends { id: string }>(m: Map<string, T>): T[] => [...m.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    return { tickets: by(this.tickets), events: by(this.events), conflicts: by(this.conflicts), records: by(this.records), acks: by(this.acks) };
  }
}

/** Optimistic local effect of a mutation on the device's copy of a ticket: a new ticket, or what core/sync/replay.ts says. */
function replay(t: SyncTicket | null, key: string, payload: unknown, hlc: string, deviceId: string, conflictField: (id: string) => string | undefined): SyncTicket | null {
  if (key === 'ticket.create@1' || key === 'ticket.create@2') {
    if (t) return t;
    const p = payload as MutationPayload<'ticket.create@2'>;
    // The ticket the server makes of it (core/sync/replay.ts createdFields).
    const { intake, ...fields } = createdFields(p, hlc);
    return {
      id: p.ticketId,
      caseNumber: p.caseNumber,
      customerId: p.customerId,
      channel: p.channel,
      ...fields,
      createdAt: p.createdAt,
      createdBy: deviceId,
      sla: null,
      nextDueAt: null,
      contractId: p.contractId ?? null,
      siteId: p.siteId ?? null,
      assetId: p.assetId ?? null,
      intake: intake ?? null,
      version: 0,
    };
  }
  return t ? replayMutation(t, key, payload, hlc, conflictField) : t;
}

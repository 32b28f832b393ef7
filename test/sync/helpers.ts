/**
 * Devices for the sync tests: the same operations over the in-memory
 * reference store (MemorySyncStore) and over the real SQLite store
 * (openStore + db/sync-store.ts through DbSyncStore), so one set of contract
 * tests runs against both, and real SQLite devices can sync with a real server.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../core/clock.js';
import type { ConflictField, SyncTicket, TicketStatus } from '../../core/sync/mutations.js';
import { openStore } from '../../db/store.js';
import type { Store } from '../../db/store.js';
import { DbSyncStore } from '../../main/sync/db-store.js';
import { MemorySyncStore } from '../../main/sync/memory-store.js';
import type { LocalSyncStore, SyncTransport } from '../../main/sync/types.js';
import { SyncWorker } from '../../main/sync/worker.js';
import { randomSource } from '../server/helpers.js';

const dirs: string[] = [];
export function tempDir(prefix = 'vakt-sync-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}
export function cleanupTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** What a test does on a device, whatever its store. */
export interface Device {
  kind: 'memory' | 'sqlite';
  sync: LocalSyncStore;
  createTicket(title?: string): string;
  note(ticketId: string, text: string): void;
  setStatus(ticketId: string, status: TicketStatus): void;
  setPriority(ticketId: string, priority: string | null): void;
  assign(ticketId: string, assignee: string | null): void;
  edit(ticketId: string, field: ConflictField, value: string | null): void;
  /** The device's view of a ticket's merged fields. */
  ticket(ticketId: string): { status: string; priority: string | null; assignee: string | null; title: string | null; description: string | null } | null;
  eventIds(ticketId: string): string[];
  ticketIds(): string[];
  close(): void;
}

export function memoryDevice(o: { deviceId: string; casePrefix?: string; clock: Clock; rand?: () => number }): Device & { store: MemorySyncStore } {
  const store = new MemorySyncStore({ deviceId: o.deviceId, casePrefix: o.casePrefix ?? 'K7', clock: o.clock, random: randomSource(o.rand ?? Math.random) });
  return {
    kind: 'memory',
    store,
    sync: store,
    createTicket: (title) => store.createTicket(title ? { title } : {}).ticketId,
    note: (id, text) => void store.addEvent(id, 'note', { text }),
    setStatus: (id, s) => void store.setStatus(id, s),
    setPriority: (id, p) => void store.setPriority(id, p),
    assign: (id, a) => void store.assign(id, a),
    edit: (id, f, v) => void store.edit(id, f, v),
    ticket: (id) => store.view(id),
    eventIds: (id) =>
      [...store.events.values()]
        .filter((e) => e.ticketId === id)
        .map((e) => e.id)
        .sort(),
    ticketIds: () => store.ticketIds(),
    close: () => {},
  };
}

export interface SqliteDevice extends Device {
  store: Store;
  dataDir: string;
  customerId: string;
}

export function sqliteDevice(o: { clock: Clock; dataDir?: string; machineId?: string }): SqliteDevice {
  const dataDir = o.dataDir ?? tempDir();
  const store = openStore({ dataDir, clock: o.clock, machineId: o.machineId ?? 'sync-test-machine', supportCodeLogN: 10 });
  let customerId = store.settings.get<string>('test.customer');
  if (!customerId) {
    // Written straight into the table: a customer this device already had, so the outbox starts empty
    // (tests of reference records create theirs through the repository, see records.test.ts).
    customerId = randomUUID();
    const now = o.clock.now();
    store.db.prepare('INSERT INTO customers (id, name, created_at, updated_at, hlc) VALUES (?, ?, ?, ?, ?)').run(customerId, 'Fjordkraft Drift AS', now, now, `${now}-0000-test`);
    store.settings.set('test.customer', customerId);
  }
  const cid = customerId;
  const field: Record<ConflictField, string> = {
    title: 'title',
    description: 'description',
    customerRef: 'customerRef',
    vendorRef: 'vendorRef',
    reporterName: 'reporterName',
    reporterPhone: 'reporterPhone',
  };
  return {
    kind: 'sqlite',
    store,
    dataDir,
    customerId: cid,
    sync: new DbSyncStore(store.sync),
    createTicket: (title) => store.tickets.register({ customerId: cid, channel: 'phone', ...(title ? { title } : {}) }).id,
    note: (id, text) => void store.tickets.appendEvent(id, { type: 'note', data: { text } }),
    setStatus: (id, s) => void store.tickets.appendEvent(id, { type: 'status', data: { status: s } }),
    setPriority: (id, p) => void store.tickets.update(id, { priority: p }),
    assign: (id, a) => void store.tickets.appendEvent(id, { type: 'assigned', data: { assignee: a } }),
    edit: (id, f, v) => void store.tickets.update(id, { [field[f]]: v }),
    ticket: (id) => {
      const t = store.tickets.get(id);
      return t ? { status: t.status, priority: t.priority, assignee: t.assignee, title: t.title, description: t.description } : null;
    },
    eventIds: (id) =>
      store.tickets
        .events(id)
        .map((e) => e.id)
        .sort(),
    ticketIds: () => (store.db.prepare('SELECT id FROM tickets ORDER BY id').all() as { id: string }[]).map((r) => r.id),
    close: () => store.close(),
  };
}

/** One full sync (push everything, pull to the end) through the real SyncWorker, without timers. */
export async function syncDevice(store: LocalSyncStore, transport: SyncTransport, clock: Clock): Promise<void> {
  const w = new SyncWorker({ store, transport, clock, pushBatch: 50, pullLimit: 7 });
  const s = await w.syncNow();
  if (s.state !== 'up_to_date') throw new Error(`sync failed: ${s.state} ${s.message ?? ''}`);
}

/** The instant the pulled test rows are stamped from. */
export const PULL_T0 = Date.UTC(2026, 3, 1, 8);

/** A ticket as the server sends it in a pull page, with `over` on top. */
export function remoteTicket(id: string, over: Partial<SyncTicket> = {}): SyncTicket {
  return {
    id,
    caseNumber: 'Q9-0001-S',
    customerId: 'cust-remote',
    channel: 'email',
    title: 'Lift stuck',
    description: null,
    customerRef: null,
    vendorRef: null,
    reporterName: null,
    reporterPhone: null,
    priority: 'P2',
    assignee: null,
    status: 'open',
    policy: null,
    createdAt: PULL_T0 - 3_600_000,
    createdBy: 'dev-r',
    fieldHlc: { status: `${PULL_T0 - 3_600_000}-0000-dev-r`, priority: `${PULL_T0 - 3_600_000}-0000-dev-r` },
    sla: null,
    nextDueAt: null,
    version: 1,
    ...over,
  };
}

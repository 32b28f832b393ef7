/**
 * A fleet of SQLite devices, each driven by the app's SyncService (enrolment
 * with a one-time code, token file, SyncWorker), against one real sync server
 * (PGlite, in-process Fastify) -- after Joplin's
 * setupDatabaseAndSynchronizer(n) / switchClient(n).
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { SyncStatusView } from '../../core/api/sync.js';
import type { FetchLike } from '../../main/sync/http-transport.js';
import { FileTokenStore } from '../../main/sync/token-store.js';
import { SyncService } from '../../main/sync/service.js';
import type { SyncServiceOptions } from '../../main/sync/service.js';
import type { TimerScheduler } from '../../main/sync/worker.js';
import { auth, injectFetch, makeApp, newTenant, sharedPglite, systemClock } from '../server/helpers.js';
import type { SqliteDevice } from './helpers.js';
import { cleanupTempDirs, sqliteDevice } from './helpers.js';

const noTimers: TimerScheduler = { setTimeout: () => 0, clearTimeout: () => {} };

export type Role = 'duty_officer' | 'technician' | 'admin';

export interface Client {
  d: SqliteDevice;
  sync: SyncService;
  changed: string[];
  /** Kinds of pulled records, as reported to the app (records.changed). */
  records: string[];
  statuses: SyncStatusView[];
}

/** What a test may change about a device: what its requests pass through, its photo queue. */
export interface ClientOptions {
  /** Sees each request on its way to the server (a test holding one back). */
  fetch?: (f: FetchLike) => FetchLike;
  /** The photo queue the sync service runs after each cycle (default: none). */
  attachments?: (d: SqliteDevice) => SyncServiceOptions['attachments'];
  /** What the app does when pulled records changed (awaited; their kinds are recorded either way). */
  onRecordsChanged?: (c: Client, kinds: string[]) => unknown;
}

export class Fleet {
  app!: FastifyInstance;
  admin = '';
  clients: Client[] = [];

  /** beforeAll: the server and a tenant with its admin token. */
  async start(): Promise<void> {
    this.app = await makeApp(await sharedPglite());
    this.admin = (await newTenant(await sharedPglite())).adminToken;
  }

  /** afterEach: every device's sync stopped and its store closed. */
  async clear(): Promise<void> {
    for (const c of this.clients) {
      await c.sync.dispose();
      c.d.close();
    }
    this.clients = [];
    cleanupTempDirs();
  }

  async stop(): Promise<void> {
    await this.app.close();
  }

  async code(role: Role = 'duty_officer'): Promise<string> {
    const r = await this.app.inject({ method: 'POST', url: '/v1/admin/enrolment-codes', headers: auth(this.admin), payload: { role, userName: `${role} ${this.clients.length}` } });
    expect(r.statusCode).toBe(201);
    return (r.json() as { code: string }).code;
  }

  /** setupDatabaseAndSynchronizer: a device with its own SQLite store and sync service (not yet enrolled). */
  setupClient(o: ClientOptions = {}): Client {
    const d = sqliteDevice({ clock: systemClock, machineId: `machine-${this.clients.length}` });
    const attachments = o.attachments?.(d);
    const c: Client = { d, changed: [], records: [], statuses: [], sync: undefined as unknown as SyncService };
    c.sync = new SyncService({
      repo: d.store.sync,
      activePrefix: () => d.store.caseNumbers.active(),
      tokens: new FileTokenStore(join(d.dataDir, 'sync-token')),
      clock: systemClock,
      onTicketsChanged: (ids) => void c.changed.push(...ids),
      onRecordsChanged: async (kinds) => {
        c.records.push(...kinds);
        await o.onRecordsChanged?.(c, kinds);
      },
      onStatus: (s) => void c.statuses.push(s),
      fetch: o.fetch ? o.fetch(injectFetch(this.app)) : injectFetch(this.app),
      ...(attachments ? { attachments } : {}),
      timers: noTimers,
      worker: { pullLimit: 3, pushBatch: 4 },
    });
    this.clients.push(c);
    return c;
  }

  async enrolled(role: Role = 'duty_officer', o: ClientOptions = {}): Promise<Client> {
    const c = this.setupClient(o);
    await c.sync.enrol('http://vakt.test/', await this.code(role), `device ${this.clients.length}`);
    return c;
  }
}

/** One full sync cycle per device, in the order given; each must end up to date. */
export async function sync(...cs: Client[]): Promise<void> {
  for (const c of cs) {
    const s = await c.sync.syncNow();
    expect(s.state, s.message ?? '').toBe('up_to_date');
  }
}

/**
 * Pokes: "this tenant has something new", told to every device connected to
 * `GET /v1/events` (server/events.ts), on every server process. The data still
 * travels by pull; a poke carries only the tenant, and the device whose push
 * caused it: that device's own streams are skipped (it pulls after its push in
 * the same sync cycle, main/sync/worker.ts), every other device is poked.
 *
 * - PGlite (one process): in-process, straight to the subscribers.
 * - PostgreSQL: `NOTIFY vakt_poke, '<tenantId>:<deviceId>'` (`'<tenantId>'`
 *   when no device caused it, the form every payload had before; it is still
 *   read as "poke every device"); each process holds one
 *   dedicated connection that `LISTEN`s and fans the notification out to its
 *   own subscribers (its own pokes come back the same way). When that
 *   connection breaks it reconnects (after 1 s, then up to 10 s) and pokes all
 *   its subscribers once: a poke sent meanwhile was lost, a pull finds it.
 *
 * A device's revocation travels the same way (`vakt_revoke`, the device id), so
 * every process forgets the device's cached token and ends its event stream at
 * once, not at the cache's expiry or the stream's next reconnect. A process
 * that was deaf for a while is told `null`: forget every cached token.
 */
import pg from 'pg';
import type { Queryable } from './db.js';

export const POKE_CHANNEL = 'vakt_poke';
export const REVOKE_CHANNEL = 'vakt_revoke';

export interface Pokes {
  /** Something of this tenant changed (after its transaction committed); `from`: the device whose push it was, not poked. Never throws. */
  poke(tenantId: string, from?: string): void;
  /** Calls `fn` on every poke of the tenant but those from `deviceId`'s own pushes; returns the unsubscribe. */
  subscribe(tenantId: string, deviceId: string, fn: () => void): () => void;
  /** An admin revoked this device (after the revocation committed): tell every process. Never throws. */
  revoked(deviceId: string): void;
  /** Calls `fn` on every revocation, on this process or another; `null`: some may have been missed, forget all. */
  onRevoked(fn: (deviceId: string | null) => void): void;
  close(): Promise<void>;
}

/** The NOTIFY payload of a poke: `tenantId`, or `tenantId:deviceId` when a device's push caused it (ids are UUIDs, no colon). */
export function pokePayload(tenantId: string, from?: string): string {
  return from ? `${tenantId}:${from}` : tenantId;
}

/** A poke's payload read back; a tenant alone (the old form) pokes every device. */
export function readPokePayload(payload: string): { tenantId: string; from?: string } {
  const i = payload.indexOf(':');
  return i < 0 ? { tenantId: payload } : { tenantId: payload.slice(0, i), from: payload.slice(i + 1) };
}

interface Subscriber {
  deviceId: string;
  fn: () => void;
}

class Subscribers {
  private readonly byTenant = new Map<string, Set<Subscriber>>();
  add(tenantId: string, deviceId: string, fn: () => void): () => void {
    let s = this.byTenant.get(tenantId);
    if (!s) this.byTenant.set(tenantId, (s = new Set()));
    const sub = { deviceId, fn };
    s.add(sub);
    return () => {
      s.delete(sub);
      if (s.size === 0 && this.byTenant.get(tenantId) === s) this.byTenant.delete(tenantId);
    };
  }
  fire(tenantId: string, from?: string): void {
    for (const sub of [...(this.byTenant.get(tenantId) ?? [])]) if (sub.deviceId !== from) sub.fn();
  }
  fireAll(): void {
    for (const t of [...this.byTenant.keys()]) this.fire(t);
  }
}

/** One process (PGlite, tests): pokes go straight to the subscribers. */
export function localPokes(): Pokes {
  const subs = new Subscribers();
  const revokes: Array<(deviceId: string | null) => void> = [];
  return {
    poke: (t, from) => subs.fire(t, from),
    subscribe: (t, d, fn) => subs.add(t, d, fn),
    revoked: (id) => revokes.forEach((fn) => fn(id)),
    onRevoked: (fn) => void revokes.push(fn),
    close: async () => undefined,
  };
}

/**
 * PostgreSQL: pokes through LISTEN/NOTIFY so that every server process on the database hears them.
 * `db` sends the NOTIFY (any pooled connection); `databaseUrl` opens the one listening connection.
 */
export async function postgresPokes(db: Queryable, databaseUrl: string, log: (msg: string, err?: unknown) => void = () => undefined): Promise<Pokes> {
  const subs = new Subscribers();
  const revokes: Array<(deviceId: string | null) => void> = [];
  let client: pg.Client | null = null;
  let closed = false;
  let retryMs = 1_000;
  let retry: NodeJS.Timeout | null = null;

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: databaseUrl });
    c.on('notification', (n) => {
      if (n.channel === POKE_CHANNEL && n.payload) {
        const { tenantId, from } = readPokePayload(n.payload);
        subs.fire(tenantId, from);
      }
      if (n.channel === REVOKE_CHANNEL && n.payload) for (const fn of revokes) fn(n.payload);
    });
    c.on('error', (e) => {
      log('pokes: the LISTEN connection failed; reconnecting', e);
      lost(c);
    });
    c.on('end', () => lost(c));
    await c.connect();
    await c.query(`LISTEN ${POKE_CHANNEL}; LISTEN ${REVOKE_CHANNEL}`);
    if (closed) {
      await c.end().catch(() => undefined);
      return;
    }
    client = c;
    retryMs = 1_000;
  };
  const lost = (c: pg.Client): void => {
    if (client !== c || closed) return;
    client = null;
    void c.end().catch(() => undefined);
    schedule();
  };
  const schedule = (): void => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = null;
      connect().then(
        () => {
          // What was poked or revoked while we were deaf: every device pulls once, every cached token is read again.
          for (const fn of revokes) fn(null);
          subs.fireAll();
        },
        (e: unknown) => {
          log('pokes: cannot LISTEN yet; retrying', e);
          retryMs = Math.min(10_000, retryMs * 2);
          schedule();
        },
      );
    }, retryMs);
    retry.unref();
  };

  await connect();
  return {
    poke(tenantId, from) {
      db.query('SELECT pg_notify($1, $2)', [POKE_CHANNEL, pokePayload(tenantId, from)]).catch((e: unknown) => log('pokes: NOTIFY failed', e));
    },
    subscribe: (t, d, fn) => subs.add(t, d, fn),
    revoked(deviceId) {
      db.query('SELECT pg_notify($1, $2)', [REVOKE_CHANNEL, deviceId]).catch((e: unknown) => log('pokes: NOTIFY of a revocation failed', e));
    },
    onRevoked: (fn) => void revokes.push(fn),
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}

/**
 * Tenants, users, devices and their tokens.
 *
 * A token is 256 random bits (`vakt_` + base64url), shown once; the server
 * keeps only its SHA-256 (a slow hash adds nothing for random 256-bit secrets
 * and would cost on every request). Enrolment codes are 60 random bits in
 * Crockford base32 (`XXXX-XXXX-XXXX`), single-use, expiring, stored hashed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createUuid7 } from '../core/ids/uuid7.js';
import { encodeBytes, encodeInt, normalizeSymbols } from '../core/ids/crockford.js';
import type { Clock } from '../core/clock.js';
import type { Role } from '../core/sync/mutations.js';
import type { Queryable } from './db.js';

export interface Principal {
  tenantId: string;
  deviceId: string;
  userId: string;
  role: Role;
  deviceName: string;
  /** The person's name as the admin enrolled them (a technician's own tickets are assigned to it). */
  userName: string;
}

export function newToken(): string {
  return `vakt_${randomBytes(32).toString('base64url')}`;
}

export function sha256Hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

export function newEnrolmentCode(): string {
  const s = encodeBytes(randomBytes(8), 12);
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}`;
}

/** Canonical form of a typed code (case, hyphens, spaces, I/L/O aliases); null when it is not a code. */
export function normalizeEnrolmentCode(code: string): string | null {
  try {
    const s = normalizeSymbols(code.replace(/[\s-]/g, ''));
    return s.length === 12 ? s : null;
  } catch {
    return null;
  }
}

export function idGenerator(clock: Clock): () => string {
  return createUuid7(clock, (n) => new Uint8Array(randomBytes(n)));
}

/**
 * Principals of recently seen tokens, for `ttlMs` (a syncing device sends several requests a
 * second; each would otherwise cost a database round trip). A revocation forgets the device at once,
 * on every server process (server/pokes.ts `revoked`); ttlMs bounds a change missed otherwise.
 */
export class PrincipalCache {
  private readonly m = new Map<string, { p: Principal; at: number }>();
  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 5_000,
    private readonly max = 20_000,
  ) {}

  get(tokenHash: string): Principal | undefined {
    const e = this.m.get(tokenHash);
    if (!e) return undefined;
    const age = this.clock.now() - e.at;
    if (age >= 0 && age < this.ttlMs) return e.p;
    this.m.delete(tokenHash);
    return undefined;
  }

  set(tokenHash: string, p: Principal): void {
    if (this.m.size >= this.max) this.m.clear();
    this.m.set(tokenHash, { p, at: this.clock.now() });
  }

  clear(): void {
    this.m.clear();
  }

  forgetDevice(deviceId: string): void {
    for (const [k, e] of this.m) if (e.p.deviceId === deviceId) this.m.delete(k);
  }
}

/** Resolves a bearer token: the principal, 'revoked', or null (unknown). */
export async function authenticate(db: Queryable, token: string, cache?: PrincipalCache): Promise<Principal | 'revoked' | null> {
  const hash = sha256Hex(token);
  const hit = cache?.get(hash);
  if (hit) return hit;
  const r = await db.query<{ id: string; tenant_id: string; user_id: string; role: Role; name: string; user_name: string; revoked_at: number | null }>(
    `SELECT d.id, d.tenant_id, d.user_id, u.role, d.name, u.name AS user_name, d.revoked_at
       FROM devices d JOIN users u ON u.id = d.user_id WHERE d.token_hash = $1`,
    [hash],
  );
  const row = r.rows[0];
  if (!row) return null;
  if (row.revoked_at !== null) return 'revoked';
  const p: Principal = { tenantId: row.tenant_id, deviceId: row.id, userId: row.user_id, role: row.role, deviceName: row.name, userName: row.user_name };
  cache?.set(hash, p);
  return p;
}

export interface CreatedTenant {
  tenantId: string;
  userId: string;
  deviceId: string;
  token: string;
}

/** A tenant of that name exists (names are compared without case and surrounding spaces). */
export class TenantExistsError extends Error {
  override name = 'TenantExistsError';
  constructor(
    readonly tenantName: string,
    readonly tenantId: string,
  ) {
    super(`a tenant named "${tenantName}" exists already (${tenantId}); choose another name`);
  }
}

/** Creates a tenant with an admin user and an admin token (a device named `deviceName`); a taken name is refused (TenantExistsError). */
export async function createTenant(db: Queryable, clock: Clock, opts: { name: string; adminName?: string; deviceName?: string }): Promise<CreatedTenant> {
  const id = idGenerator(clock);
  const now = clock.now();
  const tenantId = id();
  const userId = id();
  const deviceId = id();
  const token = newToken();
  const taken = await db.query<{ id: string; name: string }>('SELECT id, name FROM tenants WHERE lower(btrim(name)) = lower(btrim($1)) LIMIT 1', [opts.name]);
  if (taken.rows[0]) throw new TenantExistsError(taken.rows[0].name, taken.rows[0].id);
  await db.query('INSERT INTO tenants (id, name, created_at) VALUES ($1, $2, $3)', [tenantId, opts.name, now]);
  await db.query('INSERT INTO users (id, tenant_id, name, role, created_at) VALUES ($1, $2, $3, $4, $5)', [userId, tenantId, opts.adminName ?? 'admin', 'admin', now]);
  await db.query('INSERT INTO devices (id, tenant_id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
    deviceId,
    tenantId,
    userId,
    opts.deviceName ?? 'admin token (bootstrap)',
    sha256Hex(token),
    now,
  ]);
  return { tenantId, userId, deviceId, token };
}

/** Creates a first tenant when there is none; null when one exists. */
export async function bootstrapIfEmpty(db: Queryable, clock: Clock, name = 'default'): Promise<CreatedTenant | null> {
  const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM tenants');
  if ((r.rows[0]?.n ?? 0) > 0) return null;
  return createTenant(db, clock, { name });
}

/** The next enrolled case prefix of a tenant: 2 Crockford symbols, growing to 3 and 4. */
export function prefixFor(n: number): string {
  return encodeInt(n, 2);
}

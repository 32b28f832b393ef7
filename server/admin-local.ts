/**
 * What only the server's operator may do, across tenants: create a tenant, list them, issue a new
 * admin token for one (a lost token). The proof is local: at start the server writes a fresh random
 * secret to `<data dir>/admin-proof` (mode 0600, next to the data dir's lock, removed at close);
 * whoever can read that file (the lock owner's user, root) may call `/v1/local/*` with it as
 * the bearer token. `vakt server admin tenant|admin-token --data-dir D` reads it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import { LOCAL_PROOF_FILE } from '../core/sync/protocol.js';
import { TenantExistsError, createTenant, idGenerator, newToken, sha256Hex } from './auth.js';
import { parseBody } from './bodies.js';
import type { Db } from './db.js';

export const LOCAL_PREFIX = '/v1/local/';

/** Writes a fresh proof into the data dir; returns its hash and the remover. */
export function writeLocalProof(dataDir: string): { hash: string; remove(): void } {
  const file = path.join(dataDir, LOCAL_PROOF_FILE);
  const proof = `vakt_local_${randomBytes(32).toString('base64url')}`;
  rmSync(file, { force: true });
  writeFileSync(file, `${proof}\n`, { mode: 0o600, flag: 'wx' });
  return { hash: sha256Hex(proof), remove: () => rmSync(file, { force: true }) };
}

type Fail = (status: number, code: string, message: string) => Error;

const tenantRequest = z.object({ name: z.string().trim().min(1).max(200), adminName: z.string().trim().min(1).max(200).optional() }).strict();
const tokenRequest = z.object({ tenant: z.string().trim().min(1).max(200), deviceName: z.string().trim().min(1).max(200).optional() }).strict();

const TENANT_LOCK = 'SELECT pg_advisory_xact_lock(7461232)';

export function registerLocalAdmin(app: FastifyInstance, o: { db: Db; clock: Clock; proofHash: string | null; fail: Fail }): void {
  const { db, clock, fail } = o;
  const expected = o.proofHash ? Buffer.from(o.proofHash, 'hex') : null;
  const local = (req: FastifyRequest) => {
    if (!expected) throw fail(404, 'not_found', 'This server was started without a data dir proof; local administration is off.');
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const got = token ? Buffer.from(sha256Hex(token), 'hex') : null;
    if (!got || !timingSafeEqual(got, expected)) throw fail(401, 'unauthorized', `Local administration needs the proof in the server's data dir (${LOCAL_PROOF_FILE}), as the bearer token.`);
  };

  app.post(`${LOCAL_PREFIX}tenants`, async (req, reply) => {
    local(req);
    const b = parseBody(tenantRequest, req.body, fail);
    try {
      const t = await db.transaction(async (tx) => {
        await tx.query(TENANT_LOCK);
        return createTenant(tx, clock, { name: b.name, ...(b.adminName ? { adminName: b.adminName } : {}), deviceName: 'admin token (vakt server admin tenant create)' });
      });
      req.log.info({ tenantId: t.tenantId }, 'tenant created');
      return reply.code(201).send({ tenantId: t.tenantId, name: b.name, token: t.token });
    } catch (e) {
      if (e instanceof TenantExistsError) throw fail(409, 'tenant_exists', `name: ${e.message}`);
      throw e;
    }
  });

  app.get(`${LOCAL_PREFIX}tenants`, async (req) => {
    local(req);
    const r = await db.query<{ id: string; name: string; created_at: number; devices: number; users: number }>(
      `SELECT t.id, t.name, t.created_at,
              (SELECT count(*)::int FROM devices d WHERE d.tenant_id = t.id AND d.revoked_at IS NULL) AS devices,
              (SELECT count(*)::int FROM users u WHERE u.tenant_id = t.id) AS users
         FROM tenants t ORDER BY t.created_at, t.id`,
    );
    return { tenants: r.rows.map((t) => ({ id: t.id, name: t.name, createdAt: Number(t.created_at), users: t.users, devices: t.devices })) };
  });

  app.post(`${LOCAL_PREFIX}admin-tokens`, async (req, reply) => {
    local(req);
    const b = parseBody(tokenRequest, req.body, fail);
    const newId = idGenerator(clock);
    const out = await db.transaction(async (tx) => {
      const t = (await tx.query<{ id: string; name: string }>('SELECT id, name FROM tenants WHERE id = $1 OR lower(btrim(name)) = lower($1) ORDER BY (id = $1) DESC LIMIT 1', [b.tenant])).rows[0];
      if (!t) throw fail(404, 'not_found', `tenant: no tenant with the id or name "${b.tenant}" (see \`tenant list\`)`);
      const now = clock.now();
      let userId = (await tx.query<{ id: string }>(`SELECT id FROM users WHERE tenant_id = $1 AND role = 'admin' ORDER BY created_at, id LIMIT 1`, [t.id])).rows[0]?.id;
      if (!userId) {
        userId = newId();
        await tx.query(`INSERT INTO users (id, tenant_id, name, role, created_at) VALUES ($1,$2,'admin','admin',$3)`, [userId, t.id, now]);
      }
      const deviceId = newId();
      const token = newToken();
      await tx.query('INSERT INTO devices (id, tenant_id, user_id, name, token_hash, created_at) VALUES ($1,$2,$3,$4,$5,$6)', [
        deviceId,
        t.id,
        userId,
        b.deviceName ?? 'admin token (vakt server admin admin-token issue)',
        sha256Hex(token),
        now,
      ]);
      return { tenantId: t.id, tenantName: t.name, deviceId, token };
    });
    req.log.info({ tenantId: out.tenantId, deviceId: out.deviceId }, 'admin token issued');
    return reply.code(201).send(out);
  });
}

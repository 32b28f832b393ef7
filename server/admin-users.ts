/**
 * The tenant's people, for its admin token: `GET/POST /v1/admin/users` and an enrolment code for
 * an existing user (`POST /v1/admin/users/:id/enrolment-codes`: another device of the same person).
 * `POST /v1/admin/enrolment-codes` (server/app.ts) still makes a user and a code in one go.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import { ROLES } from '../core/sync/mutations.js';
import type { Principal } from './auth.js';
import { idGenerator, newEnrolmentCode, normalizeEnrolmentCode, sha256Hex } from './auth.js';
import { parseBody } from './bodies.js';
import type { Db } from './db.js';

type Fail = (status: number, code: string, message: string) => Error;

const userRequest = z.object({ name: z.string().trim().min(1).max(200), role: z.enum(ROLES) }).strict();
const codeRequest = z
  .object({
    ttlMinutes: z
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 30)
      .default(60 * 24),
  })
  .strict();

interface UserRow {
  id: string;
  name: string;
  role: string;
  created_at: number;
  devices: number;
}
const userJson = (u: UserRow) => ({ id: u.id, name: u.name, role: u.role, createdAt: Number(u.created_at), devices: u.devices });

export function registerAdminUsers(app: FastifyInstance, o: { db: Db; clock: Clock; admin: (req: FastifyRequest) => Principal; fail: Fail }): void {
  const { db, clock, fail } = o;
  const newId = idGenerator(clock);

  app.get('/v1/admin/users', async (req) => {
    const p = o.admin(req);
    const r = await db.query<UserRow>(
      `SELECT u.id, u.name, u.role, u.created_at,
              (SELECT count(*)::int FROM devices d WHERE d.user_id = u.id AND d.revoked_at IS NULL) AS devices
         FROM users u WHERE u.tenant_id = $1 ORDER BY u.created_at, u.id`,
      [p.tenantId],
    );
    return { users: r.rows.map(userJson) };
  });

  app.post('/v1/admin/users', async (req, reply) => {
    const p = o.admin(req);
    const b = parseBody(userRequest, req.body, fail);
    const id = newId();
    const r = await db.query<UserRow>(`INSERT INTO users (id, tenant_id, name, role, created_at) VALUES ($1,$2,$3,$4,$5) RETURNING id, name, role, created_at, 0 AS devices`, [
      id,
      p.tenantId,
      b.name,
      b.role,
      clock.now(),
    ]);
    req.log.info({ user: id, by: p.deviceId }, 'user created');
    return reply.code(201).send(userJson(r.rows[0] as UserRow));
  });

  app.post<{ Params: { id: string } }>('/v1/admin/users/:id/enrolment-codes', async (req, reply) => {
    const p = o.admin(req);
    const b = parseBody(codeRequest, req.body, fail);
    const u = (await db.query<{ id: string; role: string }>('SELECT id, role FROM users WHERE tenant_id = $1 AND id = $2', [p.tenantId, req.params.id])).rows[0];
    if (!u) throw fail(404, 'not_found', `No user ${req.params.id} in this tenant (see \`user list\`).`);
    const code = newEnrolmentCode();
    const now = clock.now();
    const expiresAt = now + b.ttlMinutes * 60_000;
    await db.query('INSERT INTO enrolment_codes (code_hash, tenant_id, user_id, created_by, created_at, expires_at) VALUES ($1,$2,$3,$4,$5,$6)', [
      sha256Hex(normalizeEnrolmentCode(code) as string),
      p.tenantId,
      u.id,
      p.deviceId,
      now,
      expiresAt,
    ]);
    return reply.code(201).send({ code, userId: u.id, role: u.role, expiresAt });
  });
}

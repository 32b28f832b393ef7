/**
 * The tenant's devices, for its admin token: a user with an enrolment code in one go
 * (`POST /v1/admin/enrolment-codes`), the devices (`GET /v1/admin/devices`), a device's revocation
 * (`POST /v1/admin/devices/:id/revoke`, told to every server process: server/pokes.ts), and the
 * tenant's SLA contract (`PUT /v1/admin/sla-contract`). The people are server/admin-users.ts.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Clock } from '../core/clock.js';
import { enrolmentCodeRequest } from '../core/sync/mutations.js';
import type { Principal } from './auth.js';
import { idGenerator, newEnrolmentCode, normalizeEnrolmentCode, sha256Hex } from './auth.js';
import type { Db } from './db.js';

export interface AdminDevicesDeps {
  db: Db;
  clock: Clock;
  /** The admin's principal, or throws 401/403. */
  admin: (req: FastifyRequest) => Principal;
  fail: (status: number, code: string, message: string) => Error;
  /** The request body checked by `schema`, or throws 400 naming the field. */
  parse: <S extends z.ZodType>(schema: S, body: unknown) => z.infer<S>;
  /** A device was revoked (committed): forget it here and tell the other processes. */
  revoked: (deviceId: string) => void;
}

export function registerAdminDevices(app: FastifyInstance, o: AdminDevicesDeps): void {
  const { db, clock } = o;
  const newId = idGenerator(clock);

  app.post('/v1/admin/enrolment-codes', async (req, reply) => {
    const p = o.admin(req);
    const body = o.parse(enrolmentCodeRequest, req.body);
    const code = newEnrolmentCode();
    const now = clock.now();
    const userId = newId();
    const expiresAt = now + body.ttlMinutes * 60_000;
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO users (id, tenant_id, name, role, created_at) VALUES ($1,$2,$3,$4,$5)', [userId, p.tenantId, body.userName, body.role, now]);
      await tx.query('INSERT INTO enrolment_codes (code_hash, tenant_id, user_id, created_by, created_at, expires_at) VALUES ($1,$2,$3,$4,$5,$6)', [
        sha256Hex(normalizeEnrolmentCode(code) as string),
        p.tenantId,
        userId,
        p.deviceId,
        now,
        expiresAt,
      ]);
    });
    return reply.code(201).send({ code, userId, role: body.role, expiresAt });
  });

  app.get('/v1/admin/devices', async (req) => {
    const p = o.admin(req);
    const r = await db.query<Record<string, unknown>>(
      `SELECT d.id, d.name, d.case_prefix, d.last_seq, d.created_at, d.revoked_at, u.name AS user_name, u.role
         FROM devices d JOIN users u ON u.id = d.user_id WHERE d.tenant_id = $1 ORDER BY d.created_at, d.id`,
      [p.tenantId],
    );
    return {
      devices: r.rows.map((d) => ({
        id: d.id,
        name: d.name,
        casePrefix: d.case_prefix,
        lastSeq: d.last_seq,
        createdAt: d.created_at,
        revokedAt: d.revoked_at,
        userName: d.user_name,
        role: d.role,
      })),
    };
  });

  app.post<{ Params: { id: string } }>('/v1/admin/devices/:id/revoke', async (req) => {
    const p = o.admin(req);
    const r = await db.query('UPDATE devices SET revoked_at = coalesce(revoked_at, $3) WHERE id = $1 AND tenant_id = $2', [req.params.id, p.tenantId, clock.now()]);
    if (r.rowCount === 0) throw o.fail(404, 'not_found', 'No such device in your tenant.');
    o.revoked(req.params.id);
    req.log.info({ device: req.params.id, by: p.deviceId }, 'device revoked');
    return { id: req.params.id, revoked: true };
  });

  app.put('/v1/admin/sla-contract', async (req) => {
    const p = o.admin(req);
    const { checkContract } = await import('../core/sla/index.js');
    const issues = checkContract(req.body);
    if (issues.length) throw o.fail(400, 'invalid_contract', issues.map((i) => `${i.path}: ${i.message}`).join('; '));
    await db.query('UPDATE tenants SET sla_contract = $2::jsonb WHERE id = $1', [p.tenantId, JSON.stringify(req.body)]);
    return { ok: true };
  });
}

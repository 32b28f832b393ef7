/**
 * Monitoring integrations on the sync server (docs/availability.md):
 *
 * - `POST /v1/admin/integration-keys` `{name, contractId, serviceId, checkUrl?, checkEveryMinutes?}`
 *   (admin): a key for one service of a contract, shown once, stored as its SHA-256;
 *   `GET /v1/admin/integration-keys`; `POST /v1/admin/integration-keys/:id/revoke`.
 *   `vakt server admin integration-key create|list|revoke` calls these.
 * - `POST /v1/integrations/alertmanager` (Alertmanager webhook v4, `Authorization: Bearer <key>`)
 *   and `POST /v1/integrations/events` (PagerDuty Events API v2, `routing_key` = the key). No
 *   version headers (monitoring tools do not send them). An unknown or revoked key: 401; a
 *   malformed body: 400 naming the field; either way nothing is stored.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import type { Principal } from '../auth.js';
import { idGenerator, sha256Hex } from '../auth.js';
import type { Db } from '../db.js';
import type { SlaDeriver } from '../sla.js';
import { windowText } from '../limits.js';
import type { WindowCounter } from '../limits.js';
import { MonitorRejected, MonitorWriter } from './monitor.js';
import { IntegrationTargetError, recordMonitorEvents } from './outages.js';
import type { IntegrationKey } from './outages.js';
import { BodyError, parseAlertmanager, parseEventsV2, routingKeyOf } from './payloads.js';
import type { MonitorEvent } from './payloads.js';
import type { OutageSource } from '../../core/agreements/outage-record.js';
import { UrlChecker } from './url-checks.js';

type Fail = (status: number, code: string, message: string) => Error;

export interface IntegrationDeps {
  db: Db;
  clock: Clock;
  deriveSla: SlaDeriver;
  /** The admin principal of the request, or throws 401/403. */
  admin: (req: FastifyRequest) => Principal;
  fail: Fail;
  /** The server's own URL checks: how often the timer looks for due checks; false: not run (tests call runDue). */
  urlChecks?: { tickMs: number } | false;
  log?: (msg: string, err?: unknown) => void;
  /**
   * Failed authentications per client address (the server's counter for bad device tokens): each
   * key lookup is counted before it and given back when the key is good; none: not limited.
   */
  authFails?: WindowCounter;
  /** A push applied for the tenant: its devices are poked. */
  changed?: (tenantId: string) => void;
}

export const INTEGRATIONS_PREFIX = '/v1/integrations/';

const createKeyRequest = z
  .object({
    name: z.string().trim().min(1).max(200),
    contractId: z.string().min(1).max(100),
    serviceId: z.string().min(1).max(100),
    checkUrl: z
      .url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' })
      .max(2000)
      .nullable()
      .optional(),
    checkEveryMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .nullable()
      .optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.checkEveryMinutes != null && !b.checkUrl) ctx.addIssue({ code: 'custom', path: ['checkUrl'], message: 'checkEveryMinutes needs a checkUrl' });
  });

interface KeyRow {
  id: string;
  tenant_id: string;
  name: string;
  contract_id: string;
  service_id: string;
  check_url: string | null;
  check_every_minutes: number | null;
  created_at: number;
  revoked_at: number | null;
}

export const keyJson = (r: KeyRow) => ({
  id: r.id,
  name: r.name,
  contractId: r.contract_id,
  serviceId: r.service_id,
  checkUrl: r.check_url,
  checkEveryMinutes: r.check_every_minutes === null ? null : Number(r.check_every_minutes),
  createdAt: Number(r.created_at),
  revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
});
export const keyOf = (r: KeyRow): IntegrationKey => ({ id: r.id, tenantId: r.tenant_id, name: r.name, contractId: r.contract_id, serviceId: r.service_id });

function parse<S extends z.ZodType>(schema: S, body: unknown, fail: Fail): z.infer<S> {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  const i = r.error.issues[0];
  throw fail(400, 'invalid_request', `${i?.path.join('.') || 'body'}: ${i?.message ?? 'invalid'}`);
}

export function registerIntegrations(app: FastifyInstance, deps: IntegrationDeps): { writer: MonitorWriter; checker: UrlChecker } {
  const { db, clock, fail } = deps;
  const writer = new MonitorWriter(db, clock, deps.deriveSla, deps.changed);
  const checker = new UrlChecker({ db, clock, writer, ...(deps.log ? { log: deps.log } : {}) });
  const urlChecks = deps.urlChecks;
  if (urlChecks) {
    app.addHook('onReady', async () => checker.start(urlChecks.tickMs));
    app.addHook('onClose', async () => checker.stop());
  }
  const newId = idGenerator(clock);

  app.post('/v1/admin/integration-keys', async (req, reply) => {
    const p = deps.admin(req);
    const b = parse(createKeyRequest, req.body, fail);
    const c = (
      await db.query<{ data: { services?: { id?: unknown }[] | null; agreementNumber?: string } }>(`SELECT data FROM records WHERE tenant_id = $1 AND id = $2 AND kind = 'contract'`, [
        p.tenantId,
        b.contractId,
      ])
    ).rows[0];
    if (!c) throw fail(400, 'invalid_request', `contractId: no contract ${b.contractId} on the server (sync it from a device first)`);
    const services = (c.data.services ?? []).map((s) => String(s.id));
    if (!services.includes(b.serviceId))
      throw fail(400, 'invalid_request', `serviceId: contract ${c.data.agreementNumber ?? b.contractId} has no service "${b.serviceId}" (services: ${services.join(', ') || 'none'})`);
    const key = `vakt_int_${randomBytes(32).toString('base64url')}`;
    const id = newId();
    const r = await db.query<KeyRow>(
      `INSERT INTO integration_keys (id, tenant_id, key_hash, name, contract_id, service_id, check_url, check_every_minutes, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING *`,
      [id, p.tenantId, sha256Hex(key), b.name, b.contractId, b.serviceId, b.checkUrl ?? null, b.checkUrl ? (b.checkEveryMinutes ?? 15) : null, clock.now()],
    );
    req.log.info({ integrationKey: id, by: p.deviceId }, 'integration key created');
    return reply.code(201).send({ ...keyJson(r.rows[0] as KeyRow), key });
  });

  app.get('/v1/admin/integration-keys', async (req) => {
    const p = deps.admin(req);
    const r = await db.query<KeyRow>('SELECT * FROM integration_keys WHERE tenant_id = $1 ORDER BY created_at, id', [p.tenantId]);
    return { items: r.rows.map(keyJson) };
  });

  app.post<{ Params: { id: string } }>('/v1/admin/integration-keys/:id/revoke', async (req) => {
    const p = deps.admin(req);
    const r = await db.query<KeyRow>('UPDATE integration_keys SET revoked_at = COALESCE(revoked_at, $3) WHERE tenant_id = $1 AND id = $2 RETURNING *', [p.tenantId, req.params.id, clock.now()]);
    if (!r.rows[0]) throw fail(404, 'not_found', `No integration key ${req.params.id} in this tenant.`);
    return keyJson(r.rows[0]);
  });

  const keyByToken = async (req: FastifyRequest, reply: FastifyReply, token: string | null): Promise<IntegrationKey> => {
    const limit = deps.authFails;
    const ip = `ip:${req.ip}`;
    if (limit && !limit.take(ip)) {
      void reply.header('retry-after', String(limit.retryAfterS(ip)));
      throw fail(
        429,
        'rate_limited',
        `Too many requests that failed authentication from this address: at most ${limit.limit.max} per ${windowText(limit.limit.timeWindowMs)}. Retry after ${limit.retryAfterS(ip)} s.`,
      );
    }
    const r = token ? (await db.query<KeyRow>('SELECT * FROM integration_keys WHERE key_hash = $1 AND revoked_at IS NULL', [sha256Hex(token)])).rows[0] : undefined;
    if (!r) throw fail(401, 'unauthorized', 'Unknown or revoked integration key.');
    limit?.refund(ip);
    return keyOf(r);
  };
  const record = async (key: IntegrationKey, source: OutageSource, events: MonitorEvent[]) => {
    try {
      return await recordMonitorEvents({ db, clock, writer }, key, source, events);
    } catch (e) {
      if (e instanceof IntegrationTargetError) throw fail(409, 'integration_target', e.message);
      if (e instanceof MonitorRejected) throw fail(409, e.result.reason ?? 'rejected', `The server refused to record this: ${e.result.message ?? e.result.reason}`);
      throw e;
    }
  };
  const body = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      if (e instanceof BodyError) throw fail(400, 'invalid_request', e.message);
      throw e;
    }
  };

  app.post(`${INTEGRATIONS_PREFIX}alertmanager`, async (req, reply) => {
    const auth = req.headers.authorization;
    const key = await keyByToken(req, reply, (auth && /^Bearer\s+(\S+)$/i.exec(auth)?.[1]) || null);
    const events = body(() => parseAlertmanager(req.body));
    const outcomes = await record(key, 'alertmanager', events);
    return { status: 'success', outcomes };
  });

  app.post(`${INTEGRATIONS_PREFIX}events`, async (req, reply) => {
    const token = routingKeyOf(req.body);
    if (!token) throw fail(400, 'invalid_request', 'routing_key: required (the integration key)');
    const key = await keyByToken(req, reply, token);
    const event = body(() => parseEventsV2(req.body, () => newId()));
    const [outcome] = await record(key, 'events', [event]);
    return reply.code(202).send({ status: 'success', message: 'Event processed', dedup_key: event.dedupKey, outcome });
  });

  return { writer, checker };
}

/**
 * The sync server: Fastify app over a `Db` (PostgreSQL or PGlite).
 * Routes are listed in docs/sync.md and served as OpenAPI at /openapi.json.
 */
import path from 'node:path';
import Fastify, { LogController } from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { z } from 'zod';
import type { Clock } from '../core/clock.js';
import { normalizePrefix, prefixKind } from '../core/ids/case-number.js';
import { HEADER_PROTOCOL, HEADER_SCHEMA, MIN_PROTOCOL_VERSION, MIN_SCHEMA_VERSION, PROTOCOL_VERSION, SCHEMA_VERSION, DEFAULT_PULL_LIMIT } from '../core/sync/protocol.js';
import { enrolRequest, pullRequest, pushRequest } from '../core/sync/mutations.js';
import type { EnrolResponse, Role } from '../core/sync/mutations.js';
import { AttachmentError, AttachmentStore } from './attachments.js';
import { registerAttachmentRoutes } from './attachment-routes.js';
import { PrincipalCache, authenticate, idGenerator, newToken, normalizeEnrolmentCode, prefixFor, sha256Hex } from './auth.js';
import type { Principal } from './auth.js';
import type { Db } from './db.js';
import { JsonBodyError, keepConnectionAfterRefusedBody, limitJsonDepth } from './bodies.js';
import { WindowCounter, windowText } from './limits.js';
import type { WindowLimit } from './limits.js';
import { Metrics } from './metrics.js';
import { openApiDocument } from './openapi.js';
import { applyPush } from './push.js';
import { CursorError, pullJson } from './pull.js';
import { deriveSla } from './sla.js';
import type { SlaDeriver } from './sla.js';
import { INTEGRATIONS_PREFIX, registerIntegrations } from './integrations/routes.js';
import { registerEvents } from './events.js';
import { LOCAL_PREFIX, registerLocalAdmin } from './admin-local.js';
import { registerAdminDevices } from './admin-devices.js';
import { registerAdminUsers } from './admin-users.js';
import { localPokes } from './pokes.js';
import type { Pokes } from './pokes.js';

export interface ServerOptions {
  db: Db;
  clock: Clock;
  /** Attachments go to `<dataDir>/attachments`. */
  dataDir: string;
  logger?: FastifyServerOptions['logger'];
  /** JSON body limit in bytes (default 4 MiB). */
  bodyLimit?: number;
  /** Largest attachment chunk per PUT (default 8 MiB). */
  chunkLimit?: number;
  /** Largest attachment (default 100 MiB). */
  maxAttachmentBytes?: number;
  /**
   * Requests per window per device token (keyed on the token's device, whatever the header's spelling);
   * false disables every limit below. Default 1200 per minute.
   */
  rateLimit?: WindowLimit | false;
  /** Requests that fail authentication (bad, revoked or no token), per client address. Default 60 per minute. */
  authFailRateLimit?: WindowLimit;
  /** Failed enrolments per client address, and per code. Default 20 per 10 minutes. */
  enrolRateLimit?: WindowLimit;
  /**
   * Whom to believe about the client's address (`X-Forwarded-For`), for the limits above: Fastify's
   * `trustProxy` (true, a hop count, or the proxy's addresses/CIDRs). Set it when a proxy is in front.
   */
  trustProxy?: boolean | number | string | string[];
  deriveSla?: SlaDeriver;
  /** The server's own URL checks of integration keys (docs/availability.md): timer tick; off unless given (`vakt server`: every minute). */
  urlChecks?: { tickMs: number } | false;
  /** Who hears of changes (GET /v1/events): default in-process; `vakt server` on PostgreSQL passes LISTEN/NOTIFY (server/pokes.ts). */
  pokes?: Pokes;
  /** SHA-256 of the data dir's local proof (server/admin-local.ts); none: `/v1/local/*` is off. */
  localProofHash?: string;
  /** Comment line on idle event streams (default 25 s). */
  eventsHeartbeatMs?: number;
  /** Test hook: runs inside each push transaction just before COMMIT. */
  beforePushCommit?: () => Promise<void>;
  /** Test hook: runs after a push committed, before the reply. */
  afterPushCommit?: () => Promise<void>;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyInstance {
    metrics: Metrics;
  }
}

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function parse<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const r = schema.safeParse(body ?? {});
  if (!r.success) {
    const i = r.error.issues[0];
    throw new HttpError(400, 'invalid_request', `${i?.path.join('.') || 'body'}: ${i?.message ?? 'invalid'}`);
  }
  return r.data;
}

function principal(req: FastifyRequest, roles?: readonly Role[]): Principal {
  const p = req.principal;
  if (!p) throw new HttpError(401, 'unauthorized', 'A device token is required (Authorization: Bearer ...).');
  if (roles && !roles.includes(p.role)) throw new HttpError(403, 'forbidden', `This needs the role ${roles.join(' or ')}; this device's user is ${p.role}.`);
  return p;
}

const ALL_ROLES: readonly Role[] = ['duty_officer', 'technician', 'admin'];
const ADMIN: readonly Role[] = ['admin'];

export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const { db, clock } = opts;
  const metrics = new Metrics();
  const newId = idGenerator(clock);
  const principals = new PrincipalCache(clock);
  const attachments = new AttachmentStore(path.join(opts.dataDir, 'attachments'), opts.maxAttachmentBytes ?? 100 * 1024 * 1024);
  const chunkLimit = opts.chunkLimit ?? 8 * 1024 * 1024;
  const app = Fastify({
    logger: opts.logger ?? false,
    // One line per request (the onResponse hook below), not Fastify's two ("incoming request", "request completed").
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: opts.bodyLimit ?? 4 * 1024 * 1024,
    // (Fastify takes a hop count too; its types do not say so.)
    ...(opts.trustProxy !== undefined ? { trustProxy: opts.trustProxy as FastifyServerOptions['trustProxy'] } : {}),
  });
  const limited = opts.rateLimit !== false;
  const authFails = new WindowCounter(clock, opts.authFailRateLimit ?? { max: 60, timeWindowMs: 60_000 });
  const enrolRl = opts.enrolRateLimit ?? { max: 20, timeWindowMs: 10 * 60_000 };
  const enrolFailsBySource = new WindowCounter(clock, enrolRl);
  const enrolFailsByCode = new WindowCounter(clock, enrolRl);
  const tooMany = (reply: FastifyReply, c: WindowCounter, key: string, what: string) =>
    reply
      .code(429)
      .header('retry-after', String(c.retryAfterS(key)))
      .send({
        error: 'rate_limited',
        message: `Too many ${what}: at most ${c.limit.max} per ${windowText(c.limit.timeWindowMs)}. Retry after ${c.retryAfterS(key)} s.`,
      });

  app.decorate('metrics', metrics);
  const pokes = opts.pokes ?? localPokes();
  const changed = (tenantId: string) => pokes.poke(tenantId);
  const events = registerEvents(app, { pokes, principal: (req) => principal(req, ALL_ROLES), ...(opts.eventsHeartbeatMs ? { heartbeatMs: opts.eventsHeartbeatMs } : {}) });
  // A revoked device: its cached token and its event streams go, on this process and (through the pokes) every other.
  const forgetDevice = (deviceId: string | null) => {
    if (deviceId === null) return principals.clear();
    principals.forgetDevice(deviceId);
    events.dropDevice(deviceId);
  };
  pokes.onRevoked(forgetDevice);
  limitJsonDepth(app);
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string; error?: string }, req, reply) => {
    if (err instanceof HttpError) return reply.code(err.statusCode).send({ error: err.code, message: err.message });
    if (err instanceof AttachmentError) {
      if (err.offset !== undefined) void reply.header('upload-offset', String(err.offset));
      return reply.code(err.status).send({ error: err.code, message: err.message });
    }
    if (err instanceof JsonBodyError) return reply.code(400).send({ error: 'invalid_request', message: err.message });
    if (err.statusCode === 429) return reply.code(429).send({ error: 'rate_limited', message: err.message });
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      keepConnectionAfterRefusedBody(req, reply);
      return reply.code(413).send({
        error: 'body_too_large',
        message: `The request body is larger than the server accepts here (${req.routeOptions.bodyLimit ?? opts.bodyLimit} bytes). Send fewer changes per request, or attachments in smaller chunks.`,
      });
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return reply.code(err.statusCode).send({ error: 'bad_request', message: err.message });
    req.log.error({ err }, 'request failed');
    return reply.code(500).send({ error: 'internal', message: 'The server failed; the request was not applied. Try again.' });
  });

  app.addHook('onResponse', async (req, reply) => {
    req.log.info({ req: { method: req.method, url: req.url, remoteAddress: req.ip }, res: { statusCode: reply.statusCode }, responseTime: reply.elapsedTime }, 'request');
    metrics.observeRequest(req.method, req.routeOptions.url ?? 'unknown', reply.statusCode, reply.elapsedTime / 1000);
  });

  if (limited) {
    const rl = opts.rateLimit || { max: 1200, timeWindowMs: 60_000 };
    await app.register(rateLimit, {
      global: true,
      max: rl.max,
      timeWindow: rl.timeWindowMs,
      // After the authentication hook (onRequest): keyed on the token's device, not on the header's text.
      hook: 'preParsing',
      keyGenerator: (req) => (req.principal ? `d:${req.principal.deviceId}` : `ip:${req.ip}`),
      errorResponseBuilder: (_req, ctx) => ({ statusCode: 429, error: 'rate_limited', message: `Too many requests: at most ${ctx.max} per ${ctx.after}. Slow down and retry after ${ctx.after}.` }),
    });
  }

  // Versions travel on every /v1 call; a too-old client is told to update. /v1 (but enrolment) and /metrics need a token.
  app.addHook('onRequest', async (req, reply) => {
    if (req.url.startsWith(INTEGRATIONS_PREFIX)) return; // monitoring tools: their own key, no version headers
    if (!req.url.startsWith('/v1/')) {
      if (req.routeOptions.url === '/metrics') return authenticateRequest(req, reply);
      return;
    }
    const proto = Number(req.headers[HEADER_PROTOCOL]);
    const schema = Number(req.headers[HEADER_SCHEMA]);
    if (!Number.isInteger(proto) || !Number.isInteger(schema)) {
      return reply
        .code(400)
        .send({ error: 'version_required', message: `Send the headers ${HEADER_PROTOCOL} and ${HEADER_SCHEMA} (this server speaks protocol ${PROTOCOL_VERSION}, schema ${SCHEMA_VERSION}).` });
    }
    if (proto < MIN_PROTOCOL_VERSION || schema < MIN_SCHEMA_VERSION) {
      return reply
        .code(426)
        .header('upgrade', `vakt-protocol/${PROTOCOL_VERSION}`)
        .send({
          error: 'update_required',
          message: `Update required: this copy of Vakt syncs with protocol ${proto} / schema ${schema}, but the server needs at least protocol ${MIN_PROTOCOL_VERSION} / schema ${MIN_SCHEMA_VERSION}. Install the latest Vakt; your local changes are kept and will sync after the update.`,
        });
    }
    if (req.url.startsWith('/v1/enrol') || req.url.startsWith(LOCAL_PREFIX)) return;
    return authenticateRequest(req, reply);
  });

  /**
   * Sets req.principal from the bearer token, or answers 401. A token seen in the last seconds
   * (PrincipalCache) costs nothing; any other attempt is counted on the client's address before the
   * lookup and refunded when it succeeds, so failures are limited before they cost database lookups.
   */
  async function authenticateRequest(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const auth = req.headers.authorization;
    const token = auth ? /^Bearer\s+(\S+)$/i.exec(auth)?.[1] : undefined;
    let p = token ? principals.get(sha256Hex(token)) : undefined;
    if (!p) {
      const key = `ip:${req.ip}`;
      if (limited && !authFails.take(key)) return tooMany(reply, authFails, key, 'requests that failed authentication from this address');
      if (!token) return reply.code(401).send({ error: 'unauthorized', message: 'A device token is required (Authorization: Bearer ...).' });
      const found = await authenticate(db, token, principals);
      if (found === 'revoked') return reply.code(401).send({ error: 'token_revoked', message: 'This device was revoked by an admin; enrol it again to sync.' });
      if (!found) return reply.code(401).send({ error: 'unauthorized', message: 'Unknown device token.' });
      authFails.refund(key);
      p = found;
    }
    req.principal = p;
  }

  app.get('/health', { config: { rateLimit: false } }, async (_req, reply) => {
    try {
      await db.query('SELECT 1');
      return { status: 'ok', database: db.kind, protocol: PROTOCOL_VERSION, schema: SCHEMA_VERSION };
    } catch {
      return reply.code(503).send({ status: 'unavailable', database: db.kind });
    }
  });

  app.get('/metrics', { config: { rateLimit: false } }, async (req, reply) => {
    principal(req, ADMIN);
    return reply.type('text/plain; version=0.0.4').send(metrics.render());
  });

  app.get('/openapi.json', { config: { rateLimit: false } }, async () => openApiDocument());

  // Enrolment: failures limited per client address and per code (a source's own failures do not lock out
  // other sources' codes); every refused code gets the same answer, so none tells whether a code exists.
  const badCode = 'This enrolment code is not valid: it is unknown, already used or expired. Ask an admin for a new one.';
  app.post('/v1/enrol', async (req, reply) => {
    const body = parse(enrolRequest, req.body);
    const code = normalizeEnrolmentCode(body.code);
    const sourceKey = `ip:${req.ip}`;
    const codeKey = `code:${sha256Hex(code ?? body.code)}`;
    if (limited && !enrolFailsBySource.take(sourceKey)) return tooMany(reply, enrolFailsBySource, sourceKey, 'failed enrolments from this address');
    if (limited && !enrolFailsByCode.take(codeKey)) {
      enrolFailsBySource.refund(sourceKey);
      return tooMany(reply, enrolFailsByCode, codeKey, 'failed enrolments with this code');
    }
    if (!code) throw new HttpError(401, 'invalid_code', 'That is not an enrolment code (expected XXXX-XXXX-XXXX).');
    let provisional: string | null = null;
    if (body.provisionalPrefix) {
      try {
        provisional = normalizePrefix(body.provisionalPrefix);
      } catch (e) {
        throw new HttpError(400, 'invalid_request', `provisionalPrefix: ${(e as Error).message}`);
      }
      if (prefixKind(provisional) !== 'provisional') throw new HttpError(400, 'invalid_request', 'provisionalPrefix: must be an 8-symbol provisional prefix');
    }
    const now = clock.now();
    const out = await db.transaction(async (tx): Promise<EnrolResponse> => {
      const r = await tx.query<{ tenant_id: string; user_id: string; expires_at: number; used_at: number | null; role: Role; user_name: string }>(
        `SELECT c.tenant_id, c.user_id, c.expires_at, c.used_at, u.role, u.name AS user_name FROM enrolment_codes c JOIN users u ON u.id = c.user_id WHERE c.code_hash = $1 FOR UPDATE OF c`,
        [sha256Hex(code)],
      );
      const c = r.rows[0];
      if (!c || c.used_at !== null || c.expires_at < now) throw new HttpError(401, 'invalid_code', badCode);
      const deviceId = newId();
      const token = newToken();
      const n = await tx.query<{ n: number }>('UPDATE tenants SET next_prefix = next_prefix + 1 WHERE id = $1 RETURNING next_prefix - 1 AS n', [c.tenant_id]);
      const casePrefix = prefixFor(n.rows[0]?.n ?? 1);
      await tx.query('INSERT INTO devices (id, tenant_id, user_id, name, token_hash, case_prefix, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7)', [
        deviceId,
        c.tenant_id,
        c.user_id,
        body.deviceName,
        sha256Hex(token),
        casePrefix,
        now,
      ]);
      await tx.query(`INSERT INTO case_prefixes (tenant_id, prefix, device_id, kind, created_at) VALUES ($1,$2,$3,'enrolled',$4)`, [c.tenant_id, casePrefix, deviceId, now]);
      let accepted: boolean | null = null;
      if (provisional) {
        const ins = await tx.query(`INSERT INTO case_prefixes (tenant_id, prefix, device_id, kind, created_at) VALUES ($1,$2,$3,'provisional',$4) ON CONFLICT DO NOTHING`, [
          c.tenant_id,
          provisional,
          deviceId,
          now,
        ]);
        accepted = ins.rowCount > 0;
      }
      await tx.query('UPDATE enrolment_codes SET used_at = $2, used_by = $3 WHERE code_hash = $1', [sha256Hex(code), now, deviceId]);
      return { deviceId, tenantId: c.tenant_id, token, casePrefix, role: c.role, provisionalPrefixAccepted: accepted, userId: c.user_id, userName: c.user_name };
    });
    enrolFailsBySource.refund(sourceKey);
    enrolFailsByCode.refund(codeKey);
    req.log.info({ deviceId: out.deviceId, tenantId: out.tenantId }, 'device enrolled');
    return reply.code(201).send(out);
  });

  app.get('/v1/me', async (req) => {
    const p = principal(req);
    return { tenantId: p.tenantId, deviceId: p.deviceId, userId: p.userId, role: p.role, deviceName: p.deviceName };
  });

  app.post('/v1/sync/push', async (req) => {
    const p = principal(req, ALL_ROLES);
    const body = parse(pushRequest, req.body);
    const seqs = new Set(body.mutations.map((m) => m.seq));
    if (seqs.size !== body.mutations.length) throw new HttpError(400, 'invalid_request', 'mutations: two mutations have the same seq');
    // The pushing device is not poked by its own push: it pulls in the same sync cycle (server/pokes.ts).
    const res = await applyPush(
      { db, clock, deriveSla: opts.deriveSla ?? deriveSla, changed: (t) => pokes.poke(t, p.deviceId), ...(opts.beforePushCommit ? { beforeCommit: opts.beforePushCommit } : {}) },
      p,
      body.mutations,
    );
    metrics.pushes++;
    metrics.mutations.applied += res.stats.applied;
    metrics.mutations.duplicate += res.stats.duplicate;
    metrics.mutations.rejected += res.stats.rejected;
    req.log.info({ device: p.deviceId, ...res.stats, lastSeq: res.lastSeq }, 'push committed');
    if (opts.afterPushCommit) await opts.afterPushCommit();
    return { results: res.results, lastSeq: res.lastSeq };
  });

  app.post('/v1/sync/pull', async (req, reply) => {
    const p = principal(req, ALL_ROLES);
    const body = parse(pullRequest, req.body);
    try {
      // The reply is JSON text PostgreSQL already wrote (see pull.ts): sent as it is.
      const res = await pullJson(db, p, body.cursor ?? '0', body.limit ?? DEFAULT_PULL_LIMIT, clock.now());
      metrics.pulls++;
      metrics.pulledChanges += res.changes;
      return reply.type('application/json; charset=utf-8').send(res.json);
    } catch (e) {
      if (e instanceof CursorError) throw new HttpError(400, 'bad_cursor', e.message);
      throw e;
    }
  });

  const fail = (s: number, c: string, m: string) => new HttpError(s, c, m);
  const admin = (req: FastifyRequest) => principal(req, ADMIN);
  registerAdminDevices(app, {
    db,
    clock,
    admin,
    fail,
    parse,
    revoked: (deviceId) => {
      forgetDevice(deviceId);
      pokes.revoked(deviceId);
    },
  });
  registerAdminUsers(app, { db, clock, admin, fail });
  registerLocalAdmin(app, { db, clock, proofHash: opts.localProofHash ?? null, fail });
  registerIntegrations(app, {
    db,
    clock,
    deriveSla: opts.deriveSla ?? deriveSla,
    admin: (req) => principal(req, ADMIN),
    fail: (s, c, m) => new HttpError(s, c, m),
    urlChecks: opts.urlChecks ?? false,
    log: (msg, err) => app.log.warn({ err }, msg),
    changed,
    ...(limited ? { authFails } : {}),
  });

  // Attachments (binary bodies, resumable): server/attachment-routes.ts.
  registerAttachmentRoutes(app, { store: attachments, chunkLimit, device: (req) => principal(req, ALL_ROLES), fail });

  return app;
}

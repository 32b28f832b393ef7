/**
 * Attachments, by their SHA-256, for any device of the tenant: `HEAD` (how much has arrived), `PUT` a
 * chunk (`Content-Range`, resumable, application/octet-stream) and `GET` a complete one
 * (server/attachments.ts keeps them; docs/sync.md "Attachments").
 */
import { createReadStream } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from './auth.js';
import { SHA256_RE, parseContentRange } from './attachments.js';
import type { AttachmentStore } from './attachments.js';

export interface AttachmentRoutesDeps {
  store: AttachmentStore;
  /** The largest chunk a request may carry, in bytes. */
  chunkLimit: number;
  /** The device's principal, or throws 401. */
  device: (req: FastifyRequest) => Principal;
  fail: (status: number, code: string, message: string) => Error;
}

export function registerAttachmentRoutes(app: FastifyInstance, o: AttachmentRoutesDeps): void {
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: o.chunkLimit }, (_req, body, done) => done(null, body));
  const sha = (req: FastifyRequest<{ Params: { sha256: string } }>): string => {
    const s = req.params.sha256.toLowerCase();
    if (!SHA256_RE.test(s)) throw o.fail(400, 'invalid_request', 'The attachment id is its SHA-256, 64 hex digits.');
    return s;
  };
  app.head<{ Params: { sha256: string } }>('/v1/attachments/:sha256', async (req, reply: FastifyReply) => {
    const p = o.device(req);
    const st = await o.store.status(p.tenantId, sha(req));
    if (!st) return reply.code(404).header('upload-offset', '0').send();
    return reply
      .code(200)
      .header('upload-offset', String(st.received))
      .header('upload-complete', st.complete ? '1' : '0')
      .header('upload-length', String(st.total ?? ''))
      .send();
  });
  app.put<{ Params: { sha256: string } }>('/v1/attachments/:sha256', { bodyLimit: o.chunkLimit }, async (req) => {
    const p = o.device(req);
    const s = sha(req);
    const range = parseContentRange(req.headers['content-range']);
    if (range === 'invalid') throw o.fail(400, 'bad_range', 'Content-Range must be "bytes START-END/TOTAL".');
    if (!Buffer.isBuffer(req.body)) throw o.fail(415, 'unsupported_media_type', 'Send attachment bytes as application/octet-stream.');
    const st = await o.store.put(p.tenantId, s, range, req.body);
    return { sha256: s, received: st.received, total: st.total, complete: st.complete };
  });
  app.get<{ Params: { sha256: string } }>('/v1/attachments/:sha256', async (req, reply) => {
    const p = o.device(req);
    const f = await o.store.file(p.tenantId, sha(req));
    if (!f) throw o.fail(404, 'not_found', 'No such attachment (or its upload is not complete).');
    return reply.type('application/octet-stream').send(createReadStream(f));
  });
}

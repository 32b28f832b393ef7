/**
 * Request bodies the server refuses, answered without breaking the connection.
 *
 * JSON: Fastify's own parser (prototype-poisoning keys refused) behind a
 * nesting limit (core/json-depth.ts). What the server does with a body (the
 * zod schemas, `checkContract`, `JSON.stringify`, PostgreSQL's jsonb) recurses,
 * so a body nested thousands of levels deep would fail deep inside with a stack
 * overflow (500). It is refused up front instead: 400 `invalid_request`.
 *
 * Too large (413): Fastify answers and closes the connection while the client
 * may still be sending; closing a socket with unread bytes makes it a reset, and
 * a client that sends its whole body before reading (most do) gets the reset
 * instead of the 413. So the rest of the body is read and dropped (up to
 * `DRAIN_MAX_BYTES`, within Node's request timeout) and the connection stays
 * open for the next request; beyond that the connection is cut.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { MAX_JSON_DEPTH, jsonDepth } from '../core/json-depth.js';

export class JsonBodyError extends Error {
  readonly statusCode = 400;
}

/** Replaces the application/json parser of `app` with the default one behind the nesting limit. */
export function limitJsonDepth(app: FastifyInstance, max = MAX_JSON_DEPTH): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const depth = jsonDepth(body as string);
    if (depth > max) {
      done(new JsonBodyError(`body: JSON nested ${depth} levels deep; at most ${max} levels of arrays and objects are allowed`), undefined);
      return;
    }
    parse(req, body as string, done);
  });
}

/** How much of a refused body the server reads and drops to keep the connection (beyond: it is cut). */
export const DRAIN_MAX_BYTES = 64 * 1024 * 1024;

/** Called when answering 413: keep the connection and drop the rest of the body instead of closing mid-upload. */
export function keepConnectionAfterRefusedBody(req: FastifyRequest, reply: FastifyReply): void {
  const raw = req.raw;
  if (raw.complete) return;
  void reply.removeHeader('connection');
  let n = 0;
  raw.on('data', (chunk: Buffer) => {
    n += chunk.length;
    if (n > DRAIN_MAX_BYTES) raw.socket.destroy();
  });
  raw.resume();
}

/** A body through its zod schema; the first issue becomes a 400 `invalid_request` naming its path (`fail` makes the error). */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown, fail: (status: number, code: string, message: string) => Error): z.infer<S> {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  const i = r.error.issues[0];
  throw fail(400, 'invalid_request', `${i?.path.join('.') || 'body'}: ${i?.message ?? 'invalid'}`);
}

/**
 * Request and answer bodies for the browser shell: requests read with a size
 * limit, JSON parsed only when it nests no deeper than a limit; JSON answers.
 *
 * A body over its limit is answered 413 and the rest of it is read and
 * dropped (up to DRAIN_MAX_BYTES), so the client receives the answer and the
 * keep-alive connection stays usable; destroying the request instead resets
 * the connection while the client is still sending, and the client sees no
 * answer at all.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Reply } from '../../../core/api/contract.js';
import { MAX_JSON_DEPTH, jsonDepth } from '../../../core/json-depth.js';

export { MAX_JSON_DEPTH };

/** How much of a refused body is still read and dropped before the connection is cut. */
export const DRAIN_MAX_BYTES = 64 * 1024 * 1024;

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`request body over ${limit} bytes`);
  }
}

/** The whole body, or BodyTooLarge as soon as it (or its Content-Length) exceeds `limit`. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        reject(new BodyTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/**
 * Reads and drops what is left of a refused body, so that the answer already
 * sent reaches the client; past DRAIN_MAX_BYTES the connection is cut.
 */
export function drain(req: IncomingMessage): void {
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DRAIN_MAX_BYTES) req.socket.destroy();
  });
  req.resume();
}

export class BadJson extends Error {}

/** Parses a JSON body; BadJson (naming what is wrong) when it is not JSON or nests too deep. Empty text is `{}`. */
export function parseJsonBody(text: string): unknown {
  if (!text) return {};
  const depth = jsonDepth(text);
  if (depth > MAX_JSON_DEPTH) throw new BadJson(`request body nests ${depth} levels deep; at most ${MAX_JSON_DEPTH} are allowed`);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new BadJson(`request body is not JSON: ${(err as Error).message}`);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(data),
  });
  res.end(data);
}

/** The HTTP status of a contract reply. */
export function replyStatus(reply: Reply<unknown>): number {
  if (reply.ok) return 200;
  const { code } = reply.error;
  return code === 'unknown_method' || code === 'not_found' ? 404 : code === 'internal' ? 500 : 400;
}

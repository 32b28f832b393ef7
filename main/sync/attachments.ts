/**
 * Attachment transfers with the sync server (server/attachments.ts), content
 * addressed by SHA-256:
 *
 * - `uploadAttachment`: asks the server how much it has (HEAD), then sends the
 *   rest in `Content-Range` chunks, so an upload cut off by a dropped
 *   connection or a restart continues from the server's offset; a re-upload of
 *   bytes the server has is free (HEAD says complete).
 * - `downloadAttachment`: GETs the bytes and checks them against the hash
 *   (and the expected size) before handing them back; a mismatch throws
 *   `AttachmentIntegrityError` and nothing is kept.
 * Every request has a timeout, so a stalled connection cannot hold sync up.
 */
import { createHash } from 'node:crypto';
import { HEADER_PROTOCOL, HEADER_SCHEMA, PROTOCOL_VERSION, SCHEMA_VERSION } from '../../core/sync/protocol.js';
import type { FetchLike } from './http-transport.js';
import { SyncHttpError, SyncNetworkError } from './types.js';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface TransferOptions {
  baseUrl: string;
  token: string;
  fetch?: FetchLike;
  /** Per request (each chunk is one); default 60 s. */
  timeoutMs?: number;
}

export interface UploadOptions extends TransferOptions {
  chunkBytes?: number;
}

/** The downloaded bytes do not match their hash (or size): rejected, retry later. */
export class AttachmentIntegrityError extends Error {
  override name = 'AttachmentIntegrityError';
}

type Res = Awaited<ReturnType<FetchLike>>;

function caller(sha: string, o: TransferOptions) {
  const f = o.fetch ?? (globalThis.fetch as unknown as FetchLike);
  const url = `${o.baseUrl.replace(/\/$/, '')}/v1/attachments/${sha}`;
  const headers = { [HEADER_PROTOCOL]: String(PROTOCOL_VERSION), [HEADER_SCHEMA]: String(SCHEMA_VERSION), authorization: `Bearer ${o.token}` };
  /** One request; `read` consumes the body inside the timeout. */
  return async <T>(method: string, h: Record<string, string>, body: Uint8Array | undefined, read: (res: Res) => Promise<T>): Promise<{ res: Res; out: T }> => {
    const ms = o.timeoutMs ?? 60_000;
    const ctl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Raced as well as aborted: a fetch that ignores the signal cannot hang sync either.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new Error(`no answer within ${ms} ms`);
        ctl.abort(err);
        reject(err);
      }, ms);
    });
    try {
      return await Promise.race([
        (async () => {
          const res = await f(url, { method, headers: { ...headers, ...h }, ...(body ? { body } : {}), signal: ctl.signal });
          return { res, out: await read(res) };
        })(),
        timeout,
      ]);
    } catch (e) {
      throw new SyncNetworkError(`cannot reach the sync server: ${(e as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  };
}

function httpError(res: Res, text: string, what: string): SyncHttpError {
  const j = (() => {
    try {
      return JSON.parse(text) as { error?: string; message?: string };
    } catch {
      return {};
    }
  })();
  return new SyncHttpError(res.status, j.error ?? 'http_error', j.message ?? `${what} failed with ${res.status}`);
}

export async function uploadAttachment(bytes: Uint8Array, o: UploadOptions): Promise<{ sha256: string; resumedFrom: number }> {
  const sha = sha256Hex(bytes);
  const call = caller(sha, o);
  const { res: head } = await call('HEAD', {}, undefined, async (r) => r.text().catch(() => ''));
  if (head.status === 401 || head.status === 426 || head.status >= 500) throw httpError(head, '', 'upload');
  let offset = head.status === 200 ? Number(head.headers.get('upload-offset') ?? 0) : 0;
  if (head.status === 200 && head.headers.get('upload-complete') === '1') return { sha256: sha, resumedFrom: offset };
  if (!Number.isFinite(offset) || offset < 0 || offset > bytes.length) offset = 0;
  const resumedFrom = offset;
  const chunk = o.chunkBytes ?? 1024 * 1024;
  let redirected = 0;
  while (offset < bytes.length || bytes.length === 0) {
    const end = Math.min(bytes.length, offset + chunk);
    const part = bytes.subarray(offset, end);
    const { res, out: text } = await call('PUT', { 'content-type': 'application/octet-stream', 'content-range': `bytes ${offset}-${end - 1}/${bytes.length}` }, part, (r) => r.text());
    const told = res.headers.get('upload-offset');
    if (res.status === 409 && told !== null && Number(told) !== offset && Number(told) <= bytes.length && redirected++ < 5) {
      // The server has a different amount (another attempt got further, or less was kept): continue from there.
      offset = Number(told);
      continue;
    }
    if (res.status >= 400) throw httpError(res, text, 'upload');
    offset = end;
    if (bytes.length === 0) break;
  }
  return { sha256: sha, resumedFrom };
}

/**
 * Downloads the bytes of `sha256` and verifies them (hash, and `expectedSize`
 * when given). 404 (not uploaded yet, or not complete) is a SyncHttpError.
 */
export async function downloadAttachment(sha256: string, o: TransferOptions & { expectedSize?: number | null }): Promise<Uint8Array> {
  const call = caller(sha256, o);
  const { res, out } = await call('GET', {}, undefined, async (r) => {
    if (r.status >= 400) return { text: await r.text(), bytes: null };
    if (!r.arrayBuffer) throw new Error('this fetch cannot read binary bodies');
    return { text: '', bytes: new Uint8Array(await r.arrayBuffer()) };
  });
  if (res.status >= 400 || !out.bytes) throw httpError(res, out.text, 'download');
  const bytes = out.bytes;
  if (o.expectedSize != null && o.expectedSize > 0 && bytes.length !== o.expectedSize) {
    throw new AttachmentIntegrityError(`the server sent ${bytes.length} bytes for attachment ${sha256.slice(0, 12)}…, not ${o.expectedSize}; discarded`);
  }
  if (sha256Hex(bytes) !== sha256) throw new AttachmentIntegrityError(`the bytes the server sent for attachment ${sha256.slice(0, 12)}… do not match its SHA-256; discarded`);
  return bytes;
}

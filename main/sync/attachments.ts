/**
 * Resumable attachment upload: asks the server how much it has (HEAD), then
 * sends the rest in `Content-Range` chunks. Content-addressed by SHA-256, so a
 * re-upload of the same bytes is free.
 */
import { createHash } from 'node:crypto';
import { HEADER_PROTOCOL, HEADER_SCHEMA, PROTOCOL_VERSION, SCHEMA_VERSION } from '../../core/sync/protocol.js';
import type { FetchLike } from './http-transport.js';
import { SyncHttpError, SyncNetworkError } from './types.js';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface UploadOptions {
  baseUrl: string;
  token: string;
  fetch?: FetchLike;
  chunkBytes?: number;
}

export async function uploadAttachment(bytes: Uint8Array, o: UploadOptions): Promise<{ sha256: string; resumedFrom: number }> {
  const f = o.fetch ?? (globalThis.fetch as unknown as FetchLike);
  const sha = sha256Hex(bytes);
  const url = `${o.baseUrl.replace(/\/$/, '')}/v1/attachments/${sha}`;
  const headers = { [HEADER_PROTOCOL]: String(PROTOCOL_VERSION), [HEADER_SCHEMA]: String(SCHEMA_VERSION), authorization: `Bearer ${o.token}` };
  const call = async (method: string, h: Record<string, string>, body?: Uint8Array) => {
    try {
      return await f(url, { method, headers: { ...headers, ...h }, ...(body ? { body } : {}) });
    } catch (e) {
      throw new SyncNetworkError(`cannot reach the sync server: ${(e as Error).message}`);
    }
  };
  const head = await call('HEAD', {});
  let offset = head.status === 200 ? Number(head.headers.get('upload-offset') ?? 0) : 0;
  if (head.status === 200 && head.headers.get('upload-complete') === '1') return { sha256: sha, resumedFrom: offset };
  const resumedFrom = offset;
  const chunk = o.chunkBytes ?? 1024 * 1024;
  while (offset < bytes.length || bytes.length === 0) {
    const end = Math.min(bytes.length, offset + chunk);
    const part = bytes.subarray(offset, end);
    const res = await call('PUT', { 'content-type': 'application/octet-stream', 'content-range': `bytes ${offset}-${end - 1}/${bytes.length}` }, part);
    const text = await res.text();
    if (res.status === 409 && res.headers.get('upload-offset')) {
      offset = Number(res.headers.get('upload-offset'));
      continue;
    }
    if (res.status >= 400) {
      const j = (() => { try { return JSON.parse(text) as { error?: string; message?: string }; } catch { return {}; } })();
      throw new SyncHttpError(res.status, j.error ?? 'http_error', j.message ?? `upload failed with ${res.status}`);
    }
    offset = end;
    if (bytes.length === 0) break;
  }
  return { sha256: sha, resumedFrom };
}

/**
 * Attachments: content-addressed by SHA-256, per tenant, uploaded resumably.
 *
 *   HEAD /v1/attachments/:sha256  -> 200 with `upload-offset` (bytes received) and
 *                                     `upload-complete: 1|0`; 404 when nothing was received.
 *   PUT  /v1/attachments/:sha256  with `Content-Range: bytes START-END/TOTAL` (or none: the
 *                                     whole file) -> 200 {received, complete}; START must be the
 *                                     current offset (else 409 with `upload-offset`).
 *   GET  /v1/attachments/:sha256  -> the bytes, once complete.
 *
 * Files live in `<data-dir>/attachments/<tenant>/`: `<sha>.part` while
 * uploading (with `<sha>.total` holding the announced size), `<sha>` once the
 * hash matched.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

export class AttachmentError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly offset?: number,
  ) {
    super(message);
  }
}

export const SHA256_RE = /^[0-9a-f]{64}$/;

export interface AttachmentStatus {
  received: number;
  total: number | null;
  complete: boolean;
}

export class AttachmentStore {
  constructor(
    private readonly root: string,
    readonly maxBytes: number,
  ) {}

  private dir(tenantId: string): string {
    if (!/^[0-9a-f-]+$/.test(tenantId)) throw new Error('bad tenant id');
    return path.join(this.root, tenantId);
  }

  async status(tenantId: string, sha: string): Promise<AttachmentStatus | null> {
    const d = this.dir(tenantId);
    const done = await fs.stat(path.join(d, sha)).catch(() => null);
    if (done) return { received: done.size, total: done.size, complete: true };
    const part = await fs.stat(path.join(d, `${sha}.part`)).catch(() => null);
    if (!part) return null;
    const total = Number(await fs.readFile(path.join(d, `${sha}.total`), 'utf8').catch(() => 'NaN'));
    return { received: part.size, total: Number.isFinite(total) ? total : null, complete: false };
  }

  async put(tenantId: string, sha: string, range: { start: number; end: number; total: number } | null, body: Buffer): Promise<AttachmentStatus> {
    const r = range ?? { start: 0, end: body.length - 1, total: body.length };
    if (r.total > this.maxBytes) {
      throw new AttachmentError(413, 'attachment_too_large', `The attachment is ${r.total} bytes; the server accepts attachments up to ${this.maxBytes} bytes.`);
    }
    if (r.end - r.start + 1 !== body.length) throw new AttachmentError(400, 'bad_range', `Content-Range says ${r.end - r.start + 1} bytes but the body has ${body.length}.`);
    if (r.end >= r.total) throw new AttachmentError(400, 'bad_range', 'Content-Range ends beyond the total size.');
    const d = this.dir(tenantId);
    await fs.mkdir(d, { recursive: true });
    const cur = await this.status(tenantId, sha);
    if (cur?.complete) return cur;
    if (cur && cur.total !== null && cur.total !== r.total) throw new AttachmentError(409, 'size_mismatch', `The upload was started with size ${cur.total}, not ${r.total}.`, cur.received);
    const offset = cur?.received ?? 0;
    if (r.start !== offset) throw new AttachmentError(409, 'offset_mismatch', `The server has ${offset} bytes of this attachment; send from byte ${offset}.`, offset);
    if (!cur) await fs.writeFile(path.join(d, `${sha}.total`), String(r.total));
    const partPath = path.join(d, `${sha}.part`);
    const fh = await fs.open(partPath, 'a');
    try {
      await fh.write(body);
      await fh.sync();
    } finally {
      await fh.close();
    }
    const received = offset + body.length;
    if (received < r.total) return { received, total: r.total, complete: false };
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(partPath)) hash.update(chunk as Buffer);
    if (hash.digest('hex') !== sha) {
      await fs.rm(partPath, { force: true });
      await fs.rm(path.join(d, `${sha}.total`), { force: true });
      throw new AttachmentError(422, 'hash_mismatch', 'The uploaded bytes do not match the SHA-256 in the URL; the upload was discarded, start again.');
    }
    await fs.rename(partPath, path.join(d, sha));
    await fs.rm(path.join(d, `${sha}.total`), { force: true });
    return { received, total: r.total, complete: true };
  }

  async file(tenantId: string, sha: string): Promise<string | null> {
    const p = path.join(this.dir(tenantId), sha);
    return (await fs.stat(p).catch(() => null)) ? p : null;
  }
}

/** Parses `bytes START-END/TOTAL`. */
export function parseContentRange(h: string | undefined): { start: number; end: number; total: number } | null | 'invalid' {
  if (!h) return null;
  const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(h.trim());
  if (!m) return 'invalid';
  const start = Number(m[1]);
  const end = Number(m[2]);
  const total = Number(m[3]);
  if (end < start) return 'invalid';
  return { start, end, total };
}

/**
 * This device's attachment files: <dataDir>/attachments/<sha256>, content
 * addressed, written through a temp file and a rename (a reader never sees a
 * half-written file). Used by the field photo handlers and by attachment sync.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where an attachment's bytes live on this device: <dataDir>/attachments/<sha256>. */
export const attachmentPath = (dataDir: string, sha256: string) => join(dataDir, 'attachments', sha256);

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Writes `bytes` content-addressed (temp file, then rename); skips when the file already exists. Returns the hash. */
export function storeAttachmentBytes(dataDir: string, bytes: Uint8Array): string {
  const sha256 = sha256Of(bytes);
  const file = attachmentPath(dataDir, sha256);
  if (existsSync(file)) return sha256;
  mkdirSync(join(dataDir, 'attachments'), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(tmp, bytes, { flush: true });
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
  return sha256;
}

/** The stored bytes of `sha256` when the file is here and its content matches the hash; else null. */
export function readAttachmentBytes(dataDir: string, sha256: string): Buffer | null {
  const file = attachmentPath(dataDir, sha256);
  if (!existsSync(file)) return null;
  const bytes = readFileSync(file);
  return sha256Of(bytes) === sha256 ? bytes : null;
}

/** Whether the file of `sha256` is here (not verified). */
export const hasAttachmentFile = (dataDir: string, sha256: string) => existsSync(attachmentPath(dataDir, sha256));

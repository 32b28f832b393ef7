/**
 * Where a device keeps its sync token.
 *
 * - `FileTokenStore` (the plain Node shell): a file only the user can read
 *   (mode 0600, written atomically through a temp file; a file found with
 *   looser permissions is tightened, and refused if that fails).
 * - `EncryptedFileTokenStore` (Electron): the same file, but the bytes are
 *   encrypted by an injected cipher -- the Electron host passes its
 *   `safeStorage` (`encryptString`/`decryptString`/`isEncryptionAvailable`),
 *   which uses the OS keychain (Keychain, DPAPI, libsecret/kwallet). Where it
 *   has no keyring (Linux `basic_text`) the token is refused, before the
 *   enrolment code is used (main/hosts/electron/token-cipher.ts).
 *   This module does not import electron (layering): the host injects it.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

export interface TokenStore {
  /** Why a token could not be saved here (asked before enrolling, so no code is used up), or null. */
  refusal?(): string | null;
  load(): Promise<string | null>;
  save(token: string): Promise<void>;
  clear(): Promise<void>;
}

async function writePrivate(file: string, data: string | Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  const fh = await fs.open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.chmod(tmp, 0o600);
  await fs.rename(tmp, file);
}

async function readPrivate(file: string): Promise<Buffer | null> {
  let st;
  try {
    st = await fs.stat(file);
  } catch {
    return null;
  }
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
    await fs.chmod(file, 0o600);
    const again = await fs.stat(file);
    if ((again.mode & 0o077) !== 0) throw new Error(`${file} is readable by other users and could not be made private`);
  }
  return fs.readFile(file);
}

export class FileTokenStore implements TokenStore {
  constructor(readonly file: string) {}
  async load(): Promise<string | null> {
    const b = await readPrivate(this.file);
    const s = b?.toString('utf8').trim();
    return s ? s : null;
  }
  async save(token: string): Promise<void> {
    await writePrivate(this.file, `${token}\n`);
  }
  async clear(): Promise<void> {
    await fs.rm(this.file, { force: true });
  }
}

/** The subset of Electron's `safeStorage` we need. */
export interface StringCipher {
  isEncryptionAvailable(): boolean;
  /** Why encryption is not available, when the cipher knows (the refusal message then says it). */
  unavailableReason?(): string | null;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export class EncryptedFileTokenStore implements TokenStore {
  constructor(
    readonly file: string,
    private readonly cipher: StringCipher,
  ) {}
  refusal(): string | null {
    if (this.cipher.isEncryptionAvailable()) return null;
    return this.cipher.unavailableReason?.() ?? 'OS encryption (safeStorage) is not available; refusing to store the sync token in plain text';
  }
  async load(): Promise<string | null> {
    const b = await readPrivate(this.file);
    if (!b || b.length === 0) return null;
    if (!this.cipher.isEncryptionAvailable()) throw new Error(this.cipher.unavailableReason?.() ?? 'OS encryption (safeStorage) is not available; cannot read the sync token');
    return this.cipher.decryptString(b);
  }
  async save(token: string): Promise<void> {
    const refused = this.refusal();
    if (refused) throw new Error(refused);
    await writePrivate(this.file, this.cipher.encryptString(token));
  }
  async clear(): Promise<void> {
    await fs.rm(this.file, { force: true });
  }
}

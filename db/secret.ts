/** Support codes are stored only as a salted scrypt hash: `scrypt$<logN>$<r>$<p>$<salt b64>$<hash b64>`. */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

export const DEFAULT_SCRYPT_LOG_N = 15;
const R = 8;
const P = 1;
const KEYLEN = 32;

export function hashSecret(secret: string, logN = DEFAULT_SCRYPT_LOG_N, salt: Buffer = randomBytes(16)): string {
  const N = 2 ** logN;
  const hash = scryptSync(secret.normalize('NFC'), salt, KEYLEN, { N, r: R, p: P, maxmem: 256 * N * R + 1024 * 1024 });
  return `scrypt$${logN}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Constant-time comparison of `secret` with a stored hash; false for a malformed hash. */
export function verifySecret(secret: string, stored: string): boolean {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const logN = Number(parts[1]);
  const r = Number(parts[2]);
  const p = Number(parts[3]);
  if (![logN, r, p].every((n) => Number.isInteger(n) && n > 0) || logN > 22) return false;
  const salt = Buffer.from(parts[4] as string, 'base64');
  const expected = Buffer.from(parts[5] as string, 'base64');
  const N = 2 ** logN;
  const actual = scryptSync(secret.normalize('NFC'), salt, expected.length, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

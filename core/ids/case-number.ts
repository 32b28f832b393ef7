/**
 * Case numbers: `<prefix>-<sequence>-<check>`, e.g. `K7-0042-H`.
 *
 * - prefix: the issuing device's prefix, Crockford base32.
 *   * enrolled devices get a short prefix (2-4 symbols) from the server;
 *   * a device that was never enrolled (or had to abandon its prefix after a
 *     clone/restore was detected) uses a provisional prefix of 8 random
 *     symbols (40 bits), written as two groups of four: `7H3K-9QZ2-0042-H`.
 *   The lengths never overlap, so a number tells which kind issued it.
 * - sequence: per-prefix counter from 1, at least 4 symbols (zero padded); it
 *   grows a fifth symbol after 1,048,575.
 * - check: Luhn mod 32 over prefix + sequence (see crockford.ts).
 *
 * Parsing accepts lower case, spaces, missing or extra hyphens between the
 * groups as long as the group split is unambiguous, and the Crockford aliases
 * (O -> 0, I/L -> 1), and always returns the canonical form.
 */
import { checkChar, decodeInt, encodeInt, normalizeSymbols, symbolValue } from './crockford.js';

export const SEQUENCE_MIN_LENGTH = 4;
export const PROVISIONAL_PREFIX_LENGTH = 8;
export const ENROLLED_PREFIX_MIN = 2;
export const ENROLLED_PREFIX_MAX = 4;

export interface CaseNumberParts {
  prefix: string;
  sequence: number;
  /** `provisional` for 8-symbol prefixes, `enrolled` for 2-4 symbols. */
  kind: 'enrolled' | 'provisional';
}

export class CaseNumberError extends Error {
  override name = 'CaseNumberError';
}

export function prefixKind(prefix: string): 'enrolled' | 'provisional' {
  if (prefix.length === PROVISIONAL_PREFIX_LENGTH) return 'provisional';
  if (prefix.length >= ENROLLED_PREFIX_MIN && prefix.length <= ENROLLED_PREFIX_MAX) return 'enrolled';
  throw new CaseNumberError(`prefix "${prefix}" has ${prefix.length} symbols; a prefix has ${ENROLLED_PREFIX_MIN}-${ENROLLED_PREFIX_MAX} (enrolled) or ${PROVISIONAL_PREFIX_LENGTH} (provisional)`);
}

/** Validates and canonicalises a device prefix (throws CaseNumberError). */
export function normalizePrefix(prefix: string): string {
  let p: string;
  try {
    p = normalizeSymbols(prefix.replace(/[\s-]/g, ''));
  } catch (e) {
    throw new CaseNumberError(`prefix "${prefix}": ${(e as Error).message}`);
  }
  prefixKind(p);
  return p;
}

export function formatCaseNumber(prefix: string, sequence: number): string {
  const p = normalizePrefix(prefix);
  if (!Number.isSafeInteger(sequence) || sequence < 1) throw new CaseNumberError(`sequence must be a whole number >= 1, got ${sequence}`);
  const seq = encodeInt(sequence, SEQUENCE_MIN_LENGTH);
  const check = checkChar(p + seq);
  const shownPrefix = p.length === PROVISIONAL_PREFIX_LENGTH ? `${p.slice(0, 4)}-${p.slice(4)}` : p;
  return `${shownPrefix}-${seq}-${check}`;
}

/** Parses a case number as typed or heard; throws CaseNumberError saying what is wrong. */
export function parseCaseNumber(input: string): CaseNumberParts & { canonical: string } {
  const raw = input.trim();
  if (!raw) throw new CaseNumberError('case number is empty');
  const groups = raw.split(/[\s-]+/).filter(Boolean);
  let prefix: string;
  let seq: string;
  let check: string;
  const norm = (s: string, what: string): string => {
    try {
      return normalizeSymbols(s);
    } catch (e) {
      throw new CaseNumberError(`case number "${input}": ${what}: ${(e as Error).message}`);
    }
  };
  if (groups.length >= 3) {
    check = norm(groups[groups.length - 1] as string, 'check character');
    seq = norm(groups[groups.length - 2] as string, 'sequence');
    prefix = norm(groups.slice(0, -2).join(''), 'prefix');
  } else {
    throw new CaseNumberError(`case number "${input}": expected PREFIX-SEQUENCE-CHECK, e.g. K7-0042-H`);
  }
  if (check.length !== 1) throw new CaseNumberError(`case number "${input}": the check character must be one symbol, got "${check}"`);
  if (seq.length < SEQUENCE_MIN_LENGTH) throw new CaseNumberError(`case number "${input}": the sequence has at least ${SEQUENCE_MIN_LENGTH} symbols, got "${seq}"`);
  let kind: 'enrolled' | 'provisional';
  try {
    kind = prefixKind(prefix);
  } catch (e) {
    throw new CaseNumberError(`case number "${input}": ${(e as Error).message}`);
  }
  const sequence = decodeInt(seq);
  if (sequence < 1) throw new CaseNumberError(`case number "${input}": the sequence starts at 1`);
  const expected = checkChar(prefix + seq);
  if (symbolValue(check) !== symbolValue(expected)) {
    throw new CaseNumberError(`case number "${input}": check character is ${check} but should be ${expected}; a character was probably misheard or mistyped`);
  }
  const canonical = formatCaseNumber(prefix, sequence);
  return { prefix, sequence, kind, canonical };
}

/** True when `input` parses (check character included). */
export function isValidCaseNumber(input: string): boolean {
  try {
    parseCaseNumber(input);
    return true;
  } catch {
    return false;
  }
}

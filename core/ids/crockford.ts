/**
 * Crockford base32 (0-9, A-Z without I, L, O, U) and a check character.
 *
 * Decoding is forgiving the way Crockford intends, for numbers read over the
 * phone: lower case is accepted, I and L read as 1, O reads as 0, and hyphens
 * and spaces are ignored by the callers that normalise.
 *
 * The check character is Luhn mod 32 over the same alphabet (so it is always a
 * plain letter or digit, unlike Crockford's own mod-37 symbols `*~$=U`, which
 * are awkward to say). It catches every single-character error and almost
 * every swap of two adjacent characters.
 */
export const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const DECODE: ReadonlyMap<string, number> = (() => {
  const m = new Map<string, number>();
  for (let i = 0; i < ALPHABET.length; i++) {
    const c = ALPHABET[i] as string;
    m.set(c, i);
    m.set(c.toLowerCase(), i);
  }
  for (const [alias, v] of [
    ['I', 1],
    ['i', 1],
    ['L', 1],
    ['l', 1],
    ['O', 0],
    ['o', 0],
  ] as const)
    m.set(alias, v);
  return m;
})();

/** The value of one symbol, or -1 when it is not a Crockford symbol (U is not). */
export function symbolValue(ch: string): number {
  return DECODE.get(ch) ?? -1;
}

/** Upper-cases and maps the aliases I/L -> 1, O -> 0; throws on anything else. */
export function normalizeSymbols(text: string): string {
  let out = '';
  for (const ch of text) {
    const v = symbolValue(ch);
    if (v < 0) throw new RangeError(`"${ch}" is not a Crockford base32 character (allowed: ${ALPHABET})`);
    out += ALPHABET[v];
  }
  return out;
}

/** Encodes a non-negative safe integer, left-padded with zeros to `minLength`. */
export function encodeInt(n: number, minLength = 1): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`cannot encode ${n}: need a non-negative safe integer`);
  let out = '';
  do {
    out = ALPHABET[n % 32] + out;
    n = Math.floor(n / 32);
  } while (n > 0);
  return out.padStart(minLength, '0');
}

/** Decodes a Crockford string (aliases accepted) to an integer. */
export function decodeInt(text: string): number {
  if (text.length === 0) throw new RangeError('empty base32 number');
  let n = 0;
  for (const ch of text) {
    const v = symbolValue(ch);
    if (v < 0) throw new RangeError(`"${ch}" is not a Crockford base32 character`);
    n = n * 32 + v;
    if (!Number.isSafeInteger(n)) throw new RangeError(`base32 number "${text}" is too large`);
  }
  return n;
}

/** Encodes bytes as Crockford base32 (5 bits per symbol, most significant first). */
export function encodeBytes(bytes: Uint8Array, length = Math.ceil((bytes.length * 8) / 5)): string {
  let out = '';
  let bits = 0;
  let acc = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += ALPHABET[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0 && out.length < length) out += ALPHABET[(acc << (5 - bits)) & 31];
  return out;
}

/** Luhn mod 32 check character over already-normalised symbols. */
export function checkChar(symbols: string): string {
  let factor = 2;
  let sum = 0;
  for (let i = symbols.length - 1; i >= 0; i--) {
    const v = symbolValue(symbols[i] as string);
    if (v < 0) throw new RangeError(`"${symbols[i]}" is not a Crockford base32 character`);
    let addend = factor * v;
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / 32) + (addend % 32);
    sum += addend;
  }
  return ALPHABET[(32 - (sum % 32)) % 32] as string;
}

/** True when `check` is the check character of `symbols`. */
export function verifyCheckChar(symbols: string, check: string): boolean {
  return symbolValue(check) >= 0 && checkChar(symbols) === ALPHABET[symbolValue(check)];
}

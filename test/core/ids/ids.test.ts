import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.js';
import { ALPHABET, checkChar, decodeInt, encodeBytes, encodeInt, normalizeSymbols } from '../../../core/ids/crockford.js';
import { CaseNumberError, formatCaseNumber, isValidCaseNumber, parseCaseNumber } from '../../../core/ids/case-number.js';
import { createUuid7, isUuid7, uuid7Time } from '../../../core/ids/uuid7.js';
import { Hlc, HlcError, compareHlc, decodeHlc } from '../../../core/ids/hlc.js';

const seqRandom = () => {
  let x = 1;
  return (n: number) => Uint8Array.from({ length: n }, () => (x = (x * 73 + 41) & 0xff));
};

describe('crockford base32', () => {
  it('round-trips integers and accepts the aliases', () => {
    fc.assert(fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), (n) => decodeInt(encodeInt(n)) === n));
    expect(decodeInt('1O')).toBe(32);
    expect(decodeInt('il')).toBe(33);
    expect(normalizeSymbols('k7oil')).toBe('K7011');
    expect(() => normalizeSymbols('U')).toThrow(/not a Crockford/);
    expect(ALPHABET).toHaveLength(32);
    expect(encodeBytes(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff), 8)).toBe('ZZZZZZZZ');
  });
  it('the check character catches every single substitution and adjacent swap of different symbols', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 31 }), { minLength: 2, maxLength: 12 }), fc.nat(), fc.integer({ min: 1, max: 31 }), (syms, pos, delta) => {
        const s = syms.map((v) => ALPHABET[v]).join('');
        const i = pos % syms.length;
        const changed = syms.slice();
        changed[i] = ((changed[i] as number) + delta) % 32;
        const t = changed.map((v) => ALPHABET[v]).join('');
        expect(checkChar(t)).not.toBe(checkChar(s));
      }),
    );
    let swapsCaught = 0;
    let swaps = 0;
    for (let a = 0; a < 32; a++)
      for (let b = 0; b < 32; b++) {
        if (a === b) continue;
        swaps++;
        const s = `K7${ALPHABET[a]}${ALPHABET[b]}01`;
        const t = `K7${ALPHABET[b]}${ALPHABET[a]}01`;
        if (checkChar(s) !== checkChar(t)) swapsCaught++;
      }
    expect(swapsCaught / swaps).toBeGreaterThan(0.99);
  });
});

describe('case numbers', () => {
  it('formats short, readable numbers for enrolled prefixes', () => {
    const n = formatCaseNumber('K7', 42);
    expect(n).toMatch(/^K7-001A-[0-9A-Z]$/);
    expect(n).toHaveLength(9);
    expect(formatCaseNumber('K7', 32 ** 4)).toMatch(/^K7-10000-/);
  });
  it('groups provisional prefixes in fours', () => {
    expect(formatCaseNumber('7H3K9QZ2', 1)).toMatch(/^7H3K-9QZ2-0001-[0-9A-Z]$/);
  });
  it('parses what was typed or heard and returns the canonical form', () => {
    const n = formatCaseNumber('K7', 42);
    const heard = n.toLowerCase().replace(/-/g, ' ').replace('0', 'o');
    expect(parseCaseNumber(heard).canonical).toBe(n);
    expect(parseCaseNumber(n)).toMatchObject({ prefix: 'K7', sequence: 42, kind: 'enrolled' });
    const p = formatCaseNumber('7H3K9QZ2', 5);
    expect(parseCaseNumber(p.replace('7H3K-9QZ2', '7H3K9QZ2'))).toMatchObject({ prefix: '7H3K9QZ2', kind: 'provisional', canonical: p });
  });
  it('round-trips for any prefix and sequence', () => {
    const sym = fc.integer({ min: 0, max: 31 }).map((v) => ALPHABET[v] as string);
    const prefix = fc.oneof(fc.array(sym, { minLength: 2, maxLength: 4 }), fc.array(sym, { minLength: 8, maxLength: 8 })).map((a) => a.join(''));
    fc.assert(
      fc.property(prefix, fc.integer({ min: 1, max: 2 ** 40 }), (p, s) => {
        const r = parseCaseNumber(formatCaseNumber(p, s));
        return r.prefix === p && r.sequence === s;
      }),
    );
  });
  it('rejects wrong input with a message saying what is wrong', () => {
    const n = formatCaseNumber('K7', 42);
    const bad = n.slice(0, -1) + (n.endsWith('0') ? '1' : '0');
    expect(() => parseCaseNumber(bad)).toThrow(/check character is .* but should be/);
    expect(() => parseCaseNumber('K7-42')).toThrow(CaseNumberError);
    expect(() => parseCaseNumber('K7-00U2-X')).toThrow(/sequence: "U"/);
    expect(() => parseCaseNumber('K7A9B-0001-X')).toThrow(/5 symbols/);
    expect(() => parseCaseNumber('')).toThrow(/empty/);
    expect(isValidCaseNumber(n)).toBe(true);
    expect(() => formatCaseNumber('K7', 0)).toThrow(/>= 1/);
  });
});

describe('uuid7', () => {
  it('embeds the time, sets version/variant and sorts in creation order', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const gen = createUuid7(clock, seqRandom());
    const ids: string[] = [];
    for (let i = 0; i < 5000; i++) {
      if (i % 1000 === 0) clock.advance(1);
      ids.push(gen());
    }
    expect(ids.every(isUuid7)).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(uuid7Time(ids[0] as string)).toBe(Date.UTC(2026, 0, 1) + 1);
  });
  it('stays monotonic when the clock goes backwards', () => {
    const clock = new ManualClock(1_000_000);
    const gen = createUuid7(clock, seqRandom());
    const a = gen();
    clock.set(500);
    const b = gen();
    expect(b > a).toBe(true);
  });
});

describe('hybrid logical clock', () => {
  it('is monotonic locally and after receiving', () => {
    const clock = new ManualClock(1000);
    const h = new Hlc(clock, 'dev-a');
    const a = h.now();
    const b = h.now();
    expect(b > a).toBe(true);
    const r = h.receive('0000000005000-0003-dev-b');
    expect(decodeHlc(r)).toEqual({ wall: 5000, counter: 4, node: 'dev-a' });
    clock.set(10);
    expect(h.now() > r).toBe(true);
    expect(compareHlc(decodeHlc(a), decodeHlc(b))).toBeLessThan(0);
  });
  it('resumes after the last persisted timestamp and refuses far-future remotes', () => {
    const clock = new ManualClock(1000);
    const h = new Hlc(clock, 'dev-a', '0000000009000-0002-dev-a');
    expect(h.now()).toBe('0000000009000-0003-dev-a');
    expect(() => h.receive(`${String(1000 + 2 * 86_400_000).padStart(13, '0')}-0000-x`)).toThrow(HlcError);
    expect(() => decodeHlc('nope')).toThrow(HlcError);
  });
});

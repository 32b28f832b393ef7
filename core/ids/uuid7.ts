/**
 * UUIDv7 (RFC 9562): 48-bit Unix ms timestamp, version 7, 12-bit rand_a used as
 * a counter for ids made in the same millisecond (so ids from one generator
 * sort in creation order), variant 10, 62 random bits.
 * Pure: the clock and the random source are parameters.
 */
import type { Clock } from '../clock.js';

/** Fills and returns `n` random bytes. */
export type RandomSource = (n: number) => Uint8Array;

export type Uuid7Generator = () => string;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function createUuid7(clock: Clock, random: RandomSource): Uuid7Generator {
  let lastMs = -1;
  let counter = 0;
  return () => {
    let ms = clock.now();
    if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError(`clock returned ${ms}; need epoch milliseconds`);
    if (ms <= lastMs) {
      ms = lastMs;
      counter++;
      if (counter > 0xfff) {
        // counter exhausted: borrow the next millisecond (stays monotonic)
        ms = lastMs + 1;
        counter = 0;
      }
    } else {
      counter = 0;
    }
    lastMs = ms;
    const r = random(8);
    if (r.length < 8) throw new RangeError('random source returned too few bytes');
    const b = new Uint8Array(16);
    // 48-bit big-endian timestamp
    const hi = Math.floor(ms / 2 ** 16);
    b[0] = (hi >>> 24) & 0xff;
    b[1] = (hi >>> 16) & 0xff;
    b[2] = (hi >>> 8) & 0xff;
    b[3] = hi & 0xff;
    b[4] = (ms >>> 8) & 0xff;
    b[5] = ms & 0xff;
    b[6] = 0x70 | ((counter >>> 8) & 0x0f);
    b[7] = counter & 0xff;
    b[8] = 0x80 | ((r[0] as number) & 0x3f);
    for (let i = 1; i < 8; i++) b[8 + i] = r[i] as number;
    let s = '';
    for (let i = 0; i < 16; i++) {
      s += HEX[b[i] as number];
      if (i === 3 || i === 5 || i === 7 || i === 9) s += '-';
    }
    return s;
  };
}

const UUID7_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function isUuid7(s: string): boolean {
  return UUID7_RE.test(s);
}

/** The timestamp (epoch ms) embedded in a UUIDv7. */
export function uuid7Time(id: string): number {
  if (!isUuid7(id)) throw new RangeError(`"${id}" is not a UUIDv7`);
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

/** HLC helpers on the encoded form used in mutations and rows (see core/ids/hlc.ts). */
import { compareHlc, decodeHlc } from '../ids/hlc.js';

const HLC_RE = /^\d{13}-[0-9a-f]{4}-.+$/;

export function isHlc(s: string): boolean {
  return HLC_RE.test(s);
}

/** Compares two encoded HLCs: wall, then counter, then node (device id) as the tie-break. */
export function compareHlcStrings(a: string, b: string): number {
  return compareHlc(decodeHlc(a), decodeHlc(b));
}

/** The later of two encoded HLCs (null counts as earliest). */
export function maxHlc(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareHlcStrings(a, b) >= 0 ? a : b;
}

/** The wall-clock milliseconds of an encoded HLC. */
export function hlcWall(s: string): number {
  return decodeHlc(s).wall;
}

/** The node of an encoded HLC: the device that stamped it. */
export function hlcNode(s: string): string {
  return decodeHlc(s).node;
}

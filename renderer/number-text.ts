/**
 * Number fields (issue 15 item 8): typed as text, so a decimal comma is read
 * as one ("42,5" km is 42.5 km; Chromium's `<input type="number">` read it as
 * 425 in an English locale). Every number field of the renderer parses here.
 */
/** "42,5", "42.5", " 7 " -> the number; "" or anything else (two separators, letters, "1.234,5") -> null. */
export function parseDecimal(text: string): number | null {
  const m = /^\s*(-?\d+)(?:[.,](\d+))?\s*$/.exec(text);
  if (!m) return null;
  return Number(`${m[1]}.${m[2] ?? '0'}`);
}

/** Number fields read a decimal comma as one (issue 15 item 8). */
import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../renderer/number-text.js';

describe('parseDecimal', () => {
  it('reads a decimal comma or point', () => {
    expect(parseDecimal('42,5')).toBe(42.5);
    expect(parseDecimal(' 42.5 ')).toBe(42.5);
    expect(parseDecimal('7')).toBe(7);
    expect(parseDecimal('-0,25')).toBe(-0.25);
  });
  it('refuses what is not one number', () => {
    for (const text of ['', ' ', '1.234,5', '42,5 km', 'abc', '4 2', ',5']) expect(parseDecimal(text)).toBeNull();
  });
});

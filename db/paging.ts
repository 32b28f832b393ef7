import { ValidationError } from './errors.js';

/** A list's `limit`: a whole number from 1, capped at `max` (a larger one is lowered, not refused). */
export function clampLimit(n: number, max = 500): number {
  if (!Number.isInteger(n) || n < 1) throw new ValidationError(`must be a whole number from 1 to ${max}, got ${n}`, 'limit');
  return Math.min(n, max);
}

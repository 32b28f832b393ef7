/**
 * The instants Vakt accepts, stores and computes with: from 2000-01-01T00:00Z
 * up to (not including) 3000-01-01T00:00Z. Every instant that enters from a
 * file, a form or the network is checked against this range where it enters
 * (the zod contracts, `vakt sla eval`, the sync server), so the engine never
 * walks to a far instant and every instant it prints is plain ISO-8601 with a
 * four-digit year. "Not in the future" is a separate check against the
 * receiving clock plus the allowed skew (core/sync/protocol.ts).
 */

/** 2000-01-01T00:00:00.000Z. */
export const EARLIEST_INSTANT_MS = 946_684_800_000;
/** 3000-01-01T00:00:00.000Z: the first instant that is out of range. */
export const END_OF_RANGE_MS = 32_503_680_000_000;

export const INSTANT_RANGE_TEXT = 'between 2000-01-01 and 2999-12-31 (UTC)';
/** What an instant or date outside the range is told, wherever it enters (requests, the store, files). */
export const OUT_OF_RANGE = `must be ${INSTANT_RANGE_TEXT}`;

/** True when `ms` is an integer instant inside the supported range. */
export function instantInRange(ms: number): boolean {
  return Number.isInteger(ms) && ms >= EARLIEST_INSTANT_MS && ms < END_OF_RANGE_MS;
}

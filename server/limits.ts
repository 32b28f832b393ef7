/**
 * Limits on requests that fail: authentication (a bad, revoked or missing
 * token) and enrolment (a bad code). The per-token request limit of
 * authenticated devices is @fastify/rate-limit's (app.ts).
 *
 * Each attempt is counted before its database lookup and refunded when it
 * succeeds, so a flood of parallel attempts is limited before it costs
 * lookups, and a source's successful requests never use up its allowance.
 * Counters are fixed windows in this process's memory.
 */
import type { Clock } from '../core/clock.js';

export interface WindowLimit {
  max: number;
  timeWindowMs: number;
}

/** Counts per key in fixed windows of `timeWindowMs`; at most `maxKeys` keys (the oldest go first). */
export class WindowCounter {
  private readonly m = new Map<string, { n: number; resetAt: number }>();
  constructor(
    private readonly clock: Clock,
    readonly limit: WindowLimit,
    private readonly maxKeys = 100_000,
  ) {}

  private entry(key: string): { n: number; resetAt: number } {
    const now = this.clock.now();
    let e = this.m.get(key);
    if (!e || e.resetAt <= now) {
      if (e) this.m.delete(key);
      if (this.m.size >= this.maxKeys) this.m.delete(this.m.keys().next().value as string);
      e = { n: 0, resetAt: now + this.limit.timeWindowMs };
      this.m.set(key, e);
    }
    return e;
  }

  /** Counts one attempt; false (and not counted) when the key has used its allowance. */
  take(key: string): boolean {
    const e = this.entry(key);
    if (e.n >= this.limit.max) return false;
    e.n++;
    return true;
  }

  /** Gives back an attempt that succeeded. */
  refund(key: string): void {
    const e = this.m.get(key);
    if (e && e.n > 0) e.n--;
  }

  /** Seconds until the key's window ends (for Retry-After). */
  retryAfterS(key: string): number {
    const e = this.m.get(key);
    return e ? Math.max(1, Math.ceil((e.resetAt - this.clock.now()) / 1000)) : 1;
  }
}

export function windowText(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} minute(s)` : `${Math.ceil(ms / 1000)} s`;
}

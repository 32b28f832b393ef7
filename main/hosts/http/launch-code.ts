/**
 * One-time launch codes for the browser shell (issue 14 item 8).
 *
 * `vakt start --browser` must not put the per-launch secret on Chromium's
 * command line, which any local user can read (`ps`). It passes a launch code
 * instead, in the URL fragment (`/#c=<code>`); the page exchanges it for the
 * secret with `POST /api/session {"code": ...}`. A code works once, and only
 * within LAUNCH_CODE_TTL_MS of being issued; afterwards it is useless, though
 * it stays readable on Chromium's command line. (Whoever redeems it first gets
 * the secret; if that is not the page, the page says the code was used.)
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../../core/clock.js';

export const LAUNCH_CODE_TTL_MS = 60_000;

export class LaunchCodes {
  /** Unredeemed codes and when each expires. */
  private readonly codes = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = LAUNCH_CODE_TTL_MS,
  ) {}

  issue(): string {
    const code = randomBytes(32).toString('base64url');
    this.codes.set(code, this.clock.now() + this.ttlMs);
    return code;
  }

  /** True once for a code issued here less than ttlMs ago; the code is then gone. */
  redeem(code: string): boolean {
    const now = this.clock.now();
    for (const [c, expires] of this.codes) if (expires <= now) this.codes.delete(c);
    const expires = this.codes.get(code);
    this.codes.delete(code);
    return expires !== undefined && expires > now;
  }
}

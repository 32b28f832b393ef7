/**
 * Time is injected. Domain code never calls Date.now(); it receives a Clock.
 * Instants are epoch milliseconds (UTC) throughout the domain.
 */
export interface Clock {
  /** The current instant, epoch milliseconds. */
  now(): number;
}

/** A clock that a test moves by hand. */
export class ManualClock implements Clock {
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  set(instant: number): void {
    this.current = instant;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

/** Timers, injected so that tests drive them by hand (the real ones: db/system-time.ts). */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

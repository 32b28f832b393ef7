import type { ManualClock } from '../../core/clock.js';
import type { Timers } from '../../main/alerts/types.js';

/** Timers driven by a ManualClock: `advanceTo` fires what falls due, in order. */
export class FakeTimers implements Timers {
  private seq = 0;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();
  constructor(readonly clock: ManualClock) {}

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.pending.set(id, { at: this.clock.now() + Math.max(0, ms), fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  get count(): number {
    return this.pending.size;
  }
  nextAt(): number | null {
    let min: number | null = null;
    for (const t of this.pending.values()) if (min === null || t.at < min) min = t.at;
    return min;
  }
  /** Moves the clock to `t`, firing timers due on the way (each at its own instant). */
  async advanceTo(t: number, settle: () => Promise<void> = async () => {}): Promise<void> {
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | null = null;
      for (const e of this.pending) if (e[1].at <= t && (next === null || e[1].at < next[1].at)) next = e;
      if (!next) break;
      this.pending.delete(next[0]);
      if (next[1].at > this.clock.now()) this.clock.set(next[1].at);
      next[1].fn();
      await settle();
    }
    this.clock.set(t);
    await settle();
  }
  /** Moves the wall clock without firing anything (a jump, or a sleep during which timers did not run). */
  jump(t: number): void {
    this.clock.set(t);
  }
}

import { describe, expect, it } from 'vitest';
import { watchClock } from '../../main/alerts/clock-watch.js';
import type { ClockEvent } from '../../main/alerts/clock-watch.js';

function rig() {
  let wall = 1_000_000;
  let mono = 5_000;
  let zone = 'Europe/Copenhagen';
  let tick: (() => void) | null = null;
  const events: Array<[ClockEvent, number]> = [];
  const d = watchClock((e, skew) => events.push([e, skew]), {
    wallNow: () => wall,
    monoNow: () => mono,
    zone: () => zone,
    setInterval: (fn) => ((tick = fn), 1),
    clearInterval: () => (tick = null),
  });
  return {
    events,
    step(wallMs: number, monoMs: number) {
      wall += wallMs;
      mono += monoMs;
      tick?.();
    },
    setZone(z: string) {
      zone = z;
    },
    dispose: () => d.dispose(),
    get running() {
      return tick !== null;
    },
  };
}

describe('wall-clock jump detector', () => {
  it('stays quiet while wall and monotonic time agree', () => {
    const r = rig();
    for (let i = 0; i < 10; i++) r.step(15_000, 15_000 + (i % 2 ? 30 : -30));
    expect(r.events).toEqual([]);
  });
  it('reports a resume when the wall clock ran on while the monotonic clock stood still (sleep)', () => {
    const r = rig();
    r.step(3_600_000 + 15_000, 15_000);
    expect(r.events).toEqual([['resume', 3_600_000]]);
  });
  it('reports the clock being set back', () => {
    const r = rig();
    r.step(15_000 - 600_000, 15_000);
    expect(r.events).toEqual([['clock', -600_000]]);
  });
  it('reports a change of time zone', () => {
    const r = rig();
    r.setZone('America/New_York');
    r.step(15_000, 15_000);
    expect(r.events.map((e) => e[0])).toEqual(['timezone']);
  });
  it('stops when disposed', () => {
    const r = rig();
    r.dispose();
    expect(r.running).toBe(false);
  });
});

/**
 * Hybrid logical clock (Kulkarni et al.): wall-clock milliseconds plus a
 * counter, tie-broken by node id. Encoded as a fixed-width string that sorts
 * in causal order: `<ms: 13 decimal digits>-<counter: 4 hex>-<node>`.
 * Pure: the physical clock is injected.
 */
import type { Clock } from '../clock.js';

export interface HlcTimestamp {
  wall: number;
  counter: number;
  node: string;
}

export class HlcError extends Error {
  override name = 'HlcError';
}

/** How far a remote timestamp may be ahead of our clock before we refuse it. */
export const DEFAULT_MAX_DRIFT_MS = 24 * 60 * 60 * 1000;
const MAX_COUNTER = 0xffff;

export function encodeHlc(t: HlcTimestamp): string {
  return `${String(t.wall).padStart(13, '0')}-${t.counter.toString(16).padStart(4, '0')}-${t.node}`;
}

export function decodeHlc(s: string): HlcTimestamp {
  const m = /^(\d{13})-([0-9a-f]{4})-(.+)$/.exec(s);
  if (!m) throw new HlcError(`"${s}" is not an HLC timestamp (expected 13 digits-4 hex-node)`);
  return { wall: Number(m[1]), counter: parseInt(m[2] as string, 16), node: m[3] as string };
}

export function compareHlc(a: HlcTimestamp, b: HlcTimestamp): number {
  return a.wall - b.wall || a.counter - b.counter || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0);
}

export class Hlc {
  private wall: number;
  private counter: number;

  constructor(
    private readonly clock: Clock,
    readonly node: string,
    last?: HlcTimestamp | string | null,
    private readonly maxDriftMs = DEFAULT_MAX_DRIFT_MS,
  ) {
    if (!node || node.includes('\n')) throw new HlcError('HLC node id must be a non-empty single-line string');
    const l = typeof last === 'string' ? decodeHlc(last) : last;
    this.wall = l?.wall ?? 0;
    this.counter = l?.counter ?? 0;
  }

  /** A timestamp for a local event or a send. */
  now(): string {
    const pt = this.clock.now();
    if (pt > this.wall) {
      this.wall = pt;
      this.counter = 0;
    } else {
      this.bump();
    }
    return this.current();
  }

  /** Merges a timestamp received from another node; returns the new local time. */
  receive(remote: HlcTimestamp | string): string {
    const r = typeof remote === 'string' ? decodeHlc(remote) : remote;
    const pt = this.clock.now();
    if (r.wall - pt > this.maxDriftMs) throw new HlcError(`remote clock is ${r.wall - pt} ms ahead of ours (limit ${this.maxDriftMs} ms)`);
    const wall = Math.max(this.wall, r.wall, pt);
    if (wall === this.wall && wall === r.wall) this.counter = Math.max(this.counter, r.counter) + 1;
    else if (wall === this.wall) this.counter++;
    else if (wall === r.wall) this.counter = r.counter + 1;
    else this.counter = 0;
    this.wall = wall;
    if (this.counter > MAX_COUNTER) {
      this.wall++;
      this.counter = 0;
    }
    return this.current();
  }

  /** The last issued timestamp. */
  current(): string {
    return encodeHlc({ wall: this.wall, counter: this.counter, node: this.node });
  }

  private bump(): void {
    this.counter++;
    if (this.counter > MAX_COUNTER) {
      this.wall++;
      this.counter = 0;
    }
  }
}

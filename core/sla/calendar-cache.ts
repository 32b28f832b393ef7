/** Compiled calendars cached by id and content (core/sla/calendar.ts compiles them). */
import { isPlainObject } from './errors.js';
import { compileCalendar } from './calendar.js';
import type { CompiledCalendar } from './calendar.js';

/** JSON with sorted keys, for content-addressed caching. */
export function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (isPlainObject(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/**
 * Compiled calendars keyed by id + content, so that evaluating many tickets
 * reuses each calendar's per-day intervals and prefix sums. Bounded (LRU).
 */
export class CalendarCache {
  private readonly map = new Map<string, CompiledCalendar>();
  constructor(private readonly max = 256) {}

  /** The compiled calendar for `json` filed under `key` (compiled once per content). Throws like compileCalendar. */
  get(json: unknown, key?: string): CompiledCalendar {
    const k = `${key ?? ''}\u0000${stableStringify(json)}`;
    const hit = this.map.get(k);
    if (hit) {
      this.map.delete(k);
      this.map.set(k, hit);
      return hit;
    }
    const c = compileCalendar(json, key);
    this.map.set(k, c);
    if (this.map.size > this.max) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) this.map.delete(oldest);
    }
    return c;
  }

  get size(): number {
    return this.map.size;
  }
}

/**
 * The explanation trace (`vakt sla eval --explain`): a target's stretches
 * (counted, closed, paused, resolved) and the wording of its rules. Bounded
 * whatever the span: a long running stretch lists its first and last weeks
 * and sums the rest in one item.
 */
import type { CompiledCalendar } from './calendar.js';
import { MINUTE, formatDate, formatHHMM } from './time.js';

/** One item of a target's explanation. Instants are epoch ms. */
export type TraceItem = { kind: 'counted' | 'closed' | 'paused' | 'resolved'; from: number; to: number; minutes: number; note?: string } | { kind: 'rule'; note: string; at?: number };

/** A stretch of a target: running (`active`), paused or resolved. */
export interface TraceSegment {
  a: number;
  b: number;
  kind: 'active' | 'paused' | 'resolved';
}

/** A running stretch longer than this is listed for its first and last LISTED_MS only. */
const LONG_MS = 62 * 86_400_000;
const LISTED_MS = 31 * 86_400_000;

/** Why a running target has no deadline (the search stops at the end of the supported range, core/time-range.ts). */
export const NO_DEADLINE = 'no deadline within the supported range: the calendar has not that much open time before 3000-01-01 (or none for 10 years)';

/** `1,543`. */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Local wall time of an instant with the calendar's zone, or "never". */
export function wall(cal: CompiledCalendar, t: number | null): string {
  if (t === null) return 'never';
  return `${formatDate(cal.localDay(t))} ${formatHHMM(cal.localMsOfDay(t))} ${cal.timezone}`;
}

function hours(ms: number): string {
  return `${thousands(Math.round(ms / 3_600_000))} h`;
}

/** The stretches of `segs` up to `until`, adjacent ones of a kind merged. */
export function buildTrace(segs: readonly TraceSegment[], until: number, cal: CompiledCalendar): TraceItem[] {
  const out: TraceItem[] = [];
  const push = (kind: 'counted' | 'closed' | 'paused' | 'resolved', from: number, to: number): void => {
    if (to <= from) return;
    const last = out[out.length - 1];
    if (last && last.kind === kind && last.to === from) {
      last.to = to;
      last.minutes = (to - last.from) / MINUTE;
      return;
    }
    out.push({ kind, from, to, minutes: (to - from) / MINUTE });
  };
  const running = (a: number, b: number): void => {
    for (const p of cal.split(a, b)) push(p.open ? 'counted' : 'closed', p.from, p.to);
  };
  for (const s of segs) {
    const b = Math.min(s.b, until);
    if (b <= s.a) continue;
    if (s.kind !== 'active') push(s.kind, s.a, b);
    else if (b - s.a <= LONG_MS) running(s.a, b);
    else {
      const m1 = s.a + LISTED_MS;
      const m2 = b - LISTED_MS;
      running(s.a, m1);
      const open = cal.openMs(m1, m2);
      out.push({ kind: 'rule', note: `${wall(cal, m1)} to ${wall(cal, m2)}: ${hours(open)} counted, ${hours(m2 - m1 - open)} closed (not listed stretch by stretch)`, at: m1 });
      running(m2, b);
    }
  }
  return out;
}

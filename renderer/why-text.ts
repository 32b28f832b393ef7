/**
 * The "Why?" sentence (issue 15 item 5), pure: built from a target and its
 * engine trace read structurally (the start, the `closed` and `paused`
 * periods, the counted minutes, the deadline or breach), never from the
 * engine's English notes. Trace items of kinds it does not know, or runs of
 * rules collapsed into one item, are skipped here (the raw trace shows them).
 * Formatting comes in `fmt` (renderer/format.ts in the app).
 */
import type { TFunction } from 'i18next';
import type { TargetView } from '../core/api/desk.js';
import { overdue } from './target-state.js';

export interface WhyFormat {
  /** "05:08" (same day) or "Thu 3 Dec 05:08", in `zone`. */
  clock(at: number, now: number, zone: string): string;
  /** "3 h 10 min". */
  minutes(mins: number): string;
  userZone: string;
}

type Period = { kind: string; from: number; to: number; note?: unknown };
export const isPeriod = (x: unknown): x is Period => {
  // structural: any item with a kind and a from–to span (new kinds are tolerated)
  const o = x as Record<string, unknown> | null;
  return !!o && typeof o.kind === 'string' && typeof o.from === 'number' && typeof o.to === 'number' && (o.to as number) > (o.from as number);
};
const SHOWN = 3;

/** The sentence for one target at `now`, in the user's language; times in the target's calendar zone. */
export function explainTarget(x: TargetView, now: number, t: TFunction, fmt: WhyFormat): string {
  const zone = x.timezone || fmt.userZone;
  const at = (ms: number) => fmt.clock(ms, now, zone);
  const span = (p: Period) => ({ from: at(p.from), to: at(p.to) });
  const parts: string[] = [];
  if (x.startedAt === null) parts.push(t('why.notStarted'));
  else parts.push(t('why.countedFrom', { when: at(x.startedAt) }));
  const periods = ((x.trace ?? []) as unknown[]).filter(isPeriod);
  for (const kind of ['closed', 'paused'] as const) {
    const ps = periods.filter((p) => p.kind === kind);
    for (const p of ps.slice(-SHOWN)) parts.push(t(`why.${kind}`, span(p)));
    if (ps.length > SHOWN) parts.push(t(`why.${kind}More`, { count: ps.length - SHOWN }));
  }
  if (x.startedAt !== null) parts.push(t('why.counted', { used: fmt.minutes(x.elapsedMinutes) }));
  if (x.missed) parts.push(t('why.missed', { count: x.missed }));
  if (x.state === 'stopped' && x.stoppedAt !== null) parts.push(t(x.breached ? 'why.stoppedLate' : 'why.stoppedMet', { when: at(x.stoppedAt) }));
  else if (x.dueAt !== null && overdue(x, now)) parts.push(t('why.breached', { when: at(x.dueAt), ago: fmt.minutes(Math.floor((now - x.dueAt) / 60_000)) }));
  else if (x.dueAt !== null && x.state !== 'stopped') parts.push(t(`why.due.${x.metric}`, { when: at(x.dueAt) }));
  if (x.state === 'paused') parts.push(t('why.pausedNow'));
  const text = parts.join('; ');
  const sentence = text.charAt(0).toUpperCase() + text.slice(1) + '.';
  return zone !== fmt.userZone ? `${sentence} ${t('why.zone', { zone })}` : sentence;
}

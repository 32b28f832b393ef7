/**
 * A re-notification stored as one stamp (issue 19): the summary re-notifies tens of thousands of alerts every
 * few minutes, and writing each one's last pop-up was 0.45 s in the store worker. The stamp says "every active
 * critical alert not held nor snoozed, last shown at or before `through`, was shown again at `at`"; the store
 * applies it as it reads (db/repos/notifications.ts `stamped`), so a restart re-notifies them when it would
 * have (docs/alerts.md "Re-notification"). Rows the stamp would get wrong are written as they stand.
 */
import type { OpenAlerts } from './open-alerts.js';
import type { Alert, RenotifyStamp } from './types.js';

/** What a stamp covers (the store's `stamped`): active, critical, shown, not held nor snoozed. */
const stampable = (a: Alert): boolean => a.state === 'active' && a.critical && !a.held && a.snoozedUntil === null && a.notifiedAt !== null;

/**
 * Storing `shown` (alerts shown again at `now`, as they were before) as a stamp: returns the stamp, the keys of
 * those it covers (their rows are not written), and the other alerts held here whose rows it would wrongly
 * cover, to be written as they stand: those last shown at or before `now - gap` (a pop-up deferred a few
 * seconds) or covered by the `last` stamp. `through` is below each of those.
 */
export function stampShown(shown: Alert[], now: number, gap: number, open: OpenAlerts, last: RenotifyStamp | null): { stamp: RenotifyStamp; covered: Set<string>; others: Alert[] } {
  const members = new Set(shown.map((a) => a.key));
  let through = now - gap;
  const others: Alert[] = [];
  for (const a of open.shownBy(Math.max(through, last?.at ?? -Infinity))) {
    if (members.has(a.key)) continue;
    const t = a.notifiedAt as number;
    if (t <= through) {
      others.push(a);
      through = Math.min(through, t - 1);
    } else if (last && t === last.at) others.push(a);
  }
  const covered = new Set<string>();
  for (const a of shown) if (stampable(a) && (a.notifiedAt as number) <= through) covered.add(a.key);
  return { stamp: { at: now, through }, covered, others };
}

/** When the alert scheduler wakes: its limits, and when an open alert pops up again. */
import type { Alert, AlertSettings } from './types.js';

/** setTimeout cannot wait longer than this; longer sleeps are chained. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
/** A wake-up later than this after its instant counts as a catch-up. */
export const LATE_MS = 2 * 60_000;
/** A re-notification this close before the ticket's next instant waits for it, so both make one pop-up. */
export const COALESCE_MS = 5_000;

/** When `a` pops up again (end of a snooze, or a critical alert's re-notification); null: not by itself. `ticketNext`: the ticket's next instant. */
export function renotifyAt(a: Alert, settings: AlertSettings, ticketNext: number | undefined): number | null {
  if (a.state !== 'active' || a.held) return null;
  let at: number;
  if (a.snoozedUntil !== null) at = a.snoozedUntil;
  else if (!a.critical || a.notifiedAt === null) return null;
  else at = a.notifiedAt + Math.max(1, settings.renotifyMinutes) * 60_000;
  // Due at the ticket's next instant or just before it (lead 5 min = re-notify 5 min): one pop-up then.
  return ticketNext !== undefined && ticketNext >= at && ticketNext - at <= COALESCE_MS ? ticketNext : at;
}

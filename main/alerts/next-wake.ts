/**
 * When the scheduler's one timer fires (docs/alerts.md "When it wakes"): the earliest of a ticket's next instant,
 * the end of what it read of the tickets' instants and of the alerts that pop up again by themselves (to read on),
 * a critical alert's re-notification or a snooze's end, the end of the quiet hours while alerts are held, a
 * deferred pop-up's instant, and this user's next escalation step.
 */
import type { AlertCache } from './alert-cache.js';
import type { IndexedMinHeap } from './heap.js';
import type { Popups } from './popups.js';
import { quietEndsAt } from './quiet.js';
import type { RouteGate } from './routing.js';
import type { AlertSettings } from './types.js';
import type { WakeWindow } from './wake-window.js';

export interface WakeParts {
  heap: IndexedMinHeap<string>;
  window: WakeWindow | null;
  cache: AlertCache;
  popups: Popups;
  gate: RouteGate;
}

/** The instant to wake at, or Infinity for none. */
export function nextWake(p: WakeParts, now: number, settings: AlertSettings): number {
  const open = p.cache.open;
  let next = Math.min(p.heap.peek()?.at ?? Infinity, p.window?.loadedUntil ?? Infinity, p.cache.loadedUntil(settings));
  next = Math.min(
    next,
    open.nextRenotify(settings, (id) => p.heap.get(id)),
  );
  if (open.anyHeld) next = Math.min(next, quietEndsAt(now, settings.quietHours) ?? now);
  for (const id of p.popups.deferred) next = Math.min(next, p.heap.get(id) ?? now);
  return Math.min(
    next,
    p.gate.nextAt((key) => open.get(key)?.state === 'active'),
  );
}

/** Target states the views share (pure: types only, so tests can import it). */
import type { TargetView } from '../core/api/desk.js';

/** A target past its deadline and not stopped: breached (or being breached) now. */
export function overdue(t: Pick<TargetView, 'state' | 'dueAt'>, now: number): boolean {
  return (t.state === 'running' || t.state === 'paused') && t.dueAt !== null && t.dueAt < now;
}

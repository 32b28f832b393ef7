/**
 * What an evaluation answers: each target's status (§4) and the ticket's
 * next change, and how minutes are rounded in it.
 */
import type { Metric } from './policy.js';
import { MINUTE } from './time.js';
import type { TraceItem } from './trace.js';

/** Warning thresholds. Defaults: 75 % of the target's time used, and 15 minutes (wall clock) before the deadline. */
export interface WarningOptions {
  /** Percentages of the target's duration (open time) after which to warn. */
  percent?: number[];
  /** Minutes of wall-clock time before the deadline at which to warn. */
  beforeMinutes?: number[];
}

export const DEFAULT_WARNINGS: Required<WarningOptions> = { percent: [75], beforeMinutes: [15] };

export type TargetState = 'pending' | 'running' | 'paused' | 'stopped';

/** The `warnAt` of every target without warnings: one shared, frozen empty array (half the targets of a pass have none). */
export const NO_WARNINGS: number[] = Object.freeze([]) as unknown as number[];

/** A target's status at the evaluation instant (§4). Instants are epoch ms. */
export interface TargetStatus {
  metric: Metric;
  state: TargetState;
  /** Deadline (for `update`: the next update due); null as §4 says. */
  dueAt: number | null;
  /** When the target stopped (response given, ticket resolved/closed); null otherwise. */
  stoppedAt: number | null;
  breached: boolean;
  /** Counted open time up to the evaluation instant, whole minutes (rounded down). */
  elapsedMinutes: number;
  /** minutes/hours targets: N minus elapsed, rounded up, never below 0; null otherwise (and when pending). For `update`, of the current interval. */
  remainingMinutes: number | null;
  /** `update` only: missed updates so far. */
  missed?: number;
  /** When the target started (null while pending). */
  startedAt: number | null;
  /** The calendar the target counts on. */
  calendar: string;
  /** Warning instants of a running target (past ones included), ascending; [] otherwise (`NO_WARNINGS`, frozen: do not push to it). */
  warnAt: number[];
  /** Present when `explain` was asked for. */
  trace?: TraceItem[];
}

/** The result of `evaluateTicket`. */
export interface TicketStatus {
  /** The policy the ticket is measured against (the latest one, applied from creation). */
  policy: string;
  targets: TargetStatus[];
  /**
   * The first instant after `now` at which the evaluation changes by itself
   * (a warning threshold is reached, a deadline passes, an update is missed),
   * for a scheduler to sleep until; null when nothing will change without
   * new events. A deadline D counts as passed from D + 1 ms (D itself is met).
   */
  nextChangeAt: number | null;
}

/** Counted time in whole minutes, rounded down ("59 used, 1 left" while a second remains). */
export function minutesDown(ms: number): number {
  return Math.floor(ms / MINUTE + 1e-9);
}

/** Time left in whole minutes, rounded up, never below 0. */
export function minutesUp(ms: number): number {
  return Math.max(0, Math.ceil(ms / MINUTE - 1e-9));
}

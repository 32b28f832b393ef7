/**
 * The client side of sync over the SQLite store (runs in the store's worker
 * thread; the app reaches it as `store.sync.*`). It is the `LocalSyncStore`
 * the sync worker (main/sync/worker.ts) drives, plus enrolment and conflicts.
 *
 * - The outbox rows with a wire `seq` (server mutations, see ctx.mutate) are
 *   pushed in seq order; the server's answers are recorded (`markResults`):
 *   rejected ones are kept with their reason, never dropped.
 * - Pulled rows (`applyPulled`) are applied in ONE transaction together with
 *   the new pull cursor and the absorbed HLC: events are a union keyed by event
 *   id; a ticket's merged fields are the server's (the server merges, see
 *   core/sync/merge.ts), kept as `sync_tickets.row`, with this device's
 *   pending mutations replayed on top (as Replicache rebases) so an offline
 *   edit stays visible until the server has answered it.
 * - After an answer, tickets touched by it are rebuilt from the server copy
 *   plus what is still pending, so a rejected or superseded change does not
 *   linger locally.
 * - Reference records (customers, contracts, contacts, sites, assets) are
 *   applied by db/sync-records-apply.ts, first in each page, so tickets in the
 *   page find their contract.
 * The parts live in db/sync/: outbox.ts, pull.ts (with ticket-view.ts),
 * conflicts.ts, enrolment.ts, user-settings.ts (the user's synced alert scope); this class is their
 * one face (`store.sync.*`).
 * A pulled ticket takes its contract, site, asset and intake from the server
 * (ticket.create@2); the SLA schedule stays local (the planner computes it).
 */
import type { MutationResult, SyncAlertAck } from '../core/sync/mutations.js';
import type { PrefixInfo } from './case-numbers.js';
import type { Ctx } from './context.js';
import { SyncConflicts } from './sync/conflicts.js';
import type { LocalConflict } from './sync/conflicts.js';
import { SyncEnrolment } from './sync/enrolment.js';
import type { Enrolment } from './sync/enrolment.js';
import { SyncOutbox } from './sync/outbox.js';
import type { RejectedMutation, SyncCounts, WireMutation } from './sync/outbox.js';
import { PullApplier } from './sync/pull.js';
import { parsePulledText } from './sync/pull-text.js';
import type { PulledTextExpect } from './sync/pull-text.js';
import type { PulledPageInput, PulledPageResult } from './sync/pull.js';
import { UserSettingsPart } from './sync/user-settings.js';
import type { AlertScope } from './sync/user-settings.js';

export type { LocalConflict } from './sync/conflicts.js';
export type { Enrolment } from './sync/enrolment.js';
export type { RejectedMutation, SyncCounts, WireMutation } from './sync/outbox.js';
export type { PulledPageInput, PulledPageResult } from './sync/pull.js';

export class SyncRepo {
  private readonly pull: PullApplier;
  private readonly outbox: SyncOutbox;
  private readonly conflictsPart: SyncConflicts;
  private readonly enrolmentPart: SyncEnrolment;
  private readonly userSettings: UserSettingsPart;
  constructor(
    ctx: Ctx,
    enrolPrefix: (prefix: string) => PrefixInfo,
    /** Stores a pulled ack or snooze of an alert (db/repos/oncall.ts). */
    applyAck: (a: SyncAlertAck) => void = () => {},
  ) {
    this.userSettings = new UserSettingsPart(ctx);
    this.pull = new PullApplier(ctx, applyAck, (u) => this.userSettings.applyPulled(u));
    this.outbox = new SyncOutbox(ctx, this.pull);
    this.conflictsPart = new SyncConflicts(ctx, this.pull);
    this.enrolmentPart = new SyncEnrolment(ctx, enrolPrefix);
  }

  // ---- LocalSyncStore (main/sync/worker.ts drives it) ----

  /** Up to `limit` pending server mutations, oldest (lowest seq) first. */
  pendingMutations(limit: number): WireMutation[] {
    return this.outbox.pendingMutations(limit);
  }

  /** Records the server's answers (one transaction); returns the tickets whose local copy was rebuilt, and `userSettings` when a refused change of the user's alert scope was undone. */
  markResults(results: MutationResult[]): { ticketIds: string[]; recordKinds: string[] } {
    return this.userSettings.answered(() => this.outbox.markResults(results));
  }

  /** Applies a page of pulled changes with its cursor and HLC, in ONE transaction. */
  applyPulled(page: PulledPageInput): PulledPageResult {
    return this.pull.applyPulled(page);
  }

  /** The same for a page as the server's JSON text, parsed and checked here (db/sync/pull-text.ts). */
  applyPulledText(text: string, expect: PulledTextExpect): PulledPageResult {
    return this.applyPulled(parsePulledText(text, expect));
  }

  /** Tickets changed by pulls or answers whose schedule and alerts the app has not re-planned yet. */
  toReplan(limit = 1000): string[] {
    return this.pull.toReplan(limit);
  }

  /** The app re-planned these tickets. */
  replanned(ticketIds: string[]): void {
    this.pull.replanned(ticketIds);
  }

  /** The stored pull cursor ("0" before the first pull). */
  cursor(): string {
    return this.pull.cursor();
  }

  counts(): SyncCounts {
    return this.outbox.counts();
  }

  // ---- enrolment, status, lists ----

  /** Records the enrolment the server answered and switches new case numbers to its prefix. */
  enrol(e: Omit<Enrolment, 'enrolledAt'>): Enrolment {
    return this.enrolmentPart.enrol(e);
  }

  enrolment(): Enrolment | null {
    return this.enrolmentPart.enrolment();
  }

  lastSync(): { lastPullAt: number | null; lastPushAt: number | null } {
    return this.enrolmentPart.lastSync();
  }

  /** Mutations the server refused, newest first, with the reason. */
  rejected(limit = 100): RejectedMutation[] {
    return this.outbox.rejected(limit);
  }

  /** Open conflicts, newest first. */
  conflicts(limit = 100): LocalConflict[] {
    return this.conflictsPart.conflicts(limit);
  }

  /** Resolves a conflict with `value` (conflict.resolve@1 in the outbox; shown locally until answered). */
  resolveConflict(conflictId: string, value: string | null): LocalConflict {
    return this.conflictsPart.resolveConflict(conflictId, value);
  }

  // ---- the user's synced settings (db/sync/user-settings.ts) ----

  /** The enrolled user's alert scope (null: the role's default); `user` false when not enrolled as a user. */
  alertScope(): { user: boolean; alertScope: AlertScope } {
    return this.userSettings.alertScope();
  }

  /** Sets the user's alert scope on all their devices (`user.setAlertScope@1`); false when not enrolled as a user. */
  setAlertScope(alertScope: AlertScope): boolean {
    return this.userSettings.setAlertScope(alertScope);
  }
}

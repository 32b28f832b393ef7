/**
 * `LocalSyncStore` over the device's SQLite store (db/sync-store.ts). The
 * repository runs in the store's worker thread (`StoreClient.sync`) or, in
 * tests and the crash child, in-process (`openStore().sync`); both fit
 * `SyncRepoLike`. Tickets changed by pulled rows (or rebuilt after the
 * server's answers) are reported to `onTicketsChanged` (the app re-plans
 * their alerts and tells the UI). The first sync of an empty store is a bulk load
 * (db/sync/bulk.ts) when the owner gives `onBulkLoaded`: its pages report no
 * tickets, which wait in `sync_replan`, and `onBulkLoaded` re-plans them once
 * at its end. Without it every page is applied and reported as it comes.
 */
import type { MutationResult } from '../../core/sync/mutations.js';
import type { PulledPageResult } from '../../db/sync/pull.js';
import { parsePulledText } from '../../db/sync/pull-text.js';
import type { PulledTextExpect } from '../../db/sync/pull-text.js';
import type { LocalSyncStore, PendingMutation, PulledPage, PulledText } from './types.js';

type MaybePromise<T> = T | Promise<T>;
type Applied = Pick<PulledPageResult, 'ticketIds' | 'bulk'> & { recordKinds?: string[] };

export interface SyncRepoLike {
  pendingMutations(limit: number): MaybePromise<PendingMutation[]>;
  markResults(results: MutationResult[]): MaybePromise<{ ticketIds: string[]; recordKinds?: string[] }>;
  applyPulled(page: PulledPage): MaybePromise<Applied>;
  /** A page as its JSON text, parsed and checked by the store (db/sync/pull-text.ts); without it, parsed here. */
  applyPulledText?(text: string, expect: PulledTextExpect): MaybePromise<Applied>;
  cursor(): MaybePromise<string>;
  counts(): MaybePromise<{ pending: number; rejected: number; conflicts: number }>;
}

export class DbSyncStore implements LocalSyncStore {
  /** Kinds of records the pages of the current pull changed, not reported yet. */
  private readonly pulledKinds = new Set<string>();

  constructor(
    private readonly repo: SyncRepoLike,
    /** `pageKinds`: the record kinds of the same page, applied already (a rota the re-plan must read). */
    private readonly onTicketsChanged: (ticketIds: string[], pageKinds?: string[]) => MaybePromise<void> = () => {},
    private readonly onRecordsChanged: (kinds: string[]) => MaybePromise<void> = () => {},
    /** A bulk load ended: re-plan what waits in `sync_replan` (the app does it at start too). */
    private readonly onBulkLoaded?: () => MaybePromise<void>,
  ) {}

  async pendingMutations(limit: number): Promise<PendingMutation[]> {
    return this.repo.pendingMutations(limit);
  }

  async markResults(results: MutationResult[]): Promise<void> {
    if (!results.length) return;
    const r = await this.repo.markResults(results);
    // A refused change of the user's alert scope, undone: applied now, not at the next pull (db/sync/user-settings.ts).
    if (r.recordKinds?.length) await this.onRecordsChanged(r.recordKinds);
    if (r.ticketIds.length) await this.onTicketsChanged(r.ticketIds);
  }

  async applyPulled(page: PulledPage): Promise<void> {
    const r = await this.repo.applyPulled({ changes: page.changes, cursor: page.cursor, hlc: page.hlc, ...this.bulkMore(page.more) });
    await this.applied(r, page.more);
  }

  /** A page as text: the store's worker parses it (the main thread read only its envelope). */
  async applyPulledText(page: PulledText): Promise<void> {
    const expect = { cursor: page.cursor, hlc: page.hlc, ...this.bulkMore(page.more) };
    const r = this.repo.applyPulledText ? await this.repo.applyPulledText(page.text, expect) : await this.repo.applyPulled(parsePulledText(page.text, expect));
    await this.applied(r, page.more);
  }

  /** `more` lets the store start a bulk load: only for an owner that re-plans at its end. */
  private bulkMore(more: boolean | undefined): { more?: boolean } {
    return this.onBulkLoaded && more !== undefined ? { more } : {};
  }

  private async applied(r: Applied, more: boolean | undefined): Promise<void> {
    for (const k of r.recordKinds ?? []) this.pulledKinds.add(k);
    // Records are reported when the pull has reached its last page: what reacts to them sees the
    // tickets of the later pages too (the visit planner made a visit again whose ticket was still to
    // come, a change pending after the pull). A pull that fails midway reports them with the next one.
    if (!more && this.pulledKinds.size) {
      const kinds = [...this.pulledKinds];
      this.pulledKinds.clear();
      await this.onRecordsChanged(kinds);
    }
    if (r.ticketIds.length) await this.onTicketsChanged(r.ticketIds, r.recordKinds ?? []);
    if (r.bulk === 'loaded') await this.onBulkLoaded?.();
  }

  async cursor(): Promise<string> {
    return this.repo.cursor();
  }

  async counts(): Promise<{ pending: number; rejected: number; conflicts: number }> {
    return this.repo.counts();
  }
}

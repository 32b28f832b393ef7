/**
 * The scheduler's window on the stored next instants (tickets.next_wake_at):
 * at start it loads the tickets to plan now (never planned, or changed since)
 * and the earliest page of stored instants; later pages are read when the
 * clock reaches the end of what is loaded. The heap holds the window, not
 * every open ticket, and nothing crosses the worker a ticket at a time.
 */
import type { IndexedMinHeap } from './heap.js';

export interface WakeSource {
  /** Open tickets never planned or changed since they were, by id after `afterId`. */
  unplanned(afterId: string | null, limit: number): Promise<string[]>;
  /** Open tickets' stored next instants in (instant, id) order after the cursor. */
  page(after: { at: number; id: string } | null, limit: number): Promise<Array<[string, number]>>;
}

export const WAKE_PAGE = 1000;

export class WakeWindow {
  private last: { at: number; id: string } | null = null;
  private done = false;

  constructor(
    private readonly source: WakeSource,
    private readonly heap: IndexedMinHeap<string>,
    private readonly pageSize = WAKE_PAGE,
  ) {}

  /** Every unplanned ticket at instant 0 (plan at once), then the first page. */
  async open(): Promise<void> {
    for (let after: string | null = null; ;) {
      const ids = await this.source.unplanned(after, this.pageSize);
      for (const id of ids) this.heap.set(id, 0);
      if (ids.length < this.pageSize) break;
      after = ids[ids.length - 1] as string;
    }
    await this.next();
  }

  /**
   * The instant up to which the heap holds every stored instant (exclusive):
   * Infinity once the last page is read. The scheduler wakes by then to read on.
   */
  get loadedUntil(): number {
    return this.done ? Infinity : (this.last?.at ?? -Infinity);
  }

  /** Reads pages until everything due at or before `now` is in the heap. */
  async fill(now: number): Promise<void> {
    while (this.loadedUntil <= now) await this.next();
  }

  private async next(): Promise<void> {
    const rows = await this.source.page(this.last, this.pageSize);
    // The heap's own instant is newer than the stored one (planned since, not yet written back).
    for (const [id, at] of rows) if (this.heap.get(id) === undefined) this.heap.set(id, at);
    const end = rows[rows.length - 1];
    if (end) this.last = { id: end[0], at: end[1] };
    if (rows.length < this.pageSize) this.done = true;
  }
}

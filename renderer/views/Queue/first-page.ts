/**
 * The unfiltered queue's first page, kept so that the Queue view paints its
 * rows without waiting for the services (issue 19):
 *
 * - asked for as the page starts: the first module `renderer/main.tsx`
 *   evaluates calls `prefetchFirstPage()`, so the services read it while the
 *   page builds; once answered, the view opens on it at once, and its first
 *   unfiltered load takes it (`takeFirstPage`, once) instead of asking again;
 * - the last one the view loaded (`rememberFirstPage`) is what it shows at
 *   once when opened again (`lastFirstPage`), while it asks for a fresh one.
 *
 * A `tickets.changed` push drops both (the mounted view reloads on one). A
 * failed prefetch is not used: the view asks for itself and shows its error.
 */
import type { Request, Result } from '../../../core/api/contract.js';
import { bridge, call } from '../../transport.js';

export const PAGE = 200;
export type QueueFilter = NonNullable<Request<'desk.queue'>['filter']>;
type Page = Result<'desk.queue'>;

const unfiltered = (filter: QueueFilter) => Object.values(filter).every((v) => v == null);

let early: Promise<Page | null> | null = null;
let last: Page | null = null;
let watching = false;

function watch(): void {
  if (watching) return;
  watching = true;
  bridge.subscribe((e) => {
    if (e.name !== 'tickets.changed') return;
    early = null;
    last = null;
  });
}

export function prefetchFirstPage(): void {
  watch();
  if (early) return;
  // Answered before the view opens: it is also the page the view shows at once (unless a push dropped it meanwhile).
  const asked: Promise<Page | null> = call('desk.queue', { filter: { contractId: null, priority: null, status: null, assignee: null, q: null }, limit: PAGE }).then(
    (page) => {
      if (early === asked) last = page;
      return page;
    },
    () => null,
  );
  early = asked;
}

/** The prefetched page, once, when `filter` is the unfiltered queue's; else null (ask the services). */
export function takeFirstPage(filter: QueueFilter): Promise<Page | null> | null {
  if (!early || !unfiltered(filter)) return null;
  const page = early;
  early = null;
  return page;
}

/** The unfiltered first page the view last loaded, unless a ticket changed since. */
export function lastFirstPage(): Page | null {
  return last;
}

export function rememberFirstPage(filter: QueueFilter, page: Page): void {
  if (!unfiltered(filter)) return;
  watch();
  last = page;
}

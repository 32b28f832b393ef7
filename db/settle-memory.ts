/**
 * What a start leaves behind (issue 19, item 6): the first start after an upgrade shows and stamps the
 * alerts never shown before, 13,000 on the benchmark store, and that burst leaves garbage in the V8 heaps
 * of the main thread and of the store's worker, and SQLite's page cache filled. V8 collects its old space
 * when it reaches a limit, and its memory reducer starts only after such a collection: an app idle after
 * its start reaches neither, so the garbage stayed resident (`vakt serve`: 210-220 MB idle until something
 * forced a full GC, against 97 MB after an ordinary start). So once the start's work is done, the hosts
 * settle: one full, compacting collection in each thread (a plain one left the main thread's old space
 * half empty, 50 MB for 28 used) and `PRAGMA shrink_memory` (main/hosts/cli/serve.ts,
 * main/hosts/electron/main.ts). It runs once, when nothing waits.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** V8's full collection of this thread's heap (`--expose-gc`'s `gc`), obtained at run time; null where V8 refuses it. */
export function fullCollection(): (() => void) | null {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    if (typeof gc !== 'function') return null;
    return () => {
      // compacted, so the pages the garbage held are given back, not left half used
      setFlagsFromString('--compact-on-every-full-gc');
      try {
        (gc as () => void)();
      } finally {
        setFlagsFromString('--no-compact-on-every-full-gc');
      }
    };
  } catch {
    return null;
  }
}

/** How long after the start's work settling waits: the first requests (a queue page) come right after the URL. */
export const SETTLE_AFTER_MS = 1000;

/**
 * Once the start's work is done (`startWork`) and a moment passed with it done (so the collections do not
 * delay the first queue page), the store's worker settles (`settleStore`), then this thread collects;
 * true when it did.
 */
export async function settleAfterStart(
  startWork: () => Promise<void>,
  settleStore: () => Promise<unknown>,
  collect: (() => void) | null = fullCollection(),
  afterMs = SETTLE_AFTER_MS,
): Promise<boolean> {
  await startWork();
  await new Promise((r) => setTimeout(r, afterMs).unref());
  await settleStore();
  if (!collect) return false;
  collect();
  return true;
}

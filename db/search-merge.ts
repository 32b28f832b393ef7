/**
 * The search index's merges, when the store's writes pause (issue 19). Each commit that indexes text
 * adds a small FTS5 segment; FTS5 merged them inside the commit that crossed its `automerge` mark, so
 * now and then a person's registration wrote ten times its pages (on the 100k-ticket store 330–440
 * WAL pages instead of ~35, 13–22 ms in the worker). Migration 0023 turns that off; here, once no
 * write has committed for `idleMs`, FTS5's `merge` command runs in steps of about `pages` pages, each
 * its own transaction (without an fsync: an index reorganised, nothing a person wrote), yielding to
 * the thread's queued requests between steps, until a step finds nothing to merge (FTS5: fewer than
 * two changes). Its rule is FTS5's own: a level is merged once it holds `usermerge` (4) segments, as
 * `automerge` did. No timer runs while the store is idle; a writer that never pauses is bounded by
 * FTS5's crisis merge (16 segments on a level), which stays on.
 */
import type BetterSqlite3 from 'better-sqlite3';

/** How long after the last commit the merging starts. */
export const SEARCH_MERGE_IDLE_MS = 1000;
/** Pages one step writes at most (FTS5's `merge` parameter): a request arriving meanwhile waits for one step only. */
export const SEARCH_MERGE_PAGES = 64;

export interface SearchMergerOptions {
  idleMs?: number;
  pages?: number;
  /** Runs a step's write in a transaction of the store's (its checkpoint told of it). */
  commit: (fn: () => void) => void;
  /** A step that failed; merging starts again after the next write. */
  onError: (message: string) => void;
}

export interface SearchMerger {
  /** A write committed: merging starts `idleMs` after the last one. */
  wrote(): void;
  /** No step runs after this. */
  stop(): void;
}

export function startSearchMerger(db: BetterSqlite3.Database, opts: SearchMergerOptions): SearchMerger {
  const idleMs = opts.idleMs ?? SEARCH_MERGE_IDLE_MS;
  const merge = db.prepare(`INSERT INTO search_fts (search_fts, rank) VALUES ('merge', ?)`);
  const changes = db.prepare('SELECT total_changes()').pluck();
  let timer: NodeJS.Timeout | null = null;
  let stepping = false;
  let stopped = false;

  const schedule = (ms: number) => {
    timer = setTimeout(step, ms);
    // Never keeps a process alive on its own (a store not closed in a test or a tool).
    timer.unref();
  };
  function step(): void {
    timer = null;
    if (stopped) return;
    let worked = false;
    stepping = true;
    try {
      opts.commit(() => {
        const before = changes.get() as number;
        merge.run(opts.pages ?? SEARCH_MERGE_PAGES);
        worked = (changes.get() as number) - before >= 2;
      });
    } catch (e) {
      opts.onError(`merging the search index failed: ${(e as Error).message}`);
      return;
    } finally {
      stepping = false;
    }
    if (worked) schedule(0);
  }
  return {
    wrote() {
      // The steps' own commits do not put the next step off.
      if (stopped || stepping) return;
      if (timer) timer.refresh();
      else schedule(idleMs);
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}

/** The search index's segments on each level, from FTS5's structure record (tests, benchmarks). */
export function searchSegments(db: BetterSqlite3.Database): number[] {
  const block = db.prepare('SELECT block FROM search_fts_data WHERE id = 10').pluck().get() as Buffer | undefined;
  if (!block || block.length < 8) return [];
  let i = 4; // the cookie
  const v2 = block.readUInt32BE(4) === 0xff000001;
  if (v2) i += 4;
  const varint = (): number => {
    let v = 0;
    for (let n = 0; n < 9; n++) {
      const b = block[i++] as number;
      if (n === 8) return v * 256 + b;
      v = v * 128 + (b & 0x7f);
      if (b < 0x80) return v;
    }
    return v;
  };
  const levels = varint();
  varint(); // segments in all
  varint(); // write counter
  if (v2) varint(); // origin counter
  const perLevel: number[] = [];
  for (let l = 0; l < levels; l++) {
    varint(); // segments being merged
    const n = varint();
    perLevel.push(n);
    for (let s = 0; s < n; s++) for (let k = 0; k < (v2 ? 8 : 3); k++) varint();
  }
  return perLevel;
}

/**
 * 0023: the search index's merges off the person's commit (issue 19). FTS5 merged segments inside the
 * commit that added one (its `automerge`): on the 100k-ticket store 9 of 1000 registrations wrote 330–440
 * pages instead of ~35, 13–22 ms in the store's worker, the app path's p99. Automatic merging is turned
 * off here (a setting FTS5 keeps in the file); the app's store merges when its writes pause
 * (db/search-merge.ts). FTS5's crisis merge (16 segments on one level) stays the bound for a writer that
 * never pauses.
 */
import type { Migration } from './types.js';

export const migration: Migration = {
  version: 23,
  name: 'search-merge',
  up(db) {
    db.exec(/* sql */ `INSERT INTO search_fts (search_fts, rank) VALUES ('automerge', 0)`);
  },
};

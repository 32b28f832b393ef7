/**
 * Migration 0023: FTS5's automatic merge of the search index turned off (the app's store merges when its
 * writes pause, db/search-merge.ts); what the index holds is kept and still found.
 */
import { afterEach, expect, it } from 'vitest';
import { cleanupTempDirs, createDB, updateToVersion } from '../helpers.js';

afterEach(cleanupTempDirs);

it('turns automerge off in the index, keeping what it holds', () => {
  const db = createDB();
  updateToVersion(db, 22);
  db.prepare(`INSERT INTO search_fts (body, ticket_id, source) VALUES (?, ?, 'ticket')`).run('fiber cut at cabinet', 't1');
  const automerge = () => db.prepare(`SELECT v FROM search_fts_config WHERE k = 'automerge'`).pluck().get();
  expect(automerge()).toBeUndefined();
  updateToVersion(db, 23);
  expect(automerge()).toBe(0);
  expect(db.prepare(`SELECT ticket_id FROM search_fts WHERE search_fts MATCH 'cabinet'`).pluck().all()).toEqual(['t1']);
  db.close();
});

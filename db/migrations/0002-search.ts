/**
 * 0002: full-text search over ticket descriptions and note/callback texts.
 * The indexed text is folded by the app first (see db/search.ts: ø->o, æ->ae,
 * ...), because unicode61 cannot decompose those letters.
 */
import type { Migration } from './types.js';
import { foldForSearch } from '../search.js';

export const migration: Migration = {
  version: 2,
  name: 'search',
  up(db) {
    db.exec(/* sql */ `
      CREATE VIRTUAL TABLE search_fts USING fts5(
        body,
        ticket_id UNINDEXED,
        source UNINDEXED,          -- 'ticket' or an event id
        tokenize = "unicode61 remove_diacritics 2"
      );
    `);
    // Backfill what a version-1 database already holds.
    const ins = db.prepare('INSERT INTO search_fts (body, ticket_id, source) VALUES (?, ?, ?)');
    for (const t of db.prepare(`SELECT id, coalesce(title,'') || ' ' || coalesce(description,'') AS body FROM tickets`).all() as Array<{ id: string; body: string }>) {
      ins.run(foldForSearch(t.body), t.id, 'ticket');
    }
    for (const e of db
      .prepare(`SELECT id, ticket_id, json_extract(data, '$.text') AS body FROM ticket_events WHERE type IN ('note','callback') AND json_extract(data, '$.text') IS NOT NULL`)
      .all() as Array<{ id: string; ticket_id: string; body: string }>) {
      ins.run(foldForSearch(e.body), e.ticket_id, e.id);
    }
  },
};

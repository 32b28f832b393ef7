/** Migration 0002-search (db/migrations/0002-search.ts): what it is for, on a database of the version before it; the EXPLAIN QUERY PLAN of the query its index serves. */
import { describe, expect, it } from 'vitest';
import { schemaVersion } from '../../../db/migrate.js';
import { createDB, updateToVersion } from '../helpers.js';

describe('0002-search', () => {
  it('adds the FTS5 table and backfills texts of a version-1 database, folded', () => {
    const db = createDB();
    updateToVersion(db, 1);
    db.prepare(`INSERT INTO customers (id, name, created_at, updated_at, hlc) VALUES ('c', 'C', 0, 0, 'h')`).run();
    db.prepare(
      `INSERT INTO tickets (id, case_number, customer_id, channel, description, created_at, updated_at, created_by, hlc) VALUES ('t', 'K7-0001-X', 'c', 'phone', 'Router på Ærø er nede', 0, 0, 'd', 'h')`,
    ).run();
    db.prepare(`INSERT INTO ticket_events (id, ticket_id, type, at, recorded_at, data, device_id, hlc) VALUES ('e', 't', 'note', 0, 0, '{"text":"Ringede til Søren"}', 'd', 'h')`).run();
    updateToVersion(db, 2);
    expect(schemaVersion(db)).toBe(2);
    const hit = (q: string) => (db.prepare(`SELECT source FROM search_fts WHERE search_fts MATCH ?`).all(q) as { source: string }[]).map((r) => r.source);
    expect(hit('aero')).toEqual(['ticket']);
    expect(hit('soren')).toEqual(['e']);
  });
});

/** Migration 0012-search-ticket-fields (db/migrations/0012-search-ticket-fields.ts): what it is for, on a database of the version before it; the EXPLAIN QUERY PLAN of the query its index serves. */
import { describe, expect, it } from 'vitest';
import { schemaVersion } from '../../../db/migrate.js';
import { QUERIES } from '../../../db/repos/tickets.js';
import { createDB, explain, updateToVersion } from '../helpers.js';

describe('0012-search-ticket-fields', () => {
  it("rebuilds each ticket's search row with its reporter and customer reference; the case-number part query reads the case-number index only", () => {
    const db = createDB();
    updateToVersion(db, 11);
    db.prepare(`INSERT INTO customers (id, name, created_at, updated_at, hlc) VALUES ('c', 'C', 0, 0, 'h')`).run();
    db.prepare(
      `INSERT INTO tickets (id, case_number, customer_id, channel, title, description, reporter_name, customer_ref, created_at, updated_at, created_by, hlc) VALUES ('t', 'K7-0003-X', 'c', 'phone', 'Mail down', 'Router på Ærø', 'Søren Kjær', 'PO-7781', 0, 0, 'd', 'h')`,
    ).run();
    db.prepare(`INSERT INTO tickets (id, case_number, customer_id, channel, created_at, updated_at, created_by, hlc) VALUES ('u', 'K7-0004-Y', 'c', 'phone', 0, 0, 'd', 'h')`).run();
    // the search rows a version-9 store wrote: the ticket's title and description, and a note's
    db.prepare(`INSERT INTO search_fts (body, ticket_id, source) VALUES ('Mail down Router pa Aero', 't', 'ticket'), ('Ringede til kunden', 't', 'e')`).run();
    const hit = (q: string) =>
      (db.prepare(`SELECT ticket_id, source FROM search_fts WHERE search_fts MATCH ?`).all(q) as { ticket_id: string; source: string }[]).map((r) => `${r.ticket_id}:${r.source}`);
    expect(hit('soren')).toEqual([]);
    updateToVersion(db, 12);
    expect(schemaVersion(db)).toBe(12);
    expect(hit('soren')).toEqual(['t:ticket']);
    expect(hit('"PO" "7781"')).toEqual(['t:ticket']);
    expect(hit('aero')).toEqual(['t:ticket']);
    expect(hit('kunden')).toEqual(['t:e']);
    expect((db.prepare(`SELECT count(*) AS n FROM search_fts WHERE source = 'ticket'`).get() as { n: number }).n).toBe(1);
    const plan = explain(db, QUERIES.byCaseNumberPart, '%0003%', 20).join('\n');
    expect(plan).toMatch(/SCAN tickets USING COVERING INDEX/);
    expect(plan).not.toMatch(/SCAN t\b(?! USING)/);
    expect((db.prepare(QUERIES.byCaseNumberPart).all('%0003%', 20) as { id: string }[]).map((r) => r.id)).toEqual(['t']);
  });
});

/**
 * 0012: a ticket's search row also holds its reporter's name and the
 * customer's reference (issue 15 item 4: "search finds reporters"). The rows
 * of source 'ticket' are rebuilt with `ticketSearchText` (db/search.ts), the
 * one definition the store and sync write with. Customers, agreement numbers
 * and partial case numbers are found without the FTS (desk.queue, docs/desk.md).
 */
import type { Migration } from './types.js';
import { ticketSearchText } from '../search.js';

export const migration: Migration = {
  version: 12,
  name: 'search-ticket-fields',
  up(db) {
    db.exec(`DELETE FROM search_fts WHERE source = 'ticket'`);
    const ins = db.prepare(`INSERT INTO search_fts (body, ticket_id, source) VALUES (?, ?, 'ticket')`);
    const rows = db.prepare(`SELECT id, title, description, reporter_name, customer_ref FROM tickets`).all() as Array<Record<string, string | null>>;
    for (const t of rows) {
      const body = ticketSearchText({ title: t.title ?? null, description: t.description ?? null, reporterName: t.reporter_name ?? null, customerRef: t.customer_ref ?? null });
      if (body) ins.run(body, t.id);
    }
  },
};

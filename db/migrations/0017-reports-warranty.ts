/**
 * 0017: scheduled reports and warranty (issue 20 items 3 and 4;
 * docs/scheduled-reports.md, docs/warranty.md).
 *
 * - contracts.reports / contracts.warranty: the contract's sections (JSON,
 *   checked by core/agreements); contracts.report_sends: the reports sent
 *   (period, when, to whom, by whom). All three travel with the contract record.
 * - assets.purchase_date / assets.warranty_until: calendar dates
 *   ("2015-01-01"), with the asset record.
 * - notifications: its ticket_id may name a report reminder
 *   ("report|<contract>|<schedule>"), which is no ticket, so the table is
 *   rebuilt without the foreign key (SQLite cannot drop one in place). A
 *   ticket's alerts still go when it does: none are ever deleted.
 */
import type { Migration } from './types.js';

export const migration: Migration = {
  version: 17,
  name: 'reports-warranty',
  up(db) {
    const cols = (db.prepare(`SELECT name FROM pragma_table_info('notifications')`).all() as { name: string }[]).map((r) => r.name);
    db.exec(/* sql */ `
      ALTER TABLE contracts ADD COLUMN reports TEXT CHECK (reports IS NULL OR json_valid(reports));
      ALTER TABLE contracts ADD COLUMN warranty TEXT CHECK (warranty IS NULL OR json_valid(warranty));
      ALTER TABLE contracts ADD COLUMN report_sends TEXT CHECK (report_sends IS NULL OR json_valid(report_sends));
      ALTER TABLE assets ADD COLUMN purchase_date TEXT CHECK (purchase_date IS NULL OR purchase_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
      ALTER TABLE assets ADD COLUMN warranty_until TEXT CHECK (warranty_until IS NULL OR warranty_until GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
    `);
    const sql = (db.prepare(`SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'notifications'`).get() as { sql: string }).sql;
    const indexes = (db.prepare(`SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'notifications' AND sql IS NOT NULL`).all() as { sql: string }[]).map((r) => r.sql);
    const rebuilt = sql.replace(/CREATE TABLE notifications/, 'CREATE TABLE notifications_new').replace(/\s+REFERENCES tickets\(id\)/, '');
    if (rebuilt === sql.replace(/CREATE TABLE notifications/, 'CREATE TABLE notifications_new')) throw new Error('notifications.ticket_id has no foreign key to drop');
    db.exec(rebuilt);
    db.exec(`INSERT INTO notifications_new (${cols.join(', ')}) SELECT ${cols.join(', ')} FROM notifications`);
    db.exec('DROP TABLE notifications');
    db.exec('ALTER TABLE notifications_new RENAME TO notifications');
    for (const s of indexes) db.exec(s);
  },
};

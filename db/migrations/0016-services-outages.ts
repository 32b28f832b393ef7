/**
 * 0016: services and outages (issue 20 item 2, docs/availability.md).
 *
 * `contracts.services` is the contract's services with their availability
 * targets (JSON, the contract record's `services`; NULL: none). `outages` are
 * the `outage` records: a service of a contract down from `start_at` to
 * `end_at` (NULL while it goes on), entered by hand on a ticket or opened by
 * the sync server from monitoring, and synced like every record.
 */
import type { Migration } from './types.js';

export const migration: Migration = {
  version: 16,
  name: 'services-outages',
  up(db) {
    db.exec(/* sql */ `
      ALTER TABLE contracts ADD COLUMN services TEXT CHECK (services IS NULL OR json_valid(services));
      CREATE TABLE outages (
        id          TEXT PRIMARY KEY,
        contract_id TEXT NOT NULL,
        service_id  TEXT NOT NULL,
        ticket_id   TEXT,
        start_at    INTEGER NOT NULL,
        end_at      INTEGER,
        source      TEXT NOT NULL CHECK (source IN ('manual','alertmanager','events','check')),
        summary     TEXT,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL,
        version     INTEGER NOT NULL DEFAULT 1,
        hlc         TEXT NOT NULL,
        CHECK (end_at IS NULL OR end_at >= start_at)
      ) STRICT;
      CREATE INDEX outages_service ON outages(contract_id, service_id, start_at);
      CREATE INDEX outages_ticket ON outages(ticket_id) WHERE ticket_id IS NOT NULL;
    `);
  },
};

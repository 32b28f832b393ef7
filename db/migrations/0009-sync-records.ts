/**
 * 0009: reference records sync (docs/sync.md "Reference records").
 *
 * - contracts.checklist and contracts.wording: a contract's inspection
 *   checklist and the agreement's own wording, which until now sat in this
 *   device's settings (`field.checklist.<id>`, `desk.wording.<id>`); the rate
 *   card set on this device (`billing.rateCard.<id>`) moves into
 *   contracts.rate_card. All three now travel with the contract record.
 * - sync_records: per record, the latest HLC this device knows (its own
 *   change or the server's), a tombstone for deleted contacts, and the
 *   server's copy (put back when the server refuses a local change).
 * - sync_orphan_records: pulled records whose parent (a contact's contract, a
 *   contract's customer, ...) has not arrived yet; applied when it does.
 * - sync_replan: tickets changed by a pull whose schedule and alerts still
 *   have to be re-planned, so a crash right after a pull loses none.
 * - indexes on the contract, site and asset a pulled ticket names
 *   (sync_tickets.row), to link the tickets when the record arrives.
 * - Every existing customer, site, contract, contact and asset gets one
 *   pending `record.put@1` (numbered after what is pending), so what this
 *   device registered before reaches the server.
 */
import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { RECORD_TABLE, recordData } from '../sync-records.js';
import type { Migration } from './types.js';

const SQL = /* sql */ `
ALTER TABLE contracts ADD COLUMN checklist TEXT CHECK (checklist IS NULL OR json_valid(checklist));
ALTER TABLE contracts ADD COLUMN wording TEXT CHECK (wording IS NULL OR json_valid(wording));

CREATE TABLE sync_records (
  id      TEXT PRIMARY KEY,
  kind    TEXT NOT NULL,
  hlc     TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0,1)),
  server  TEXT CHECK (server IS NULL OR json_valid(server))
) STRICT;

CREATE TABLE sync_orphan_records (
  id        TEXT PRIMARY KEY,
  parent_id TEXT NOT NULL,
  record    TEXT NOT NULL CHECK (json_valid(record))
) STRICT;
CREATE INDEX sync_orphan_records_parent ON sync_orphan_records(parent_id);

-- Tickets a pull changed whose schedule and alerts are not yet re-planned (written in the pull's
-- transaction, cleared once done; what a crash leaves here is re-planned at the next start).
CREATE TABLE sync_replan (ticket_id TEXT PRIMARY KEY) STRICT;

-- A pulled ticket names its contract, site and asset; when one of them arrives later, its tickets are found here.
CREATE INDEX sync_tickets_contract ON sync_tickets(json_extract(row, '$.contractId')) WHERE json_extract(row, '$.contractId') IS NOT NULL;
CREATE INDEX sync_tickets_site ON sync_tickets(json_extract(row, '$.siteId')) WHERE json_extract(row, '$.siteId') IS NOT NULL;
CREATE INDEX sync_tickets_asset ON sync_tickets(json_extract(row, '$.assetId')) WHERE json_extract(row, '$.assetId') IS NOT NULL;

UPDATE contracts SET checklist = (SELECT value FROM settings WHERE key = 'field.checklist.' || contracts.id)
  WHERE EXISTS (SELECT 1 FROM settings WHERE key = 'field.checklist.' || contracts.id);
UPDATE contracts SET rate_card = (SELECT value FROM settings WHERE key = 'billing.rateCard.' || contracts.id)
  WHERE EXISTS (SELECT 1 FROM settings WHERE key = 'billing.rateCard.' || contracts.id);
UPDATE contracts SET wording = (SELECT value FROM settings WHERE key = 'desk.wording.' || contracts.id)
  WHERE EXISTS (SELECT 1 FROM settings WHERE key = 'desk.wording.' || contracts.id);
DELETE FROM settings WHERE key LIKE 'field.checklist.%' OR key LIKE 'billing.rateCard.%' OR key LIKE 'desk.wording.%';
`;

type Row = Record<string, unknown>;

/** Parents before children, so the server can check each record's parent. */
const ORDER = ['customer', 'site', 'contract', 'contact', 'asset'] as const;

function publishExisting(db: BetterSqlite3.Database): void {
  const bump = db.prepare('UPDATE device_state SET device_seq = device_seq + 1, sync_seq = sync_seq + 1 WHERE id = 1 RETURNING device_seq, sync_seq');
  const ins = db.prepare(`INSERT INTO outbox (id, device_seq, seq, name, version, payload, status, created_at, updated_at, hlc) VALUES (?, ?, ?, 'record.put', 1, ?, 'pending', ?, ?, ?)`);
  const clock = db.prepare('INSERT INTO sync_records (id, kind, hlc) VALUES (?, ?, ?)');
  let n = 0;
  for (const kind of ORDER) {
    for (const row of db.prepare(`SELECT * FROM ${RECORD_TABLE[kind]} ORDER BY created_at, id`).all() as Row[]) {
      // Placeholders for customers of pulled tickets are not this device's to publish.
      if (kind === 'customer' && row.name === `Customer ${(row.id as string).slice(-8)} (synced)`) continue;
      const at = (row.updated_at as number | undefined) ?? (row.created_at as number);
      const { device_seq, sync_seq } = bump.get() as { device_seq: number; sync_seq: number };
      // A UUIDv7 made from the record: its creation time, and random bits from a hash of its id (unique per record).
      const r = createHash('sha256')
        .update(`${row.id as string}|${++n}`)
        .digest('hex');
      const ts = Math.max(0, Math.floor(row.created_at as number))
        .toString(16)
        .padStart(12, '0')
        .slice(-12);
      const id = `${ts.slice(0, 8)}-${ts.slice(8, 12)}-7${r.slice(0, 3)}-${((parseInt(r[3] as string, 16) & 0x3) | 0x8).toString(16)}${r.slice(4, 7)}-${r.slice(7, 19)}`;
      ins.run(id, device_seq, sync_seq, JSON.stringify({ kind, id: row.id, deleted: false, data: recordData(kind, row) }), at, at, row.hlc);
      clock.run(row.id, kind, row.hlc);
    }
  }
}

export const migration: Migration = {
  version: 9,
  name: 'sync-records',
  up(db) {
    db.exec(SQL);
    publishExisting(db);
  },
};

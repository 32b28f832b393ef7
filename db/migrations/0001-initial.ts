/**
 * 0001: the initial schema. Synced rows have a UUIDv7 text id, a `version`
 * (row revision) and the HLC of their last change. Instants are epoch ms.
 */
import type { Migration } from './types.js';

const SQL = /* sql */ `
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- Identity of this install: the device id written on events, the per-device
-- mutation counter and the last HLC issued (so it survives restarts).
CREATE TABLE device_state (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  install_id TEXT NOT NULL,
  device_id  TEXT NOT NULL,
  device_seq INTEGER NOT NULL DEFAULT 0,
  hlc        TEXT,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,          -- JSON
  updated_at INTEGER NOT NULL
) STRICT;

-- Case-number prefixes this install has used; exactly one is active.
CREATE TABLE case_prefixes (
  prefix         TEXT PRIMARY KEY,
  kind           TEXT NOT NULL CHECK (kind IN ('provisional','enrolled')),
  next_seq       INTEGER NOT NULL CHECK (next_seq >= 1),
  active         INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0,1)),
  created_at     INTEGER NOT NULL,
  retired_at     INTEGER,
  retired_reason TEXT
) STRICT;
CREATE UNIQUE INDEX case_prefixes_one_active ON case_prefixes(active) WHERE active = 1;

CREATE TABLE customers (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  org_number TEXT,
  notes      TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  version    INTEGER NOT NULL DEFAULT 1,
  hlc        TEXT NOT NULL
) STRICT;
CREATE INDEX customers_name ON customers(name COLLATE NOCASE);

CREATE TABLE contracts (
  id                TEXT PRIMARY KEY,
  customer_id       TEXT NOT NULL REFERENCES customers(id),
  agreement_number  TEXT NOT NULL UNIQUE,
  name              TEXT,
  policy_set        TEXT NOT NULL CHECK (json_valid(policy_set)),      -- {calendars, policies}
  default_policy    TEXT,
  rate_card         TEXT CHECK (rate_card IS NULL OR json_valid(rate_card)),
  intake_fields     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(intake_fields)),
  support_code_hash TEXT,                                              -- scrypt$N$r$p$salt$hash
  valid_from        INTEGER,
  valid_to          INTEGER,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  version           INTEGER NOT NULL DEFAULT 1,
  hlc               TEXT NOT NULL
) STRICT;
CREATE INDEX contracts_customer ON contracts(customer_id);

-- People allowed to report faults on a contract.
CREATE TABLE contract_contacts (
  id           TEXT PRIMARY KEY,
  contract_id  TEXT NOT NULL REFERENCES contracts(id),
  name         TEXT NOT NULL,
  phone        TEXT,                  -- as entered
  phone_digits TEXT,                  -- last 8 digits, for caller lookup
  email        TEXT,
  role         TEXT,
  created_at   INTEGER NOT NULL,
  version      INTEGER NOT NULL DEFAULT 1,
  hlc          TEXT NOT NULL
) STRICT;
CREATE INDEX contract_contacts_contract ON contract_contacts(contract_id);
CREATE INDEX contract_contacts_phone ON contract_contacts(phone_digits) WHERE phone_digits IS NOT NULL;

CREATE TABLE sites (
  id          TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL REFERENCES customers(id),
  name        TEXT NOT NULL,
  address     TEXT,
  created_at  INTEGER NOT NULL,
  version     INTEGER NOT NULL DEFAULT 1,
  hlc         TEXT NOT NULL
) STRICT;
CREATE INDEX sites_customer ON sites(customer_id);

CREATE TABLE assets (
  id            TEXT PRIMARY KEY,
  customer_id   TEXT NOT NULL REFERENCES customers(id),
  site_id       TEXT REFERENCES sites(id),
  product       TEXT,
  serial_number TEXT,
  created_at    INTEGER NOT NULL,
  version       INTEGER NOT NULL DEFAULT 1,
  hlc           TEXT NOT NULL
) STRICT;
CREATE INDEX assets_customer ON assets(customer_id);
CREATE INDEX assets_site ON assets(site_id);
CREATE INDEX assets_serial ON assets(serial_number COLLATE NOCASE);

CREATE TABLE tickets (
  id               TEXT PRIMARY KEY,
  case_number      TEXT NOT NULL UNIQUE,
  customer_id      TEXT NOT NULL REFERENCES customers(id),
  contract_id      TEXT REFERENCES contracts(id),
  site_id          TEXT REFERENCES sites(id),
  asset_id         TEXT REFERENCES assets(id),
  policy           TEXT,
  status           TEXT NOT NULL DEFAULT 'open'
                   CHECK (status IN ('open','waiting_on_customer','waiting_on_vendor','resolved','closed')),
  priority         TEXT,
  channel          TEXT NOT NULL CHECK (channel IN ('phone','email','web','letter','onsite','other')),
  assignee         TEXT,
  title            TEXT,
  description      TEXT,
  reporter_name    TEXT,
  reporter_phone   TEXT,
  customer_ref     TEXT,            -- the customer's own case number
  vendor_ref       TEXT,            -- the vendor's (manufacturer/carrier) reference
  escalation_level INTEGER NOT NULL DEFAULT 0 CHECK (escalation_level >= 0),
  intake           TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(intake)),   -- intake field values
  next_due_at      INTEGER,         -- earliest upcoming SLA deadline (from the SLA engine)
  next_callback_at INTEGER,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  created_by       TEXT NOT NULL,   -- device id
  version          INTEGER NOT NULL DEFAULT 1,
  hlc              TEXT NOT NULL
) STRICT;
-- the open queue, ordered by next deadline (tickets without one go last)
CREATE INDEX tickets_queue ON tickets(ifnull(next_due_at, 9007199254740991), id)
  WHERE status IN ('open','waiting_on_customer','waiting_on_vendor');
CREATE INDEX tickets_customer ON tickets(customer_id, created_at, id);
CREATE INDEX tickets_customer_ref ON tickets(customer_ref COLLATE NOCASE, created_at) WHERE customer_ref IS NOT NULL;
CREATE INDEX tickets_asset ON tickets(asset_id) WHERE asset_id IS NOT NULL;
CREATE INDEX tickets_callback ON tickets(next_callback_at) WHERE next_callback_at IS NOT NULL;
CREATE INDEX tickets_contract ON tickets(contract_id);
CREATE INDEX tickets_site ON tickets(site_id);

-- Append-only log of what happened to a ticket.
CREATE TABLE ticket_events (
  id          TEXT PRIMARY KEY,
  ticket_id   TEXT NOT NULL REFERENCES tickets(id),
  type        TEXT NOT NULL CHECK (type IN (
                'created','responded','status','update_logged','policy_changed',
                'note','callback','escalation','time_entry','visit','assigned','edited')),
  at          INTEGER NOT NULL,     -- when it happened (may be back-dated)
  recorded_at INTEGER NOT NULL,     -- when it was written here
  author      TEXT,
  data        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)),
  device_id   TEXT NOT NULL,
  hlc         TEXT NOT NULL
) STRICT;
CREATE INDEX ticket_events_ticket ON ticket_events(ticket_id, at, hlc);

CREATE TRIGGER ticket_events_no_update BEFORE UPDATE ON ticket_events
BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only: events cannot be changed'); END;
CREATE TRIGGER ticket_events_no_delete BEFORE DELETE ON ticket_events
BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only: events cannot be deleted'); END;

CREATE TABLE attachments (
  id         TEXT PRIMARY KEY,
  ticket_id  TEXT NOT NULL REFERENCES tickets(id),
  event_id   TEXT REFERENCES ticket_events(id),
  sha256     TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
  size       INTEGER NOT NULL CHECK (size >= 0),
  mime       TEXT NOT NULL,
  name       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  device_id  TEXT NOT NULL,
  hlc        TEXT NOT NULL
) STRICT;
CREATE INDEX attachments_ticket ON attachments(ticket_id);
CREATE INDEX attachments_sha256 ON attachments(sha256);

-- Alerts (device-local, not synced). One row per (ticket, target, kind, due instant).
CREATE TABLE notifications (
  id            TEXT PRIMARY KEY,
  ticket_id     TEXT NOT NULL REFERENCES tickets(id),
  target        TEXT NOT NULL,      -- response | resolution | update | callback | ...
  kind          TEXT NOT NULL,      -- e.g. warning | due | breached
  due_at        INTEGER NOT NULL,
  created_at    INTEGER NOT NULL,
  shown_at      INTEGER,
  acked_at      INTEGER,
  snoozed_until INTEGER,
  UNIQUE (ticket_id, target, kind, due_at)
) STRICT;
CREATE INDEX notifications_pending ON notifications(due_at) WHERE acked_at IS NULL;

-- Local changes waiting to be pushed. Rejected ones are kept.
CREATE TABLE outbox (
  id         TEXT PRIMARY KEY,
  device_seq INTEGER NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  version    INTEGER NOT NULL,
  payload    TEXT NOT NULL CHECK (json_valid(payload)),
  status     TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','applied','rejected')),
  reason     TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  hlc        TEXT NOT NULL
) STRICT;
CREATE INDEX outbox_pending ON outbox(device_seq) WHERE status = 'pending';
CREATE INDEX outbox_rejected ON outbox(device_seq) WHERE status = 'rejected';

CREATE TABLE sync_state (
  id             INTEGER PRIMARY KEY CHECK (id = 1),
  server_url     TEXT,
  tenant_id      TEXT,
  pull_cursor    TEXT,
  last_pull_at   INTEGER,
  last_push_at   INTEGER
) STRICT;
INSERT INTO sync_state (id) VALUES (1);
`;

export const migration: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(SQL);
  },
};

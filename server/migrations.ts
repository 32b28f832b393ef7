/**
 * Server schema migrations: numbered, applied in order, recorded in
 * `schema_migrations`, each in its own transaction under an advisory lock (so
 * two servers starting at once against one PostgreSQL do not race).
 */
import type { Db } from './db.js';

export interface ServerMigration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: ServerMigration[] = [
  {
    version: 1,
    name: 'initial',
    sql: /* sql */ `
CREATE TABLE tenants (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  -- The tenant's change counter ("global version"). A push takes it with
  -- UPDATE ... RETURNING, which locks the row until commit: pushes of one
  -- tenant are serialised and versions commit in increasing order.
  version     BIGINT NOT NULL DEFAULT 0,
  max_hlc     TEXT,
  next_prefix INTEGER NOT NULL DEFAULT 1,
  sla_contract JSONB,
  created_at  BIGINT NOT NULL
);

CREATE TABLE users (
  id         TEXT PRIMARY KEY,
  tenant_id  TEXT NOT NULL REFERENCES tenants(id),
  name       TEXT NOT NULL,
  role       TEXT NOT NULL CHECK (role IN ('duty_officer','technician','admin')),
  created_at BIGINT NOT NULL
);
CREATE INDEX users_tenant ON users(tenant_id);

CREATE TABLE devices (
  id          TEXT PRIMARY KEY,
  tenant_id   TEXT NOT NULL REFERENCES tenants(id),
  user_id     TEXT NOT NULL REFERENCES users(id),
  name        TEXT NOT NULL,
  token_hash  TEXT NOT NULL UNIQUE,           -- sha256 of the bearer token (tokens are 256-bit random)
  case_prefix TEXT,
  last_seq    BIGINT NOT NULL DEFAULT 0,      -- highest mutation seq processed
  created_at  BIGINT NOT NULL,
  revoked_at  BIGINT
);
CREATE INDEX devices_tenant ON devices(tenant_id);

CREATE TABLE enrolment_codes (
  code_hash   TEXT PRIMARY KEY,
  tenant_id   TEXT NOT NULL REFERENCES tenants(id),
  user_id     TEXT NOT NULL REFERENCES users(id),
  created_by  TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  expires_at  BIGINT NOT NULL,
  used_at     BIGINT,
  used_by     TEXT
);

-- Case-number prefixes: enrolled ones handed out by the server, provisional
-- ones a device used before enrolment (registered at enrolment, stay valid).
CREATE TABLE case_prefixes (
  tenant_id  TEXT NOT NULL REFERENCES tenants(id),
  prefix     TEXT NOT NULL,
  device_id  TEXT NOT NULL REFERENCES devices(id),
  kind       TEXT NOT NULL CHECK (kind IN ('enrolled','provisional')),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, prefix)
);

-- Every mutation the server processed, with its outcome (idempotency log).
CREATE TABLE mutations (
  device_id   TEXT NOT NULL REFERENCES devices(id),
  seq         BIGINT NOT NULL,
  id          TEXT NOT NULL,
  tenant_id   TEXT NOT NULL,
  name        TEXT NOT NULL,
  version     INTEGER NOT NULL,
  hlc         TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('applied','rejected')),
  reason      TEXT,
  message     TEXT,
  conflict_id TEXT,
  applied_version BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (device_id, seq),
  UNIQUE (tenant_id, id)
);

CREATE TABLE tickets (
  tenant_id      TEXT NOT NULL REFERENCES tenants(id),
  id             TEXT COLLATE "C" NOT NULL,
  case_number    TEXT NOT NULL,
  customer_id    TEXT NOT NULL,
  channel        TEXT NOT NULL,
  title          TEXT,
  description    TEXT,
  customer_ref   TEXT,
  vendor_ref     TEXT,
  reporter_name  TEXT,
  reporter_phone TEXT,
  priority       TEXT,
  assignee       TEXT,
  status         TEXT NOT NULL DEFAULT 'open',
  policy         TEXT,
  field_hlc      JSONB NOT NULL DEFAULT '{}',
  closed_version BIGINT,
  sla            JSONB,
  next_due_at    BIGINT,
  created_at     BIGINT NOT NULL,
  created_by     TEXT NOT NULL,
  version        BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT tickets_case_number_unique UNIQUE (tenant_id, case_number)
);
CREATE INDEX tickets_pull ON tickets(tenant_id, version, id);

CREATE TABLE ticket_events (
  tenant_id  TEXT NOT NULL,
  id         TEXT COLLATE "C" NOT NULL,
  ticket_id  TEXT NOT NULL,
  type       TEXT NOT NULL,
  at         BIGINT NOT NULL,
  author     TEXT,
  data       JSONB NOT NULL DEFAULT '{}',
  device_id  TEXT NOT NULL,
  hlc        TEXT NOT NULL,
  version    BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets(tenant_id, id)
);
CREATE INDEX ticket_events_pull ON ticket_events(tenant_id, version, id);
CREATE INDEX ticket_events_ticket ON ticket_events(tenant_id, ticket_id);

CREATE TABLE conflicts (
  tenant_id  TEXT NOT NULL,
  id         TEXT COLLATE "C" NOT NULL,
  ticket_id  TEXT NOT NULL,
  field      TEXT NOT NULL,
  candidates JSONB NOT NULL,
  status     TEXT NOT NULL CHECK (status IN ('open','resolved')),
  resolution TEXT,
  created_at BIGINT NOT NULL,
  version    BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets(tenant_id, id)
);
CREATE INDEX conflicts_pull ON conflicts(tenant_id, version, id);
CREATE INDEX conflicts_open ON conflicts(tenant_id, ticket_id, field) WHERE status = 'open';
`,
  },
  {
    version: 2,
    name: 'records',
    sql: /* sql */ `
-- Reference records (record.put@1): customers, contracts, contacts, sites,
-- assets. The whole record is kept; the latest HLC wins (last writer wins).
CREATE TABLE records (
  tenant_id  TEXT NOT NULL REFERENCES tenants(id),
  id         TEXT COLLATE "C" NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('customer','contract','contact','site','asset')),
  data       JSONB NOT NULL,
  deleted    BOOLEAN NOT NULL DEFAULT false,
  hlc        TEXT COLLATE "C" NOT NULL,
  device_id  TEXT NOT NULL,
  version    BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX records_pull ON records(tenant_id, version, id);
-- One live contract per agreement number in a tenant.
CREATE UNIQUE INDEX records_agreement ON records(tenant_id, (data->>'agreementNumber')) WHERE kind = 'contract';

-- ticket.create@2: what another device needs to run the ticket's SLA clock.
ALTER TABLE tickets ADD COLUMN contract_id TEXT;
ALTER TABLE tickets ADD COLUMN site_id TEXT;
ALTER TABLE tickets ADD COLUMN asset_id TEXT;
ALTER TABLE tickets ADD COLUMN intake JSONB;
`,
  },
  {
    version: 3,
    name: 'event-receipts',
    sql: /* sql */ `
-- Event times the server can stand behind (docs/sync.md "Event times"): when the
-- server received each event (events stored before this migration: NULL, not
-- known) and the name of the device that sent it (device_id is its id).
ALTER TABLE ticket_events ADD COLUMN received_at BIGINT;
ALTER TABLE ticket_events ADD COLUMN device_name TEXT;
-- The server's clock at the device's last pull: an honest device pulls only after
-- pushing everything it held, so what it pushes later happened after that.
ALTER TABLE devices ADD COLUMN last_pull_at BIGINT;
`,
  },
  {
    version: 4,
    name: 'oncall-rota-and-alert-acks',
    sql: /* sql */ `
-- Issue 18: a team's on-call rota is a record (record.put@1 kind 'rota').
ALTER TABLE records DROP CONSTRAINT records_kind_check;
ALTER TABLE records ADD CONSTRAINT records_kind_check CHECK (kind IN ('customer','contract','contact','site','asset','rota'));

-- alert.ack@1: the latest ack or snooze of an alert (its key) by a user; pulled as 'ack' changes.
-- id = md5(alert_key | user_id). received_at: when the server first had an ack of it from this user.
CREATE TABLE alert_acks (
  tenant_id   TEXT NOT NULL REFERENCES tenants(id),
  id          TEXT COLLATE "C" NOT NULL,
  alert_key   TEXT NOT NULL,
  ticket_id   TEXT NOT NULL,
  user_id     TEXT NOT NULL,
  action      TEXT NOT NULL CHECK (action IN ('ack','snooze')),
  until       BIGINT,
  at          BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  hlc         TEXT COLLATE "C" NOT NULL,
  device_id   TEXT NOT NULL,
  version     BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX alert_acks_pull ON alert_acks(tenant_id, version, id);
`,
  },
  {
    version: 5,
    name: 'services-integrations',
    sql: /* sql */ `
-- Issue 20: outages of a contract's services are records (record.put@1 kind 'outage').
ALTER TABLE records DROP CONSTRAINT records_kind_check;
ALTER TABLE records ADD CONSTRAINT records_kind_check CHECK (kind IN ('customer','contract','contact','site','asset','rota','outage'));

-- Integration keys (vakt server admin integration-key): one per monitored service, shown once, stored
-- as SHA-256, revocable. check_url/check_every_minutes: the server's own optional HTTP check.
CREATE TABLE integration_keys (
  id          TEXT PRIMARY KEY,
  tenant_id   TEXT NOT NULL REFERENCES tenants(id),
  key_hash    TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  contract_id TEXT NOT NULL,
  service_id  TEXT NOT NULL,
  check_url   TEXT,
  check_every_minutes INTEGER,
  created_at  BIGINT NOT NULL,
  revoked_at  BIGINT
);
CREATE INDEX integration_keys_tenant ON integration_keys(tenant_id);

-- The device the server writes monitoring tickets and outages as (one per tenant), with its case
-- counter and last HLC (its mutations go through the same push checks as a device's).
CREATE TABLE monitor_devices (
  tenant_id   TEXT PRIMARY KEY REFERENCES tenants(id),
  device_id   TEXT NOT NULL REFERENCES devices(id),
  next_case   INTEGER NOT NULL DEFAULT 1,
  last_hlc    TEXT
);

-- A monitoring alert (Alertmanager fingerprint + start, Events API dedup_key, a URL check) and the
-- outage and ticket it opened: a repeated event finds it here and updates, never duplicates.
CREATE TABLE integration_alerts (
  tenant_id   TEXT NOT NULL REFERENCES tenants(id),
  key_id      TEXT NOT NULL REFERENCES integration_keys(id),
  dedup_key   TEXT NOT NULL,
  outage_id   TEXT NOT NULL,
  ticket_id   TEXT NOT NULL,
  start_at    BIGINT NOT NULL,
  end_at      BIGINT,
  updated_at  BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, outage_id)
);
CREATE INDEX integration_alerts_key ON integration_alerts(key_id, dedup_key, start_at);
`,
  },
  {
    // 6, not 5: main has 5 (services-integrations, issue 20) since this branch began.
    version: 6,
    name: 'status-version',
    sql: /* sql */ `
-- Issue 17: status changes merge by what the changing device had seen (docs/sync.md "Merging").
-- status_version: the tenant version at which the ticket's current status was set. It was
-- closed_version (set for closed tickets only), whose values are exactly that for closed tickets;
-- NULL (other tickets until their next status change): not known, last writer wins.
ALTER TABLE tickets RENAME COLUMN closed_version TO status_version;
`,
  },
  {
    version: 7,
    name: 'user-settings',
    sql: /* sql */ `
-- Issue 17 item 4: a user's own settings, synced to their devices (user.setAlertScope@1, pulled as
-- 'userSettings' changes by that user's devices only). id = the user's id. alert_scope: whose
-- tickets alert them ('mine', 'all'; NULL: the role's default). Last writer (HLC) wins.
CREATE TABLE user_settings (
  tenant_id   TEXT NOT NULL REFERENCES tenants(id),
  id          TEXT COLLATE "C" NOT NULL,
  alert_scope TEXT CHECK (alert_scope IN ('mine','all')),
  hlc         TEXT COLLATE "C" NOT NULL,
  device_id   TEXT NOT NULL,
  version     BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX user_settings_pull ON user_settings(tenant_id, version, id);
`,
  },
];

export const LATEST_SERVER_SCHEMA = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

/** Applies the migrations not yet applied; returns the versions it applied. */
export async function migrate(db: Db, now: () => number): Promise<number[]> {
  await db.query(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    const did = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(7461231)');
      const r = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version]);
      if (r.rows.length) return false;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, now()]);
      return true;
    });
    if (did) applied.push(m.version);
  }
  const newest = await db.query<{ v: number }>('SELECT max(version)::int AS v FROM schema_migrations');
  const v = newest.rows[0]?.v ?? 0;
  if (v > LATEST_SERVER_SCHEMA) throw new Error(`the database has server schema ${v}, newer than this server (${LATEST_SERVER_SCHEMA}); update the server`);
  return applied;
}

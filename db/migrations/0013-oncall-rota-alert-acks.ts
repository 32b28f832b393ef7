/**
 * 0013: on call (issue 18 items 3, 4).
 * - rotas: a team's on-call rota, a synced record (`record.put@1` kind rota;
 *   the columns are its fields, db/sync-records.ts).
 * - alert_acks: acks and snoozes of alerts by user, as the server has them
 *   (pulled `ack` changes; received_at is the server's clock) or as this
 *   device sent them (received_at NULL until the server's copy comes back).
 * - alert_escalations: the escalation steps this device has written into the
 *   ticket's timeline, so each is written once.
 * - sync_state.user_id: the user this device is enrolled as (who "I" am in a rota).
 */
import type { Migration } from './types.js';

export const migration: Migration = {
  version: 13,
  name: 'oncall-rota-alert-acks',
  up(db) {
    db.exec(/* sql */ `
      CREATE TABLE rotas (
        id           TEXT PRIMARY KEY,
        name         TEXT NOT NULL,
        timezone     TEXT NOT NULL,
        members      TEXT NOT NULL CHECK (json_valid(members)),
        lead         TEXT,
        contract_ids TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(contract_ids)),
        week         TEXT NOT NULL CHECK (json_valid(week)),
        overrides    TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(overrides)),
        escalation   TEXT NOT NULL CHECK (json_valid(escalation)),
        created_at   INTEGER NOT NULL,
        updated_at   INTEGER NOT NULL,
        version      INTEGER NOT NULL DEFAULT 1,
        hlc          TEXT NOT NULL
      ) STRICT;
      CREATE TABLE alert_acks (
        alert_key   TEXT NOT NULL,
        user_id     TEXT NOT NULL,
        ticket_id   TEXT NOT NULL,
        action      TEXT NOT NULL CHECK (action IN ('ack','snooze')),
        until       INTEGER,
        at          INTEGER NOT NULL,
        received_at INTEGER,
        hlc         TEXT NOT NULL,
        PRIMARY KEY (alert_key, user_id)
      ) STRICT;
      CREATE TABLE alert_escalations (
        alert_key TEXT NOT NULL,
        step      INTEGER NOT NULL,
        at        INTEGER NOT NULL,
        person    TEXT NOT NULL,
        PRIMARY KEY (alert_key, step)
      ) STRICT;
      ALTER TABLE sync_state ADD COLUMN user_id TEXT;
    `);
  },
};

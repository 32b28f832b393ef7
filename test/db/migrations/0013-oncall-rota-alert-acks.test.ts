/** Migration 0013-oncall-rota-alert-acks (db/migrations/0013-oncall-rota-alert-acks.ts): what it is for, on a database of the version before it; the EXPLAIN QUERY PLAN of the query its index serves. */
import { describe, expect, it } from 'vitest';
import { schemaVersion } from '../../../db/migrate.js';
import { createDB, explain, tables, updateToVersion } from '../helpers.js';

describe('0013-oncall-rota-alert-acks', () => {
  it('adds rotas (JSON checked), the acks and snoozes per alert and user, the escalation steps written, and the enrolled user; existing sync state keeps no user', () => {
    const db = createDB();
    updateToVersion(db, 12);
    updateToVersion(db, 13);
    expect(schemaVersion(db)).toBe(13);
    for (const t of ['rotas', 'alert_acks', 'alert_escalations']) expect(tables(db)).toContain(t);
    expect(db.prepare(`SELECT user_id FROM sync_state`).get()).toEqual({ user_id: null });

    const rota = db.prepare(`INSERT INTO rotas (id, name, timezone, members, week, escalation, created_at, updated_at, hlc) VALUES (?, 'Net', 'Europe/Oslo', ?, '{}', '[]', 0, 0, 'h')`);
    rota.run('r1', '["kari"]');
    expect(() => rota.run('r2', 'kari')).toThrow(/CHECK/);
    expect(db.prepare(`SELECT contract_ids, overrides, version FROM rotas`).get()).toEqual({ contract_ids: '[]', overrides: '[]', version: 1 });

    // One row per alert and user: a second ack of the same user replaces, not adds.
    const ack = db.prepare(`INSERT INTO alert_acks (alert_key, user_id, ticket_id, action, until, at, hlc) VALUES (?, ?, 't', ?, NULL, 1, 'h')`);
    ack.run('a1', 'kari', 'ack');
    ack.run('a1', 'ola', 'snooze');
    expect(() => ack.run('a1', 'kari', 'ack')).toThrow(/UNIQUE/);
    expect(() => ack.run('a2', 'kari', 'forget')).toThrow(/CHECK/);
    // The alert's acks (oncall repo acksOf) and escalation steps (steps) are read by alert key on the primary keys.
    expect(explain(db, `SELECT * FROM alert_acks WHERE alert_key = ? ORDER BY coalesce(received_at, at)`, 'a1').join('\n')).toContain('sqlite_autoindex_alert_acks_1');
    const step = db.prepare(`INSERT INTO alert_escalations (alert_key, step, at, person) VALUES ('a1', ?, 1, 'kari')`);
    step.run(1);
    expect(() => step.run(1)).toThrow(/UNIQUE/);
    const steps = explain(db, `SELECT step, at, person FROM alert_escalations WHERE alert_key = ? ORDER BY step`, 'a1').join('\n');
    expect(steps).toContain('sqlite_autoindex_alert_escalations_1');
    expect(steps).not.toContain('TEMP B-TREE');
  });
});

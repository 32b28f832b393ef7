/**
 * Migration 0022: the Alerts panel's page (and the active alerts in the same order) read from an index,
 * without sorting every active alert; the active alerts never shown from an index of their own (a start
 * shows them); the alerts of the version before are kept and paged alike.
 */
import { afterEach, expect, it } from 'vitest';
import { ALERT_PANEL_QUERIES } from '../../../db/repos/alert-panel.js';
import { NOTIFICATION_QUERIES } from '../../../db/repos/notifications.js';
import { cleanupTempDirs, createDB, explain, T0, updateToVersion } from '../helpers.js';

afterEach(cleanupTempDirs);

it("keeps the alerts; the panel's page and the active list come in order from the index, without a sort", () => {
  const db = createDB();
  updateToVersion(db, 21);
  const ins = db.prepare(`INSERT INTO notifications (id, ticket_id, target, kind, due_at, created_at, state, critical, held) VALUES (?, ?, 'response', 'breach', ?, ?, ?, 0, 0)`);
  ins.run('n3', 't1', T0 + 2, T0, 'active');
  ins.run('n1', 't2', T0, T0, 'active');
  ins.run('n2', 't3', T0, T0, 'active');
  ins.run('n0', 't4', T0 - 1, T0, 'acked');
  updateToVersion(db, 22);
  expect((db.prepare(ALERT_PANEL_QUERIES.page).all(10, 0) as { id: string }[]).map((r) => r.id)).toEqual(['n1', 'n2', 'n3']);
  expect((db.prepare(ALERT_PANEL_QUERIES.page).all(1, 1) as { id: string }[]).map((r) => r.id)).toEqual(['n2']);
  // The active alerts never shown (a start shows them), from their own index.
  expect((db.prepare(NOTIFICATION_QUERIES.unshown).all() as { id: string }[]).map((r) => r.id)).toEqual(['n1', 'n2', 'n3']);
  db.prepare(`UPDATE notifications SET shown_at = ? WHERE id = 'n2'`).run(T0);
  expect((db.prepare(NOTIFICATION_QUERIES.unshown).all() as { id: string }[]).map((r) => r.id)).toEqual(['n1', 'n3']);
  for (const [sql, params] of [
    [ALERT_PANEL_QUERIES.page, [10, 0]],
    [NOTIFICATION_QUERIES.active, []],
  ] as const) {
    const plan = explain(db, sql, ...params).join('\n');
    expect(plan).toContain('notifications_panel');
    expect(plan).not.toContain('TEMP B-TREE');
  }
  db.close();
});

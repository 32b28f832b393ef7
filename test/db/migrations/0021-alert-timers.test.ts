/**
 * Migration 0021: what a start of the alert scheduler reads instead of every open alert (docs/alerts.md):
 * the active count and the held alerts, and the alerts that pop up again by themselves a page at a time,
 * from partial indexes; alerts of the version before are kept and found.
 */
import { afterEach, expect, it } from 'vitest';
import { NOTIFICATION_QUERIES } from '../../../db/repos/notifications.js';
import { cleanupTempDirs, createDB, explain, T0, testStore, updateToVersion } from '../helpers.js';

afterEach(cleanupTempDirs);

it("keeps the alerts; the start's reads use the new indexes, the timed pages in order without a sort", () => {
  const db = createDB();
  updateToVersion(db, 20);
  const ins = db.prepare(
    `INSERT INTO notifications (id, ticket_id, target, kind, due_at, created_at, shown_at, snoozed_until, state, critical, held) VALUES (?, ?, 'response', 'breach', ?, ?, ?, ?, ?, ?, ?)`,
  );
  ins.run('n1', 't1', T0, T0, T0 + 1, null, 'active', 1, 0);
  ins.run('n2', 't2', T0, T0, T0 + 2, T0 + 600_000, 'active', 0, 0);
  ins.run('n3', 't3', T0, T0, null, null, 'active', 0, 1);
  ins.run('n4', 't4', T0, T0, T0 + 3, null, 'acked', 1, 0);
  updateToVersion(db, 21);
  expect(db.prepare(`SELECT count(*) AS n FROM notifications`).get()).toEqual({ n: 4 });
  expect(db.prepare(NOTIFICATION_QUERIES.activeCount).get()).toEqual({ n: 3 });
  expect((db.prepare(NOTIFICATION_QUERIES.held).all() as { id: string }[]).map((r) => r.id)).toEqual(['n3']);
  expect((db.prepare(NOTIFICATION_QUERIES.shown).all(-Infinity, '', 10) as { id: string }[]).map((r) => r.id)).toEqual(['n1']);
  expect((db.prepare(NOTIFICATION_QUERIES.snoozes).all(-Infinity, '', 10) as { id: string }[]).map((r) => r.id)).toEqual(['n2']);
  for (const q of ['shown', 'snoozes'] as const) {
    const plan = explain(db, NOTIFICATION_QUERIES[q], T0, 'x', 10).join('\n');
    expect(plan).toContain(`USING INDEX notifications_${q} (`);
    expect(plan).not.toContain('TEMP B-TREE');
  }
  expect(explain(db, NOTIFICATION_QUERIES.activeCount).join('\n')).toContain('notifications_active');
  db.close();
});

it('the repo pages the timed alerts by (instant, id) and reads open alerts by ticket', () => {
  const { store } = testStore();
  const n = store.notifications;
  const base = { caseNumber: 'C', target: 'resolution', kind: 'breach', dueAt: T0, critical: true, text: 'x', state: 'active' as const, raisedAt: T0, snoozedUntil: null, held: false, closedAt: null };
  n.recordAlerts(Array.from({ length: 5 }, (_, i) => ({ ...base, ticketId: `t${i}`, notifiedAt: T0 + (i % 2) })));
  n.recordAlerts([{ ...base, ticketId: 't0', kind: 'callback_overdue', notifiedAt: null, state: 'acked', closedAt: T0 }]);
  const first = n.timed('shown', null, 3);
  expect(first.alerts.map((a) => a.notifiedAt)).toEqual([T0, T0, T0]);
  const rest = n.timed('shown', first.last, 3);
  expect(rest.alerts.map((a) => a.notifiedAt)).toEqual([T0 + 1, T0 + 1]);
  expect(new Set([...first.alerts, ...rest.alerts].map((a) => a.ticketId)).size).toBe(5);
  expect(n.timed('shown', rest.last, 3)).toEqual({ alerts: [], last: null });
  expect(n.timed('snoozes', null, 3).alerts).toEqual([]);
  expect(n.startup()).toEqual({ active: 5, held: [], unshown: [], renotified: null });
  expect(n.openOf(['t0', 't9']).map((a) => a.kind)).toEqual(['breach', 'callback_overdue']);
  expect(n.active()).toHaveLength(5);
  store.close();
});

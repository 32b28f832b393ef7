import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTIFICATION_QUERIES } from '../../db/repos/notifications.js';
import { NO_DEADLINE, QUERIES, QUEUE_WHERE, queueFilteredSql } from '../../db/repos/ticket-queries.js';
import { forSqlite } from '../../db/sql.js';
import type { Sql } from '../../db/sql.js';
import type { Store } from '../../db/store.js';
import { T0, cleanupTempDirs, explain, seeded } from './helpers.js';

let store: Store;
beforeAll(() => {
  const s = seeded();
  store = s.store;
  // enough rows (and ANALYZE) that the planner has real choices to make
  for (let i = 0; i < 300; i++) {
    const t = store.tickets.register({
      customerId: s.customer.id,
      channel: 'email',
      description: `Fejl nummer ${i}`,
      customerRef: `REF-${i}`,
      asset: { product: 'Cisco 4331', serialNumber: `SN${i}` },
    });
    store.tickets.setSchedule(t.id, { nextDueAt: i % 7 === 0 ? null : T0 + 1_000 + i, nextCallbackAt: i % 3 === 0 ? T0 + 5_000 + i : null });
    store.tickets.update(t.id, { priority: ['critical', 'high', 'normal', 'low'][i % 4] as string });
    if (i % 5 === 0) store.tickets.appendEvent(t.id, { type: 'assigned', data: { assignee: `officer-${i % 3}` } });
    if (i % 6 === 1) store.tickets.appendEvent(t.id, { type: 'status', data: { status: 'waiting_on_customer' } });
    if (i % 4 === 0) store.tickets.appendEvent(t.id, { type: 'status', data: { status: 'resolved' } });
  }
  store.db.prepare(`UPDATE tickets SET contract_id = ? WHERE rowid % 2 = 0`).run(s.contract.id);
  store.db.exec('ANALYZE');
});
afterAll(() => {
  store.close();
  cleanupTempDirs();
});

/** No full scan of a table, no temp b-tree for ORDER BY, and the intended index. */
function expectPlan(plan: string[], index: string) {
  const text = plan.join('\n');
  expect(text, text).toContain(index);
  expect(text, text).not.toMatch(/USE TEMP B-TREE/);
  expect(text, text).not.toMatch(/^SCAN (t|tickets|a|assets|notifications|outbox)$/m);
}

describe('query plans', () => {
  it("the alert scheduler's start: unplanned tickets and the next page of wake-ups from their indexes, no sort", () => {
    expectPlan(explain(store.db, QUERIES.wakeUnplanned, '', 1000), 'tickets_wake_unplanned');
    const page = explain(store.db, QUERIES.wakePage, 5, 'x', 1000);
    expectPlan(page, 'tickets_wake');
    expect(page.join('\n')).toMatch(/SEARCH tickets USING COVERING INDEX tickets_wake \(/);
  });
  it('open queue, first page and next pages: tickets_queue, no sort', () => {
    expectPlan(explain(store.db, QUERIES.queueFirst, 50), 'tickets_queue');
    const after = explain(store.db, QUERIES.queueAfter, { due: 1000, id: 'x', limit: 50 });
    expectPlan(after, 'tickets_queue');
    // a seek to the cursor, not a walk from the first row
    expect(after.join('\n')).toMatch(/SEARCH t USING INDEX tickets_queue \(<expr>>\?\)/);
  });
  // The filtered queue (desk.queue with a filter): one partial index per filter (0005-queue-filters).
  const FILTERS = {
    contract: { where: QUEUE_WHERE.contract('k'), index: 'tickets_queue_contract' },
    priority: { where: QUEUE_WHERE.priority('high'), index: 'tickets_queue_priority' },
    status: { where: QUEUE_WHERE.status('waiting_on_customer'), index: 'tickets_queue_status' },
    assignee: { where: QUEUE_WHERE.assignee('officer-1'), index: 'tickets_queue_assignee' },
  } as const;
  const CURSOR = QUEUE_WHERE.after({ dueKey: 1000, id: 'x' });
  const plan = (where: Sql[]) => {
    const q = forSqlite(queueFilteredSql(where, 50));
    return explain(store.db, q.text, ...(q.params as unknown[]));
  };
  for (const [name, f] of Object.entries(FILTERS)) {
    it(`open queue filtered by ${name}: ${f.index}, in deadline order, also with the cursor`, () => {
      const first = plan([f.where]);
      expectPlan(first, f.index);
      expect(first.join('\n')).toMatch(new RegExp(`SEARCH t USING INDEX ${f.index} \\(${name === 'contract' ? 'contract_id' : name}=\\?`));
      expectPlan(plan([f.where, CURSOR]), f.index);
    });
  }
  it('open queue filtered by two things at once: still an index in deadline order, no sort', () => {
    const both = plan([FILTERS.contract.where, FILTERS.priority.where]);
    expect(both.join('\n')).toMatch(/tickets_queue_(contract|priority)/);
    expect(both.join('\n')).not.toMatch(/USE TEMP B-TREE/);
  });
  it("a customer's tickets: tickets_customer", () => {
    expectPlan(explain(store.db, QUERIES.byCustomer, 'c', 50), 'tickets_customer');
    expectPlan(explain(store.db, QUERIES.byCustomerBefore, 'c', 1, 'x', 50), 'tickets_customer');
  });
  it('by case number: the unique index', () => {
    expectPlan(explain(store.db, QUERIES.byCaseNumber, 'K7-0001-X'), 'sqlite_autoindex_tickets_2');
  });
  it('by customer reference: tickets_customer_ref', () => {
    expectPlan(explain(store.db, QUERIES.byCustomerRef, 'REF-1', 20), 'tickets_customer_ref');
  });
  it('by serial number: assets_serial then tickets_asset (the few matches are sorted in memory)', () => {
    const plan = explain(store.db, QUERIES.bySerial, 'SN1', 20);
    expect(plan.join('\n')).toContain('assets_serial');
    expect(plan.join('\n')).toContain('tickets_asset');
    expect(plan.join('\n')).not.toMatch(/^SCAN (t|a)$/m);
  });
  it("the handover's counts and callbacks in a shift: from their indexes, no sort", () => {
    expectPlan(explain(store.db, QUERIES.openOfPriorityCount, 'critical'), 'tickets_queue_priority');
    expect(explain(store.db, QUERIES.openOfPriorityCount, 'critical').join('\n')).toMatch(/SEARCH t USING INDEX tickets_queue_priority \(priority=\?\)/);
    expectPlan(explain(store.db, QUERIES.callbacksIn, 0, 10_000, 5), 'tickets_callback');
    expect(explain(store.db, QUERIES.callbacksInCount, 0, 10_000).join('\n')).toMatch(/SEARCH t USING COVERING INDEX tickets_callback \(next_callback_at>\? AND next_callback_at<\?\)/);
  });
  it('callbacks due: tickets_callback, in order', () => {
    expectPlan(explain(store.db, QUERIES.callbacksDue, 10_000, 100), 'tickets_callback');
  });
  it('full-text search: the FTS5 index', () => {
    expect(explain(store.db, QUERIES.search, '"fejl"', 20).join('\n')).toMatch(/VIRTUAL TABLE INDEX/);
  });
  it('pending notifications: notifications_pending', () => {
    expectPlan(explain(store.db, NOTIFICATION_QUERIES.pending, 1, 1, 100), 'notifications_pending');
  });
});

describe('the queries return the right rows', () => {
  it('queue pages walk every open ticket once, earliest deadline first, no-deadline last', () => {
    const seen: number[] = [];
    const ids = new Set<string>();
    let after = null;
    for (;;) {
      const page = store.tickets.queue({ limit: 40, after });
      for (const t of page.items) {
        expect(t.status).not.toBe('resolved');
        ids.add(t.id);
        seen.push(t.nextDueAt ?? NO_DEADLINE);
      }
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(ids.size).toBe(300 - 75);
  });
  it('filtered pages: only matching open tickets, earliest deadline first, each once', () => {
    const walk = (filter: Parameters<Store['tickets']['queueFiltered']>[0]) => {
      const out: { id: string; due: number }[] = [];
      let after = null;
      for (;;) {
        const page = store.tickets.queueFiltered(filter, { limit: 17, after });
        for (const t of page.items) out.push({ id: t.id, due: t.nextDueAt ?? NO_DEADLINE });
        if (!page.next) break;
        after = page.next;
      }
      return out;
    };
    const all = walk({});
    const check = (filter: Parameters<Store['tickets']['queueFiltered']>[0], pred: (t: ReturnType<Store['tickets']['get']>) => boolean) => {
      const got = walk(filter);
      expect(new Set(got.map((x) => x.id)).size).toBe(got.length);
      expect(got.map((x) => x.due)).toEqual([...got.map((x) => x.due)].sort((a, b) => a - b));
      expect(got.map((x) => x.id).sort()).toEqual(
        all
          .filter((x) => pred(store.tickets.get(x.id)))
          .map((x) => x.id)
          .sort(),
      );
      expect(got.length).toBeGreaterThan(0);
    };
    check({ priority: 'high' }, (t) => t?.priority === 'high');
    check({ status: 'waiting_on_customer' }, (t) => t?.status === 'waiting_on_customer');
    check({ assignee: 'officer-1' }, (t) => t?.assignee === 'officer-1');
    const contractId = all.map((x) => store.tickets.get(x.id)?.contractId).find(Boolean) as string;
    check({ contractId }, (t) => t?.contractId === contractId);
    check({ priority: 'normal', assignee: 'officer-0' }, (t) => t?.priority === 'normal' && t?.assignee === 'officer-0');
  });
  it('callbacks due at t', () => {
    const due = store.tickets.callbacksDue(T0 + 5_010);
    expect(due.length).toBeGreaterThan(0);
    expect(due.every((t) => (t.nextCallbackAt as number) <= T0 + 5_010)).toBe(true);
  });
  it('by reference and serial, case-insensitive', () => {
    expect(store.tickets.byCustomerRef('ref-7')).toHaveLength(1);
    expect(store.tickets.bySerialNumber('sn7')).toHaveLength(1);
  });
});

/**
 * 0005: the open queue filtered by contract, priority, status or assignee
 * (issue 4/5). Each filter gets a partial index on (filter column, deadline
 * key, id) over open tickets, so a filtered page is an index range read in
 * deadline order: no temp b-tree, no walk over other filters' rows. The
 * expression and the WHERE must match `queueFilteredSql` (db/repos/tickets.ts)
 * term for term, or SQLite will not use them.
 */
import type { Migration } from './types.js';

const OPEN = `status IN ('open','waiting_on_customer','waiting_on_vendor')`;
const DUE = 'ifnull(next_due_at, 9007199254740991)';

export const migration: Migration = {
  version: 5,
  name: 'queue-filters',
  up(db) {
    db.exec(/* sql */ `
      CREATE INDEX tickets_queue_contract ON tickets(contract_id, ${DUE}, id) WHERE ${OPEN};
      CREATE INDEX tickets_queue_priority ON tickets(priority, ${DUE}, id) WHERE ${OPEN};
      CREATE INDEX tickets_queue_status ON tickets(status, ${DUE}, id) WHERE ${OPEN};
      CREATE INDEX tickets_queue_assignee ON tickets(assignee, ${DUE}, id) WHERE ${OPEN};
      ANALYZE tickets;
    `);
  },
};

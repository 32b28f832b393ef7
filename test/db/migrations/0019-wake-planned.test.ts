/**
 * tickets.wake_planned (migration 0019): a ticket planned to "nothing ahead" is stored apart from one
 * never planned, and any change the plan depends on makes it unplanned again in the same transaction.
 */
import { afterEach, expect, it } from 'vitest';
import { cleanupTempDirs, createDB, sampleContract, T0, testStore, updateToVersion } from '../helpers.js';

afterEach(cleanupTempDirs);

it('nothing ahead is not never planned; a change (event, edit, status) makes the ticket unplanned again, its derived schedule does not', () => {
  const { store } = testStore();
  const cust = store.customers.createCustomer({ name: 'Hansen A/S' });
  const contract = store.customers.createContract(sampleContract(cust.id, { intakeFields: [] }));
  const reg = () => store.tickets.register({ customerId: cust.id, contractId: contract.id, channel: 'phone', policy: 'normal' }).id;
  const [a, b, c] = [reg(), reg(), reg()].sort() as [string, string, string];
  const unplanned = () => store.tickets.unplannedWakes(null, 100);
  expect(unplanned()).toEqual([a, b, c]);

  store.tickets.setWakeMany([
    { ticketId: a, wakeAt: null },
    { ticketId: b, wakeAt: T0 + 5 },
    { ticketId: c, wakeAt: T0 + 9 },
  ]);
  expect(unplanned()).toEqual([]);
  expect(store.tickets.wakeTimes().sort()).toEqual([
    [b, T0 + 5],
    [c, T0 + 9],
  ]); // a: nothing ahead, not 0
  expect(store.tickets.wakePage(null, 1)).toEqual([[b, T0 + 5]]);
  expect(store.tickets.wakePage({ at: T0 + 5, id: b }, 10)).toEqual([[c, T0 + 9]]);

  store.tickets.setSchedule(a, { nextDueAt: T0 + 60_000 }); // derived from the plan's inputs, not one of them
  expect(unplanned()).toEqual([]);
  store.tickets.appendEvent(a, { type: 'note', data: { text: 'called' } });
  store.tickets.update(b, { title: 'Core switch down' });
  expect(unplanned()).toEqual([a, b]);
  expect(store.tickets.wakeTimes().sort()).toEqual(
    [
      [a, 0],
      [b, 0],
      [c, T0 + 9],
    ].sort(),
  );

  store.tickets.appendEvent(c, { type: 'status', data: { status: 'resolved' } });
  expect(unplanned()).toEqual([a, b]); // closed: not the scheduler's any more
  expect(store.tickets.wakePage(null, 10)).toEqual([[b, T0 + 5]]);
  store.close();
});

it('the migration to 18: a stored wake-up was the scheduler answer (planned); a NULL one is planned again once', () => {
  const db = createDB();
  updateToVersion(db, 18);
  db.prepare(`INSERT INTO customers (id, name, created_at, updated_at, hlc) VALUES ('c', 'C', 0, 0, 'h')`).run();
  const ins = db.prepare(`INSERT INTO tickets (id, case_number, customer_id, channel, next_wake_at, created_at, updated_at, created_by, hlc) VALUES (?, ?, 'c', 'phone', ?, 0, 0, 'd', 'h')`);
  ins.run('a', 'K7-0001-X', T0 + 5);
  ins.run('b', 'K7-0002-X', null);
  updateToVersion(db, 19);
  expect(db.prepare('SELECT id, wake_planned FROM tickets ORDER BY id').all()).toEqual([
    { id: 'a', wake_planned: 1 },
    { id: 'b', wake_planned: 0 },
  ]);
  db.close();
});

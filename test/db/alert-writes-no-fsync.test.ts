/**
 * The alert scheduler's own writes (alerts raised, shown, resolved; each ticket's next wake instant) commit
 * without an fsync (db/repos/no-fsync.ts: synchronous=NORMAL for that transaction alone), so a pass that
 * raises or shows an alert does not wait for the disk twice and the reads queued behind it in the store's
 * worker do not either (issue 19: such passes took 5-25 ms, the fsyncs). Every other write stays FULL.
 * Checked on the real connection: the setting each transaction ran with.
 */
import { afterEach, expect, it } from 'vitest';
import { alertRecord } from '../helpers/alert-record.js';
import { cleanupTempDirs, sampleContract, T0, testStore } from './helpers.js';

afterEach(cleanupTempDirs);

it("alert and wake writes commit at synchronous=NORMAL, and the store is back at FULL after each (a ticket's change is durable)", () => {
  const { store } = testStore();
  const cust = store.customers.createCustomer({ name: 'Hansen A/S' });
  const contract = store.customers.createContract(sampleContract(cust.id, { intakeFields: [] }));
  const t = store.tickets.register({ customerId: cust.id, contractId: contract.id, channel: 'phone', policy: 'normal' });
  // Each change of the synchronous setting on this connection.
  const sets: string[] = [];
  const pragma = store.db.pragma.bind(store.db);
  store.db.pragma = ((source: string, options?: { simple?: boolean }) => {
    if (/^synchronous\s*=/.test(source)) sets.push(source.replace(/\s+/g, ' '));
    return pragma(source, options);
  }) as typeof store.db.pragma;
  const level = () => pragma('synchronous', { simple: true }) as number;
  const around = (write: () => unknown) => {
    sets.length = 0;
    write();
    expect(sets).toEqual(['synchronous = NORMAL', 'synchronous = 2']);
    expect(level()).toBe(2);
  };
  const a = alertRecord({ ticketId: t.id, caseNumber: t.caseNumber, dueAt: T0, text: 'x' });

  around(() => expect(store.notifications.recordAlerts([a])).toHaveLength(1));
  around(() => store.notifications.updateAlerts([{ ...a, notifiedAt: T0 + 1 }]));
  around(() => store.tickets.setWakeMany([{ ticketId: t.id, wakeAt: T0 + 5 }]));
  expect(store.notifications.loadOpen()).toMatchObject([{ notifiedAt: T0 + 1 }]);
  // A person's acknowledgement or snooze is durable: written at FULL, the setting untouched.
  sets.length = 0;
  store.notifications.updateAlerts([{ ...a, state: 'acked', closedAt: T0 + 2 }], true);
  expect(sets).toEqual([]);
  expect(level()).toBe(2);
  // A change of the ticket itself is not one of them.
  sets.length = 0;
  store.tickets.appendEvent(t.id, { type: 'note', data: { text: 'called back' } });
  expect(sets).toEqual([]);
  store.close();
});

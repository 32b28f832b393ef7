import { afterEach, describe, expect, it } from 'vitest';
import { DbAlertStore } from '../../main/alerts/db-store.js';
import { alertKey } from '../../main/alerts/types.js';
import type { Alert } from '../../main/alerts/types.js';
import { cleanupTempDirs, sampleContract, testStore, T0 } from '../db/helpers.js';

afterEach(cleanupTempDirs);

describe('alerts in the SQLite store', () => {
  it('records each key once, keeps state across a reopen, and drops resolved ones from the open set', async () => {
    {
      const { store, dataDir } = testStore();
      const cust = store.customers.createCustomer({ name: 'Hansen A/S' });
      const contract = store.customers.createContract(sampleContract(cust.id, { intakeFields: [] }));
      const t = store.tickets.register({ customerId: cust.id, contractId: contract.id, channel: 'phone', policy: 'normal', description: 'Router nede' });
      const alerts = new DbAlertStore(store.notifications);
      const base = { ticketId: t.id, caseNumber: t.caseNumber, target: 'response' as const, kind: 'breach' as const, dueAt: T0 + 3_600_000, critical: true, text: 'Response deadline passed' };
      const a: Alert = { ...base, key: alertKey(base), state: 'active', raisedAt: T0, notifiedAt: null, snoozedUntil: null, held: false, closedAt: null };
      expect(await alerts.recordNew([a])).toHaveLength(1);
      expect(await alerts.recordNew([a])).toHaveLength(0);
      await alerts.update([{ ...a, notifiedAt: T0 + 1, snoozedUntil: T0 + 600_000 }]);
      store.close();
      const again = testStore({ dataDir });
      const reopened = new DbAlertStore(again.store.notifications);
      const open = await reopened.loadOpen();
      expect(open).toEqual([{ ...a, notifiedAt: T0 + 1, snoozedUntil: T0 + 600_000 }]);
      await reopened.update([{ ...open[0]!, state: 'acked', closedAt: T0 + 5 }]);
      expect((await reopened.loadOpen())[0]).toMatchObject({ state: 'acked', closedAt: T0 + 5 });
      expect(again.store.notifications.forTicket(t.id)[0]!.ackedAt).toBe(T0 + 5);
      await reopened.update([{ ...open[0]!, state: 'resolved', closedAt: T0 + 6 }]);
      expect(await reopened.loadOpen()).toEqual([]);
      again.store.close();
    }
  });

  it('tracks each open ticket next wake instant for the scheduler', () => {
    const { store } = testStore();
    const cust = store.customers.createCustomer({ name: 'Hansen A/S' });
    const contract = store.customers.createContract(sampleContract(cust.id, { intakeFields: [] }));
    const a = store.tickets.register({ customerId: cust.id, contractId: contract.id, channel: 'phone', policy: 'normal' });
    const b = store.tickets.register({ customerId: cust.id, contractId: contract.id, channel: 'email', policy: 'normal' });
    expect(store.tickets.wakeTimes().sort()).toEqual(
      [
        [a.id, 0],
        [b.id, 0],
      ].sort(),
    );
    store.tickets.setWakeMany([{ ticketId: a.id, wakeAt: T0 + 5 }]);
    store.tickets.appendEvent(b.id, { type: 'status', data: { status: 'resolved' } });
    expect(store.tickets.wakeTimes()).toEqual([[a.id, T0 + 5]]);
    store.close();
  });
});

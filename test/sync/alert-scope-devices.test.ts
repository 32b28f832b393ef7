/**
 * "Alert me for" follows the person (issue 17 item 4, docs/alerts.md "Alert scope"): two devices of
 * one technician, each the app's services over its own SQLite store, and a duty officer's device,
 * against a real sync server. The scope set on one device of the technician reaches the other by
 * pull (user.setAlertScope@1), and that device's scheduler applies it: the alerts of a ticket
 * assigned to someone else come, and go again when the scope goes back to the role's default.
 * A change of the scope the server refuses leaves no trace (issue 17 item 1): the device is back
 * on the user's scope in force at once, not at the next pull, enrolment or restart.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { sampleContract } from '../db/helpers.js';
import { dispatchOk } from '../helpers/services.js';
import { newTenant, sharedPglite } from '../server/helpers.js';
import { servicesRig } from './services-rig.js';
import type { RigDevice as Device } from './services-rig.js';

const MIN = 60_000;
const { clock: rigClock, device, advanceTo, syncAll, urgentTicket } = servicesRig();

/** The kinds of the active alerts of `ticketId` on the device. */
const alertsOf = async (d: Device, ticketId: string) => (await d.services.context.scheduler.activeAlerts()).filter((a) => a.ticketId === ticketId).map((a) => a.kind);

describe('the alert scope is the user’s, on all their devices', () => {
  it("a technician's 'every ticket' set on one device applies on his other after a pull, and his role's default comes back the same way", async () => {
    const { adminToken } = await newTenant(await sharedPglite());
    const clock = rigClock();
    const desk = await device(clock, adminToken, '/v1/admin/enrolment-codes', { userName: 'Mette', role: 'duty_officer' });
    const laptop = await device(clock, adminToken, '/v1/admin/enrolment-codes', { userName: 'Ola', role: 'technician' });
    const phone = await device(clock, adminToken, `/v1/admin/users/${laptop.userId}/enrolment-codes`, {});
    expect(phone.userId).toBe(laptop.userId);

    // The desk registers a ticket for Kari: not Ola's, on no rota of his. Policy "high": response within 1 h.
    const store = desk.services.context.store;
    const customer = await store.customers.createCustomer({ name: 'Nordhavn Logistik A/S' });
    const contract = await store.customers.createContract(sampleContract(customer.id, { agreementNumber: `SA${Math.floor(Math.random() * 1e7)}` }));
    const t = await urgentTicket(desk, { customerId: customer.id, contractId: contract.id }, { assignee: 'Kari' });
    await syncAll(desk, laptop, phone);
    await advanceTo(clock, t.createdAt + 61 * MIN);
    // The response deadline has passed: the desk is alerted; Ola, a technician, is not (his role's default: his own tickets).
    expect(await alertsOf(desk, t.id)).toContain('breach');
    expect(await alertsOf(laptop, t.id)).toEqual([]);
    expect(await alertsOf(phone, t.id)).toEqual([]);

    // On his laptop Ola asks for every ticket.
    await dispatchOk(laptop.services, 'alerts.setSettings', { alertScope: 'all' });
    expect(await alertsOf(laptop, t.id)).toContain('breach');
    await syncAll(laptop, phone);
    // His phone pulled it: its settings say so, and its scheduler raised the ticket's alerts.
    expect((await dispatchOk(phone.services, 'alerts.getSettings', {})).alertScope).toBe('all');
    expect(await alertsOf(phone, t.id)).toContain('breach');
    // The desk's user is someone else: nothing of Ola's setting reaches her device.
    await syncAll(desk);
    expect((await dispatchOk(desk.services, 'alerts.getSettings', {})).alertScope ?? null).toBeNull();

    // Back to his role's default, on the phone this time: the laptop follows, and Kari's ticket stops alerting there.
    await dispatchOk(phone.services, 'alerts.setSettings', { alertScope: null });
    expect(await alertsOf(phone, t.id)).toEqual([]);
    await syncAll(phone, laptop);
    expect((await dispatchOk(laptop.services, 'alerts.getSettings', {})).alertScope).toBeNull();
    expect(await alertsOf(laptop, t.id)).toEqual([]);
  });

  it("a scope change the server refuses is undone on the device at once: its scheduler is back on the user's scope, the refusal shows", async () => {
    const { adminToken } = await newTenant(await sharedPglite());
    const clock = rigClock();
    const desk = await device(clock, adminToken, '/v1/admin/enrolment-codes', { userName: 'Mette', role: 'duty_officer' });
    // Ola's laptop keeps its own clock: later it runs 10 minutes ahead of the server's, which refuses its changes (clock_ahead).
    const laptopClock = new ManualClock(clock.now());
    const laptop = await device(laptopClock, adminToken, '/v1/admin/enrolment-codes', { userName: 'Ola', role: 'technician' });
    const store = desk.services.context.store;
    const customer = await store.customers.createCustomer({ name: 'Nordhavn Logistik A/S' });
    const contract = await store.customers.createContract(sampleContract(customer.id, { agreementNumber: `SA${Math.floor(Math.random() * 1e7)}` }));
    const t = await urgentTicket(desk, { customerId: customer.id, contractId: contract.id }, { assignee: 'Kari' });
    await syncAll(desk, laptop);
    await advanceTo(clock, t.createdAt + 61 * MIN);
    laptopClock.set(clock.now());
    expect(await alertsOf(laptop, t.id)).toEqual([]);

    laptopClock.set(clock.now() + 10 * MIN);
    await dispatchOk(laptop.services, 'alerts.setSettings', { alertScope: 'all' });
    // Shown at once, while it waits to be sent.
    expect(await alertsOf(laptop, t.id)).toContain('breach');
    await syncAll(laptop);
    const refused = await dispatchOk(laptop.services, 'sync.rejected', {});
    expect(refused.items.map((r) => [r.name, r.reason])).toEqual([['user.setAlertScope', 'clock_ahead']]);
    // Refused: his scope is his role's default again, on the settings and in the scheduler, with no pull in between.
    expect((await dispatchOk(laptop.services, 'alerts.getSettings', {})).alertScope ?? null).toBeNull();
    expect(await alertsOf(laptop, t.id)).toEqual([]);
  });
});

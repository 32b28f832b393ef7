/**
 * On call across devices (issue 18 items 4, 5): devices that are each the
 * app's services (store, alert scheduler, handover, sync) on a fake clock,
 * against a real sync server.
 * - Escalation: Mette is on duty, Ola her backup; a critical alert nobody
 *   acknowledged within 10 minutes pops up on Ola's device, and an ack on
 *   Mette's device before then (once it is on the server) stops it.
 * - Handover: when Ola's shift starts, Ola's device shows one summary.
 */
import { describe, expect, it } from 'vitest';
import type { ManualClock } from '../../core/clock.js';
import type { Rota } from '../../core/oncall/rota.js';
import { sampleContract } from '../db/helpers.js';
import { newTenant, sharedPglite } from '../server/helpers.js';
import { servicesRig } from './services-rig.js';
import type { RigDevice as Device } from './services-rig.js';

const MIN = 60_000;

const rig = servicesRig();
const { advanceTo, syncAll } = rig;
/** A duty officer's device of a new person. */
const device = (clock: ManualClock, adminToken: string, userName: string) => rig.device(clock, adminToken, '/v1/admin/enrolment-codes', { userName, role: 'duty_officer' });

const popupsOf = (d: Device, ticketId: string) => d.notifier.sent.filter((n) => n.id === `ticket|${ticketId}`);

/** Mette on duty round the clock, Ola her backup, escalation after 10 minutes, the chain once. */
async function setUp() {
  const { adminToken } = await newTenant(await sharedPglite());
  const clock = rig.clock();
  const mette = await device(clock, adminToken, 'Mette');
  const ola = await device(clock, adminToken, 'Ola');
  const store = mette.services.context.store;
  const customer = await store.customers.createCustomer({ name: 'Nordhavn Logistik A/S' });
  const contract = await store.customers.createContract(sampleContract(customer.id, { agreementNumber: `SA${Math.floor(Math.random() * 1e7)}` }));
  const rota: Rota = {
    name: 'NOC',
    timezone: 'Europe/Oslo',
    members: [
      { userId: mette.userId, name: 'Mette' },
      { userId: ola.userId, name: 'Ola' },
    ],
    lead: null,
    contractIds: [contract.id],
    week: (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((day) => ({ day, start: '00:00', end: '24:00', person: mette.userId, backup: ola.userId })),
    overrides: [],
    escalation: { ackMinutes: 10, repeat: 1 },
  };
  await store.oncall.putRota(rota);
  // Policy "high": response within 1 h round the clock; its breach is a critical alert.
  const t = await rig.urgentTicket(mette, { customerId: customer.id, contractId: contract.id });
  await syncAll(mette, ola);
  expect(await ola.services.context.store.oncall.rotas()).toHaveLength(1);
  const t0 = t.createdAt;
  return { clock, mette, ola, ticketId: t.id, breachAt: t0 + 60 * MIN };
}

async function notes(d: Device, ticketId: string): Promise<string[]> {
  return (await d.services.context.store.tickets.events(ticketId)).filter((e) => e.type === 'note').map((e) => String(e.data.text));
}

describe('escalation to the backup through the server', () => {
  it('a critical alert nobody acknowledges on the primary device pops up on the backup device after N minutes', async () => {
    const { clock, mette, ola, ticketId, breachAt } = await setUp();
    await advanceTo(clock, breachAt + 1000);
    // The warning at 45 minutes, then the breach (critical), on Mette's device.
    expect(popupsOf(mette, ticketId).map((n) => n.critical)).toEqual([false, true]);
    // Ola (not on duty) sees the alerts in the Alerts panel, without a pop-up.
    expect(popupsOf(ola, ticketId)).toEqual([]);
    expect((await ola.services.context.scheduler.activeAlerts()).map((a) => a.kind)).toContain('breach');
    // Mette's device goes offline (it never syncs again); 10 minutes pass with no ack on the server.
    await advanceTo(clock, breachAt + 10 * MIN - 1);
    expect(popupsOf(ola, ticketId)).toEqual([]);
    await advanceTo(clock, breachAt + 10 * MIN);
    expect(popupsOf(ola, ticketId)).toHaveLength(1);
    expect(popupsOf(ola, ticketId)[0]?.body).toMatch(/Response deadline passed/);
    // The step is in the ticket's timeline, and reaches the server and Mette's device.
    expect(await notes(ola, ticketId)).toEqual([expect.stringMatching(/Ola alerted \(backup\)$/)]);
    await syncAll(ola, mette);
    expect(await notes(mette, ticketId)).toEqual(expect.arrayContaining([expect.stringMatching(/Mette alerted \(on duty\)$/), expect.stringMatching(/Ola alerted \(backup\)$/)]));
  });

  it('an ack on the primary device before N minutes stops the escalation', async () => {
    const { clock, mette, ola, ticketId, breachAt } = await setUp();
    await advanceTo(clock, breachAt + 1000);
    expect(popupsOf(mette, ticketId).map((n) => n.critical)).toEqual([false, true]);
    await advanceTo(clock, breachAt + 4 * MIN);
    const key = (await mette.services.context.scheduler.activeAlerts()).find((a) => a.ticketId === ticketId && a.kind === 'breach')?.key as string;
    expect(await mette.services.dispatch('alerts.ack', { key })).toMatchObject({ ok: true, result: { acknowledged: true } });
    await syncAll(mette); // the ack reaches the server
    await advanceTo(clock, breachAt + 30 * MIN);
    // Ola's device pulled before the step: the server had the ack, so no pop-up, and the alert is acknowledged there too.
    expect(popupsOf(ola, ticketId)).toEqual([]);
    expect((await ola.services.context.scheduler.activeAlerts()).filter((a) => a.ticketId === ticketId && a.kind === 'breach')).toEqual([]);
    expect(await ola.services.context.store.oncall.serverAckedAt(key)).not.toBeNull();
    expect(await notes(ola, ticketId)).toEqual(expect.arrayContaining([expect.stringMatching(/acknowledged by Mette$/)]));
    expect((await notes(ola, ticketId)).some((n) => /Ola alerted/.test(n))).toBe(false);
  });
});

describe('handover at shift change', () => {
  it("when Ola's shift starts, Ola's device shows one summary: open critical tickets, callbacks due in the shift, alerts not acknowledged", async () => {
    const { adminToken } = await newTenant(await sharedPglite());
    const clock = rig.clock();
    const ola = await device(clock, adminToken, 'Ola');
    const store = ola.services.context.store;
    const customer = await store.customers.createCustomer({ name: 'Nordhavn Logistik A/S' });
    const contract = await store.customers.createContract(sampleContract(customer.id, { agreementNumber: `SA${Math.floor(Math.random() * 1e7)}` }));
    const intake = { fault_description: 'no link on uplinks', mobile_number: '+45 72 12 00 00' };
    const critical = await store.tickets.register({ customerId: customer.id, contractId: contract.id, channel: 'phone', policy: 'high', priority: 'critical', title: 'Core switch down', intake });
    const other = await store.tickets.register({ customerId: customer.id, contractId: contract.id, channel: 'phone', policy: 'normal', priority: 'low', title: 'Printer jams', intake });
    await ola.services.context.ticketsChanged([critical.id, other.id]);
    // Ola takes over from Mette two hours from now (UTC), for 8 hours; a callback is due one hour into the shift.
    const start = clock.now() + 2 * 60 * MIN;
    const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);
    const date = (t: number) => new Date(t).toISOString().slice(0, 10);
    await store.tickets.appendEvent(other.id, {
      type: 'callback',
      data: { reached: 'Søren', channel: 'phone', text: 'Technician on the way', countsAsUpdate: true, nextCallbackAt: start + 60 * MIN },
    });
    const rota: Rota = {
      name: 'NOC',
      timezone: 'UTC',
      members: [
        { userId: 'u-mette', name: 'Mette' },
        { userId: ola.userId, name: 'Ola' },
      ],
      lead: null,
      contractIds: [contract.id],
      week: [],
      overrides: [
        { date: date(start - 8 * 60 * MIN), start: hhmm(start - 8 * 60 * MIN), end: hhmm(start), person: 'u-mette' },
        { date: date(start), start: hhmm(start), end: hhmm(start + 8 * 60 * MIN), person: ola.userId },
      ],
      escalation: { ackMinutes: 10, repeat: 1 },
    };
    expect(await ola.services.dispatch('oncall.put', { rota })).toMatchObject({ ok: true, result: { now: { name: 'Mette' }, next: { name: 'Ola', from: start } } });
    const handovers = () => ola.notifier.sent.filter((n) => n.id === 'handover');
    await advanceTo(clock, start - 1);
    expect(handovers()).toEqual([]);
    await advanceTo(clock, start + 5 * MIN);
    expect(handovers()).toHaveLength(1);
    const body = handovers()[0]?.body ?? '';
    expect(handovers()[0]?.title).toMatch(/^Your shift in NOC starts/);
    expect(body).toContain(`1 open critical ticket(s): ${critical.caseNumber} Core switch down`);
    expect(body).toContain(`1 callback(s) due in your shift: ${other.caseNumber} at `);
    // The critical ticket's response warning (75 % of its hour) is active and nobody acknowledged it.
    expect(body).toMatch(new RegExp(`\\d+ alert\\(s\\) not acknowledged: .*${critical.caseNumber}`));
    // Planning again (a rota edit, a restart) does not show the same handover twice.
    await ola.services.handover.replan();
    expect(handovers()).toHaveLength(1);
  });
});

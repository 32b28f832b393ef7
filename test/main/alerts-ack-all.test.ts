/** "Acknowledge all" and "acknowledge all of this customer" through the contract, on real SQLite. */
import { describe, expect, it } from 'vitest';
import { customerWithTickets } from '../helpers/desk-records.js';
import { servicesPerTest } from '../helpers/services.js';

const services = servicesPerTest();
const { call, fail } = services;

async function customerWithTicket(name: string, agreementNumber: string, description: string) {
  const { customer, tickets } = await customerWithTickets(call, name, agreementNumber, [description]);
  return { customer, ticket: tickets[0]! };
}

describe('alerts: acknowledge all', () => {
  it("acknowledges every active alert of one customer, then all the rest; the list names each alert's customer", async () => {
    const a = await customerWithTicket('Hansen Transport A/S', 'HT-2026-01', 'Fibre down');
    await customerWithTicket('Polderweg Zorg B.V.', 'PZ-2026-01', 'VPN down');
    const { clock, services: s, notifier } = services.t;
    clock.set(clock.now() + 2 * 24 * 3600_000);
    await s.context.scheduler.replan('clock');
    const before = await call('alerts.list', {});
    expect(new Set(before.active.map((x: any) => x.customerName))).toEqual(new Set(['Hansen Transport A/S', 'Polderweg Zorg B.V.']));
    expect(notifier.sent.at(-1)!.actions?.map((x) => x.id)).toEqual(['acknowledge-all', 'open-alerts']);
    const ofA = before.active.filter((x: any) => x.customerId === a.customer.id).length;
    expect(ofA).toBeGreaterThan(0);
    expect(await call('alerts.ackAll', { customerId: a.customer.id })).toEqual({ acknowledged: ofA });
    const mid = await call('alerts.list', {});
    expect(mid.active.length).toBe(before.active.length - ofA);
    expect(mid.active.every((x: any) => x.customerName === 'Polderweg Zorg B.V.')).toBe(true);
    expect(await call('alerts.ackAll', {})).toEqual({ acknowledged: mid.active.length });
    expect((await call('alerts.list', {})).active).toEqual([]);
    expect((await fail('alerts.ackAll', { customerId: '' })).path).toBe('customerId');
  });

  it('keeps the sound setting per user: changed, turned off, and refused when it is not a sound name', async () => {
    expect((await call('alerts.getSettings', {})).sound).toBe('alarm-clock-elapsed');
    expect((await call('alerts.setSettings', { sound: 'bell' })).sound).toBe('bell');
    expect((await call('alerts.setSettings', { sound: null })).sound).toBe(null);
    const bad = await fail('alerts.setSettings', { sound: '../../x.wav' });
    expect(bad.path).toBe('sound');
    expect((await call('alerts.getSettings', {})).sound).toBe(null);
  });
});

/**
 * Services and outages between SQLite devices and a real server (issue 20
 * item 2): a contract's services and an outage entered by hand on one device
 * reach the next; an Alertmanager alert to the server opens a ticket and an
 * outage that devices pull like any change, and its resolve ends the outage
 * there too.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sampleContract } from '../db/helpers.js';
import { auth } from '../server/helpers.js';
import { Fleet, sync } from './fleet.js';

const fleet = new Fleet();
beforeAll(() => fleet.start());
afterAll(() => fleet.stop());
afterEach(() => fleet.clear());

const service = { id: 'connexys', name: 'Connexys applicatie', target: 99.5, timezone: 'Europe/Amsterdam' };

describe('services and outages on devices', () => {
  it('a service and a hand-made outage reach the next device; a monitoring alert opens a ticket and an outage every device pulls', async () => {
    const a = await fleet.enrolled();
    const b = await fleet.enrolled();
    const customer = a.d.store.customers.createCustomer({ name: 'Werving BV' });
    const contract = a.d.store.customers.createContract(sampleContract(customer.id, { agreementNumber: `CX${Math.floor(Math.random() * 1e7)}` }));
    expect(() => a.d.store.availability.setServices(contract.id, [{ ...service, target: 120 }])).toThrow(/percentage/);
    a.d.store.availability.setServices(contract.id, [service]);
    const start = Date.now() - 3 * 3_600_000;
    expect(() => a.d.store.availability.putOutage({ contractId: contract.id, serviceId: 'connexys', start, end: start - 1 })).toThrow(/before start/);
    expect(() => a.d.store.availability.putOutage({ contractId: contract.id, serviceId: 'other', start })).toThrow(/no service "other"/);
    const manual = a.d.store.availability.putOutage({ contractId: contract.id, serviceId: 'connexys', start, end: start + 600_000, summary: 'Router swap' });
    await sync(a, b);
    expect(b.d.store.availability.contractsWithServices()).toMatchObject([{ id: contract.id, services: [service] }]);
    expect(b.d.store.availability.outagesBetween(contract.id, 'connexys', start - 1, start + 1)).toMatchObject([
      { id: manual.id, start, end: start + 600_000, source: 'manual', summary: 'Router swap' },
    ]);
    expect(b.records).toContain('outage');

    // Monitoring: a key for the service, then Alertmanager fires and resolves.
    const k = await fleet.app.inject({
      method: 'POST',
      url: '/v1/admin/integration-keys',
      headers: auth(fleet.admin),
      payload: { name: 'Prometheus', contractId: contract.id, serviceId: 'connexys' },
    });
    expect(k.statusCode, k.body).toBe(201);
    const key = (k.json() as { key: string }).key;
    const startsAt = new Date(Date.now() - 30 * 60_000).toISOString();
    const am = (status: string, endsAt: string) => ({
      version: '4',
      status,
      groupKey: 'g',
      alerts: [{ status, labels: { alertname: 'Down' }, annotations: { summary: 'Connexys down' }, startsAt, endsAt, fingerprint: 'f1' }],
    });
    const fired = await fleet.app.inject({ method: 'POST', url: '/v1/integrations/alertmanager', headers: { authorization: `Bearer ${key}` }, payload: am('firing', '0001-01-01T00:00:00Z') });
    expect(fired.statusCode, fired.body).toBe(200);
    const { outageId, ticketId } = (fired.json() as { outcomes: { outageId: string; ticketId: string }[] }).outcomes[0] as { outageId: string; ticketId: string };
    await sync(b);
    expect(b.d.store.tickets.get(ticketId)).toMatchObject({ contractId: contract.id, title: 'Connexys applicatie: Connexys down', status: 'open' });
    expect(b.changed).toContain(ticketId);
    const open = b.d.store.availability.outagesOfTicket(ticketId);
    expect(open).toMatchObject([{ id: outageId, start: Date.parse(startsAt), end: null, source: 'alertmanager' }]);

    const endsAt = new Date(Date.now() - 60_000).toISOString();
    expect((await fleet.app.inject({ method: 'POST', url: '/v1/integrations/alertmanager', headers: { authorization: `Bearer ${key}` }, payload: am('resolved', endsAt) })).statusCode).toBe(200);
    await sync(a, b);
    for (const c of [a, b]) expect(c.d.store.availability.outagesOfTicket(ticketId)).toMatchObject([{ id: outageId, end: Date.parse(endsAt) }]);
    // The ticket stays open for the duty officer, with the monitoring's note.
    expect(b.d.store.tickets.get(ticketId)?.status).toBe('open');
    expect(await a.sync.status()).toMatchObject({ pending: 0, rejected: 0 });
  });
});

/**
 * Reference records (customers, contracts, contacts, sites, assets) between
 * SQLite devices and a real server: what one duty officer registers, the next
 * one on call has, and a ticket's SLA clock runs on every device.
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { importContractFile } from '../../main/handlers/desk/contract-file.js';
import type { AppContext } from '../../main/app/context.js';
import { POLICY_SET, sampleContract } from '../db/helpers.js';
import { serverStore } from '../server/helpers.js';
import type { Client } from './fleet.js';
import { Fleet, sync } from './fleet.js';

const fleet = new Fleet();
beforeAll(() => fleet.start());
afterAll(() => fleet.stop());
afterEach(() => fleet.clear());

/** A customer with a contract (contact Søren, support code ZX-4471) and a site, registered on `c`. */
function registerContract(c: Client, agreementNumber = `SA${Math.floor(Math.random() * 1e7)}`) {
  const customer = c.d.store.customers.createCustomer({ name: 'Nordhavn Logistik A/S', orgNumber: '29 40 11 22' });
  const contract = c.d.store.customers.createContract(sampleContract(customer.id, { agreementNumber }));
  const site = c.d.store.customers.createSite({ customerId: customer.id, name: 'Terminal 3', address: 'Containervej 9, 2150 Nordhavn' });
  return { customer, contract, site };
}

function registerTicket(c: Client, k: ReturnType<typeof registerContract>) {
  return c.d.store.tickets.register({
    customerId: k.customer.id,
    contractId: k.contract.id,
    siteId: k.site.id,
    channel: 'phone',
    policy: 'high',
    title: 'Core switch down',
    reporterName: 'Søren Ærø',
    intake: { fault_description: 'no link on uplinks', mobile_number: '+45 72 12 00 00' },
  });
}

async function serverTicket(id: string) {
  return (await serverStore(fleet.app, fleet.admin)).tickets.get(id);
}

describe('reference records between devices', () => {
  it("a contract registered on one device reaches the next: customer, contacts, support code, site, and the ticket's contract and SLA", async () => {
    const a = await fleet.enrolled();
    const b = await fleet.enrolled();
    const k = registerContract(a);
    const t = registerTicket(a, k);
    await sync(a, b);

    const cs = b.d.store.customers;
    expect(cs.getCustomer(k.customer.id)).toMatchObject({ name: 'Nordhavn Logistik A/S', orgNumber: '29 40 11 22' });
    const contract = cs.contractByAgreementNumber(k.contract.agreementNumber);
    expect(contract).toMatchObject({ id: k.contract.id, policySet: POLICY_SET, defaultPolicy: 'normal', intakeFields: ['fault_description', 'mobile_number'], hasSupportCode: true });
    expect(contract?.contacts.map((x) => x.name)).toEqual(['Søren Ærø']);
    // The duty officer on device B recognises the caller and checks the support code, with no network needed from here on.
    expect(cs.contactsByPhone('72 12 00 00').map((m) => m.contractId)).toContain(k.contract.id);
    expect(cs.verifySupportCode(k.contract.id, 'ZX-4471')).toBe(true);
    expect(cs.verifySupportCode(k.contract.id, 'ZX-0000')).toBe(false);
    expect(cs.sitesOf(k.customer.id).map((s) => s.name)).toEqual(['Terminal 3']);

    // The ticket on B names the same contract and site, so B's alert planner runs the same SLA clock.
    expect(b.d.store.tickets.get(t.id)).toMatchObject({ contractId: k.contract.id, siteId: k.site.id, policy: 'high', intake: { fault_description: 'no link on uplinks' } });
    expect(b.changed).toContain(t.id);
    expect(new Set(b.records)).toEqual(new Set(['customer', 'contract', 'contact', 'site']));
    // The server derived the SLA state from the ticket's own contract (policy "high": response within 1 h, 24x7).
    const st = await serverTicket(t.id);
    expect(st?.sla?.policy).toBe('high');
    expect(st?.sla?.targets.find((x) => x.metric === 'response')?.dueAt).toBe(t.createdAt + 3_600_000);
    expect(await b.sync.status()).toMatchObject({ pending: 0, rejected: 0 });
  });

  it("rate card, checklist, wording and a policy change travel with the contract; the server moves the open ticket's deadline", async () => {
    const a = await fleet.enrolled();
    const b = await fleet.enrolled();
    const k = registerContract(a);
    const t = registerTicket(a, k);
    await sync(a, b);
    const checklist = [{ key: 'temp', label: 'Room temperature (°C)', kind: 'number' }];
    const card = { currency: 'DKK', rates: { L1: { hourlyMinor: 95_000 } } };
    a.d.store.customers.setContractDetails(k.contract.id, { rateCard: card, checklist, wording: { high: 'Kritisk fejl: reaktion inden 1 time' } });
    const ps = structuredClone(POLICY_SET);
    ps.policies.high.targets.response.within.hours = 2;
    a.d.store.customers.updatePolicySet(k.contract.id, ps);
    await sync(a, b);

    const onB = b.d.store.customers.getContract(k.contract.id);
    expect(onB).toMatchObject({ rateCard: card, checklist, wording: { high: 'Kritisk fejl: reaktion inden 1 time' }, policySet: ps });
    expect(onB?.version).toBeGreaterThan(1); // the planner's cache key moved: B recompiles the contract
    expect(b.changed.filter((id) => id === t.id).length).toBeGreaterThan(1); // the open ticket was re-planned on B
    expect((await serverTicket(t.id))?.sla?.targets.find((x) => x.metric === 'response')?.dueAt).toBe(t.createdAt + 2 * 3_600_000);
  });

  it('concurrent offline edits of one record converge on the later change; a removed contact is gone everywhere', async () => {
    const a = await fleet.enrolled();
    const b = await fleet.enrolled();
    const k = registerContract(a);
    await sync(a, b);
    a.d.store.customers.updateCustomer(k.customer.id, { name: 'Nordhavn Logistik (A)', orgNumber: null, notes: null });
    b.d.store.customers.updateCustomer(k.customer.id, { name: 'Nordhavn Logistik (B)', orgNumber: null, notes: 'night number changed' });
    const contact = k.contract.contacts[0]?.id as string;
    a.d.store.customers.removeContact(contact);
    await sync(b, a, b);
    for (const c of [a, b]) {
      expect(c.d.store.customers.getCustomer(k.customer.id)).toMatchObject({ name: 'Nordhavn Logistik (B)', notes: 'night number changed' });
      expect(c.d.store.customers.contactsByPhone('72120000').filter((m) => m.contractId === k.contract.id)).toEqual([]);
      expect(c.d.store.customers.getContract(k.contract.id)?.contacts).toEqual([]);
    }
  });

  it('one agreement number registered on two devices offline: the second is refused, kept and listed; the local copy keeps its tickets under a marked number', async () => {
    const a = await fleet.enrolled();
    const b = await fleet.enrolled();
    const ka = registerContract(a, 'SA-TWICE-1');
    const kb = registerContract(b, 'SA-TWICE-1');
    const tb = registerTicket(b, kb);
    await sync(a, b, a);

    const refused = b.d.store.sync.rejected();
    expect(refused.map((r) => r.reason)).toContain('agreement_taken');
    expect(refused.find((r) => r.reason === 'agreement_taken')?.message).toMatch(/SA-TWICE-1 is already on the server/);
    expect(refused.find((r) => r.reason === 'agreement_taken')?.record).toEqual({ kind: 'contract', id: kb.contract.id, name: 'SA-TWICE-1' });
    expect(b.d.store.customers.contractByAgreementNumber('SA-TWICE-1')?.id).toBe(ka.contract.id);
    const mine = b.d.store.customers.getContract(kb.contract.id);
    expect(mine?.agreementNumber).toMatch(/^SA-TWICE-1~/);
    expect(b.d.store.tickets.get(tb.id)?.contractId).toBe(kb.contract.id);
    expect(a.d.store.customers.contractByAgreementNumber('SA-TWICE-1')?.id).toBe(ka.contract.id);
    expect((await b.sync.status()).rejected).toBeGreaterThan(0);
  });

  it("a technician may not change a contract: refused forbidden, and the server's copy is put back", async () => {
    const a = await fleet.enrolled();
    const tech = await fleet.enrolled('technician');
    const k = registerContract(a);
    await sync(a, tech);
    const ps = structuredClone(POLICY_SET);
    ps.policies.high.targets.response.within.hours = 8;
    tech.d.store.customers.updatePolicySet(k.contract.id, ps);
    expect(tech.d.store.customers.getContract(k.contract.id)?.policySet).toEqual(ps);
    await sync(tech);
    expect(tech.d.store.sync.rejected()[0]).toMatchObject({ reason: 'forbidden', name: 'record.put' });
    expect(tech.d.store.customers.getContract(k.contract.id)?.policySet).toEqual(POLICY_SET);
    // a site is the technician's to add
    tech.d.store.customers.createSite({ customerId: k.customer.id, name: 'Pump house' });
    await sync(tech, a);
    expect(a.d.store.customers.sitesOf(k.customer.id).map((s) => s.name)).toEqual(['Pump house', 'Terminal 3']);
  });

  it('one contract file imported on two devices offline becomes one customer, one contract, the same contacts: no refusal', async () => {
    const a = await fleet.enrolled();
    const b = await fleet.enrolled();
    const file = JSON.parse(readFileSync(new URL('../../contracts/examples/nordhavn-sa0009858.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    file.agreementNumber = `SA${Math.floor(Math.random() * 1e7)}`;
    const imported = [];
    for (const c of [a, b]) imported.push(await importContractFile({ store: c.d.store } as unknown as AppContext, file));
    expect(imported[0]).toEqual(imported[1]); // the same ids on both devices
    const ids = imported[0] as { contractId: string; customerId: string };
    const t = a.d.store.tickets.register({
      customerId: ids.customerId,
      contractId: ids.contractId,
      channel: 'phone',
      policy: 'critical',
      intake: { site_address: 'Kaj 4', fault_description: 'down' },
    });
    await sync(a, b, a);
    for (const c of [a, b]) {
      expect(c.d.store.sync.rejected()).toEqual([]);
      expect(
        c.d.store.customers
          .getContract(ids.contractId)
          ?.contacts.map((k) => k.name)
          .sort(),
      ).toEqual(['Jens Kjær', 'Mette Holm']);
      expect(
        c.d.store.customers
          .findCustomers('Nordhavn Logistik')
          .filter((x) => x.name === 'Nordhavn Logistik ApS')
          .map((x) => x.id),
      ).toContain(ids.customerId);
      expect(c.d.store.customers.verifySupportCode(ids.contractId, String(file.supportCode))).toBe(true);
    }
    expect(b.d.store.tickets.get(t.id)?.contractId).toBe(ids.contractId);
    expect((await serverTicket(t.id))?.sla?.policy).toBe('critical');
  });

  it('a technician may add a customer but not change one; a rate card change does not touch the tickets on the server', async () => {
    const a = await fleet.enrolled();
    const tech = await fleet.enrolled('technician');
    const k = registerContract(a);
    const t = registerTicket(a, k);
    await sync(a, tech);
    const before = (await serverTicket(t.id))?.version;
    a.d.store.customers.setContractDetails(k.contract.id, { rateCard: { currency: 'DKK', rates: { L1: { hourlyMinor: 100_000 } } } });
    tech.d.store.customers.updateCustomer(k.customer.id, { name: 'Renamed by the technician', orgNumber: null, notes: null });
    const mine = tech.d.store.customers.createCustomer({ name: 'Walk-in customer at the depot' });
    await sync(a, tech, a);
    expect((await serverTicket(t.id))?.version).toBe(before);
    expect(tech.d.store.sync.rejected().map((r) => [r.reason, r.record?.kind])).toEqual([['forbidden', 'customer']]);
    expect(tech.d.store.customers.getCustomer(k.customer.id)?.name).toBe('Nordhavn Logistik A/S');
    expect(a.d.store.customers.getCustomer(mine.id)?.name).toBe('Walk-in customer at the depot');
  });

  it('a device enrolled later gets every record in small pages, a customer edited after its contract included', async () => {
    const a = await fleet.enrolled();
    const k = registerContract(a);
    const t = registerTicket(a, k);
    await sync(a);
    a.d.store.customers.updateCustomer(k.customer.id, { name: 'Nordhavn Logistik ApS', orgNumber: null, notes: null });
    a.d.store.customers.createAsset({ customerId: k.customer.id, siteId: k.site.id, product: 'Cisco C9300', serialNumber: 'FOC2231X0AB' });
    await sync(a);
    const late = await fleet.enrolled();
    await sync(late); // pulls 3 rows a page: the contract comes before its (later edited) customer
    const cs = late.d.store.customers;
    expect(cs.getCustomer(k.customer.id)?.name).toBe('Nordhavn Logistik ApS');
    expect(cs.getContract(k.contract.id)?.contacts).toHaveLength(1);
    expect(cs.assetsBySerial('FOC2231X0AB')).toMatchObject([{ siteId: k.site.id, product: 'Cisco C9300' }]);
    expect(late.d.store.tickets.get(t.id)).toMatchObject({ contractId: k.contract.id, siteId: k.site.id });
    expect(late.d.store.db.prepare('SELECT count(*) AS n FROM sync_orphan_records').get()).toEqual({ n: 0 });
  });
});

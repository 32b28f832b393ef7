import { describe, expect, it } from 'vitest';
import { exampleContract, imported, servicesPerTest } from '../helpers/services.js';

const example = exampleContract();

async function importExample() {
  return imported(await call('desk.importContract', { file: example }));
}

const services = servicesPerTest();
const { fail } = services;
const { call } = services;

describe('desk: contracts', () => {
  it('imports the example contract file and exports it back', async () => {
    const { contractId } = await importExample();
    const c = await call('desk.contract', { contractId });
    expect(c.agreementNumber).toBe('SA0009858');
    expect(c.hasSupportCode).toBe(true);
    expect(c.policies.map((p) => p.id)).toEqual(['critical', 'high', 'normal', 'low']);
    expect(c.wording['normal.response']).toBe('Svar indenfor 4 timer');
    const { file } = await call('desk.exportContract', { contractId });
    expect(file.policies).toEqual(example.policies);
    expect(file.wording).toEqual(example.wording);
    expect(file.supportCode).toBeUndefined();
  });
  it('reports every problem of a bad file with its path, and imports nothing', async () => {
    const bad = structuredClone(example);
    bad.calendars['dk-office'].week.tue = [
      ['08:00', '16:00'],
      ['12:00', '18:00'],
    ];
    bad.contacts[1].phone = 'call me';
    const r = await call('desk.importContract', { file: bad });
    if (r.imported) throw new Error('a bad file was imported');
    const paths = r.issues.map((i) => i.path);
    expect(paths).toContain('contacts[1].phone');
    expect(paths.some((p) => p.startsWith('calendars.dk-office.week.tue'))).toBe(true);
    expect((await call('desk.customers', {})).customers).toEqual([]);
  });
  it('refuses a second import of the same agreement', async () => {
    await importExample();
    const r = await call('desk.importContract', { file: example });
    expect(r).toEqual({ imported: false, issues: [{ path: 'agreementNumber', message: 'agreement SA0009858 already exists', key: 'agreementExists', values: { agreement: 'SA0009858' } }] });
  });
});

describe('desk: intake', () => {
  it('finds the caller by phone (any spelling) and by customer name', async () => {
    const { contractId } = await importExample();
    const byPhone = await call('desk.lookup', { query: '72120000' });
    expect(byPhone.callers).toHaveLength(1);
    expect(byPhone.callers[0]!.contact.name).toBe('Mette Holm');
    expect(byPhone.callers[0]!.contract.id).toBe(contractId);
    const byName = await call('desk.lookup', { query: 'nordh' });
    expect(byName.customers[0]!.name).toBe('Nordhavn Logistik ApS');
    expect(byName.callers.map((c) => c.contact.name).sort()).toEqual(['Jens Kjær', 'Mette Holm']);
    expect((await call('desk.lookup', { query: '+47 99 99 99 99' })).callers).toEqual([]);
  });
  it('checks the support code', async () => {
    const { contractId } = await importExample();
    expect(await call('desk.verifySupportCode', { contractId, code: 'HAVN-4711' })).toEqual({ valid: true });
    expect(await call('desk.verifySupportCode', { contractId, code: 'nope' })).toEqual({ valid: false });
  });
  it('previews deadlines at now; out of hours it says when the clock starts', async () => {
    const { contractId } = await importExample();
    // Friday 2026-03-27 15:30 Copenhagen (14:30 UTC): normal = 4 business hours -> 30 min Fri + 3.5 h Mon -> Mon 11:30
    const p = await call('desk.preview', { contractId, policy: 'normal' });
    expect(p.open).toBe(true);
    const resp = p.targets.find((x) => x.metric === 'response')!;
    expect(new Date(resp.dueAt!).toISOString()).toBe('2026-03-30T09:30:00.000Z');
    expect(resp.businessMinutesLeft).toBe(240);
    expect(resp.wording).toBe('Svar indenfor 4 timer');
    services.t.clock.set(Date.UTC(2026, 2, 27, 20, 0)); // Friday 21:00
    const late = await call('desk.preview', { contractId, policy: 'normal' });
    expect(late.open).toBe(false);
    expect(new Date(late.opensAt!).toISOString()).toBe('2026-03-30T06:00:00.000Z');
    const crit = await call('desk.preview', { contractId, policy: 'critical' });
    expect(crit.open).toBe(true);
  });
  it('registers for an authorised contact; refuses an unknown caller without the right code', async () => {
    const { contractId, customerId } = await importExample();
    const c = await call('desk.contract', { contractId });
    const base = { customerId, contractId, policy: 'critical', critical: true, channel: 'phone', description: 'Lager-WMS nede', intake: { site_address: 'Kajgade 4' } } as const;
    const mette = c.contacts.find((k) => k.name === 'Mette Holm')!.id;
    const missing = await fail('desk.register', { ...base, authorisedBy: 'contact', contactId: mette, intake: {} });
    expect(missing.path).toBe('intake.site_address');
    const { ticket } = await call('desk.register', { ...base, authorisedBy: 'contact', contactId: mette });
    expect(ticket.caseNumber).toMatch(/\w/);
    expect(ticket.priority).toBe('critical');
    expect(ticket.reporterName).toBe('Mette Holm');
    expect(ticket.nextDueAt).toBe(Date.UTC(2026, 2, 27, 15, 0));
    const refused = await fail('desk.register', { ...base, authorisedBy: 'support_code', supportCode: 'wrong', reporterName: 'Ukendt' });
    expect(refused.path).toBe('supportCode');
    const ok = await call('desk.register', { ...base, authorisedBy: 'support_code', supportCode: 'HAVN-4711', reporterName: 'Ukendt' });
    expect(ok.ticket.reporterName).toBe('Ukendt');
  });
});

describe('desk: queue, ticket, callbacks', () => {
  async function register(policy: string, description: string, critical = false) {
    const { id: contractId, customerId } = (await call('desk.lookup', { query: 'Nordhavn' })).customers[0]!.contracts[0]!;
    const c = await call('desk.contract', { contractId });
    return (
      await call('desk.register', {
        customerId,
        contractId,
        policy,
        critical,
        channel: 'phone',
        authorisedBy: 'contact',
        contactId: c.contacts.find((k) => k.name === 'Mette Holm')!.id,
        description,
        intake: { site_address: 'Kajgade 4' },
      })
    ).ticket;
  }
  it('orders by deadline, filters, searches and pages', async () => {
    await importExample();
    const low = await register('low', 'printer jammed');
    const crit = await register('critical', 'core switch down', true);
    const normal = await register('normal', 'VPN slow');
    const q = await call('desk.queue', {});
    expect(q.items.map((x) => x.id)).toEqual([crit.id, normal.id, low.id]);
    expect((await call('desk.queue', { filter: { priority: 'critical' } })).items.map((x) => x.id)).toEqual([crit.id]);
    expect((await call('desk.queue', { filter: { q: 'switch' } })).items.map((x) => x.id)).toEqual([crit.id]);
    expect((await call('desk.queue', { filter: { q: crit.caseNumber } })).items.map((x) => x.id)).toEqual([crit.id]);
    const p1 = await call('desk.queue', { limit: 2 });
    const p2 = await call('desk.queue', { limit: 2, cursor: p1.next });
    expect([...p1.items, ...p2.items].map((x) => x.id)).toEqual([crit.id, normal.id, low.id]);
    await call('desk.act', { ticketId: low.id, action: { type: 'assign', assignee: 'Ole' } });
    expect((await call('desk.queue', { filter: { assignee: 'Ole' } })).items.map((x) => x.id)).toEqual([low.id]);
  });
  it('runs the actions of the ticket page, with what-if previews', async () => {
    await importExample();
    const tk = await register('normal', 'VPN slow');
    const wi = await call('desk.whatIf', { ticketId: tk.id, action: { type: 'pause', reason: 'waiting_on_customer' } });
    expect(wi.before.find((x) => x.metric === 'resolution')!.state).toBe('running');
    expect(wi.after.find((x) => x.metric === 'resolution')!.state).toBe('paused');
    let d = await call('desk.act', { ticketId: tk.id, action: { type: 'pause', reason: 'waiting_on_customer' } });
    expect(d.status).toBe('waiting_on_customer');
    expect((await fail('desk.act', { ticketId: tk.id, action: { type: 'pause', reason: 'waiting_on_vendor' } })).code).toBe('conflict');
    d = await call('desk.act', { ticketId: tk.id, action: { type: 'resume' } });
    expect(d.status).toBe('open');
    const pr = await call('desk.whatIf', { ticketId: tk.id, action: { type: 'priority', policy: 'high' } });
    expect(pr.after.find((x) => x.metric === 'response')!.dueAt).toBeLessThan(pr.before.find((x) => x.metric === 'response')!.dueAt!);
    d = await call('desk.act', { ticketId: tk.id, action: { type: 'priority', policy: 'high', reason: 'whole warehouse' } });
    expect(d.sla!.policy).toBe('high');
    expect(d.priority).toBe('high');
    d = await call('desk.act', { ticketId: tk.id, action: { type: 'respond', text: 'Looking at it' } });
    expect(d.sla!.targets.find((x) => x.metric === 'response')!.state).toBe('stopped');
    expect(d.sla!.targets[0]!.trace!.length).toBeGreaterThan(0);
    d = await call('desk.act', { ticketId: tk.id, action: { type: 'escalate', to: 'vendor', vendorRef: 'CISCO-123' } });
    expect(d.escalationLevel).toBe(3);
    expect(d.vendorRef).toBe('CISCO-123');
    expect((await fail('desk.act', { ticketId: tk.id, action: { type: 'escalate', to: 'vendor' } })).path).toBe('action.vendorRef');
    d = await call('desk.act', { ticketId: tk.id, action: { type: 'note', text: 'customer rebooted the firewall' } });
    d = await call('desk.act', { ticketId: tk.id, action: { type: 'resolve', text: 'fixed' } });
    expect(d.status).toBe('resolved');
    expect((await call('desk.queue', {})).items).toEqual([]);
    d = await call('desk.act', { ticketId: tk.id, action: { type: 'reopen' } });
    d = await call('desk.act', { ticketId: tk.id, action: { type: 'close' } });
    expect(d.events.map((e) => e.type)).toEqual(expect.arrayContaining(['created', 'status', 'policy_changed', 'responded', 'escalation', 'note']));
    expect((await call('desk.queue', { filter: { q: 'firewall' } })).items[0]!.id).toBe(tk.id);
  });
  it('lists callbacks due; logging one moves the next one', async () => {
    await importExample();
    const tk = await register('critical', 'core switch down', true);
    expect((await call('desk.callbacks', { withinMinutes: 30 })).items).toEqual([]);
    services.t.clock.advance(2 * 3600_000); // 16:30 + ... first update due 2 h after 15:30 (support hours until 20)
    const due = await call('desk.callbacks', { withinMinutes: 30 });
    expect(due.items.map((x) => x.id)).toEqual([tk.id]);
    await call('desk.act', { ticketId: tk.id, action: { type: 'callback', channel: 'phone', reached: 'Mette Holm', text: 'Engineer on the way' } });
    expect((await call('desk.callbacks', { withinMinutes: 30 })).items).toEqual([]);
    const d = await call('desk.ticket', { id: tk.id });
    expect(d.nextCallbackAt).toBe(services.t.clock.now() + 4 * 3600_000 > Date.UTC(2026, 2, 27, 19, 0) ? d.nextCallbackAt : null);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { visitTicketId } from '../../main/agreements/visits.js';
import { dispatchOk, servicesPerTest, testServices } from '../helpers/services.js';

/** Telekompetanse at level 3 (the template service-levels-no.json), its plans assigned to Kari. */
function telekompetanse(over: Record<string, unknown> = {}): Record<string, unknown> {
  const t = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'contracts', 'templates', 'service-levels-no.json'), 'utf8')) as Record<string, any>;
  return {
    customer: { name: 'Fjellheim Kommune' },
    agreementNumber: 'TK-2026-17',
    defaultPolicy: 'level-3-daily-operations',
    calendars: t.calendars,
    policies: t.policies,
    maintenance: (t.maintenance as Record<string, unknown>[]).map((p) => ({ ...p, assignee: 'Kari' })),
    ...over,
  };
}

const services = servicesPerTest(); // now: Fri 27 March 2026 15:30 in Copenhagen
const { fail } = services;
const { call } = services;
const osloMidnight = (date: string, offset = '+02:00') => Date.parse(`${date}T00:00:00${offset}`);

describe('maintenance plans', () => {
  it('a bad plan in a contract file is refused with its path, and nothing is stored', async () => {
    const file = telekompetanse({
      maintenance: [
        { id: 'x', kind: 'inspection', every: { months: 3 } },
        { id: 'y', kind: 'inspection', perYear: 5 },
      ],
    });
    const r = await call('desk.importContract', { file });
    expect(r.imported).toBe(false);
    expect(!r.imported && r.issues).toEqual(
      expect.arrayContaining([
        { path: 'maintenance[0].from', message: expect.stringContaining('required with every') },
        { path: 'maintenance[1].perYear', message: expect.stringContaining('must be one of') },
      ]),
    );
    expect((await call('desk.customers', { prefix: 'Fjellheim' })).customers).toEqual([]);
  });

  it('creates the visit when its notice time comes, once, as a ticket of kind inspection with its window, assignee and no SLA clock', async () => {
    const imp = await services.importContract(telekompetanse());
    // Level 3: 4 a year from 1 January; the April visit (window 1 April to 1 May, noticed 14 days ahead) is due for creation now.
    const first = await call('agreements.planVisits', {});
    expect(first.created).toEqual([{ ticketId: expect.any(String), caseNumber: expect.any(String), planId: 'inspection-level-3', due: '2026-04-01' }]);
    expect((await call('agreements.planVisits', {})).created).toEqual([]);
    const t = await services.t.services.context.store.tickets.get(first.created[0]!.ticketId);
    expect(t).toMatchObject({
      assignee: 'Kari',
      policy: null,
      channel: 'onsite',
      intake: { visit_kind: 'inspection', visit_plan: 'inspection-level-3', visit_due: '2026-04-01' },
      nextDueAt: osloMidnight('2026-05-02'),
    });
    const { items } = await call('field.myVisits', { assignee: 'Kari' });
    expect(items).toEqual([
      expect.objectContaining({
        ticketId: t!.id,
        visit: expect.objectContaining({ kind: 'inspection', due: '2026-04-01', windowStart: osloMidnight('2026-04-01'), windowEnd: osloMidnight('2026-05-02') }),
      }),
    ]);
    expect((await call('desk.ticket', { id: t!.id })).visit).toMatchObject({ kind: 'inspection', due: '2026-04-01' });
    // The assignee's alert: "visit due", keyed by the window's opening.
    const alerts = await call('alerts.list', {});
    expect(alerts.active).toEqual(expect.arrayContaining([expect.objectContaining({ ticketId: t!.id, kind: 'visit_due', dueAt: osloMidnight('2026-04-01') })]));
    // The contract file exported carries the plans (it imports elsewhere as it is).
    expect((await call('desk.exportContract', { contractId: imp.contractId })).file.maintenance).toEqual(telekompetanse().maintenance);
    // The contract's visits: this one with its ticket, the next (July) without yet.
    const v = await call('agreements.visits', { contractId: imp.contractId });
    expect(v.plans.map((p) => [p.id, p.active])).toEqual([
      ['inspection-level-1', false],
      ['inspection-level-2', false],
      ['inspection-level-3', true],
    ]);
    expect(
      v.visits
        .filter((x) => x.due >= '2026-04-01')
        .slice(0, 2)
        .map((x) => [x.due, x.caseNumber]),
    ).toEqual([
      ['2026-04-01', t!.caseNumber],
      ['2026-07-01', null],
    ]);
  });

  it('two devices planning the same visit make the same ticket id', async () => {
    const other = await testServices();
    try {
      const a = await services.importContract(telekompetanse());
      await dispatchOk(other.services, 'desk.importContract', { file: telekompetanse() });
      const b = await dispatchOk(other.services, 'agreements.planVisits', {});
      const here = await call('agreements.planVisits', {});
      expect(b.created[0]!.ticketId).toBe(here.created[0]!.ticketId);
      expect(here.created[0]!.ticketId).toBe(visitTicketId(a.contractId, { planId: 'inspection-level-3', due: '2026-04-01', windowStart: osloMidnight('2026-04-01') }));
    } finally {
      await other.cleanup();
    }
  });

  it('a missed inspection is in the SLA report of the month its window closed; one done in time counts as done', async () => {
    const imp = await services.importContract(telekompetanse());
    const { created } = await call('agreements.planVisits', {});
    services.t.clock.set(Date.parse('2026-05-04T08:00:00+02:00'));
    // Its window closed at 2 May 00:00: in the May report (April's has none closing in it).
    expect((await call('reports.sla', { contractId: imp.contractId, month: '2026-04' })).visits).toMatchObject({ due: 0 });
    const may = await call('reports.sla', { contractId: imp.contractId, month: '2026-05' });
    expect(may.visits).toMatchObject({
      due: 1,
      done: 0,
      missed: 1,
      rows: [{ planId: 'inspection-level-3', due: '2026-04-01', state: 'missed', caseNumber: expect.any(String), ticketId: created[0]!.ticketId }],
    });
    const csv = (await call('reports.slaCsv', { contractId: imp.contractId, month: '2026-05' })).content;
    expect(csv).toContain(`TK-2026-17,2026-05,visits,missed,1`);
    expect(csv).toContain(`TK-2026-17,2026-05,visit,missed,inspection-level-3,${may.visits!.rows[0]!.caseNumber},,2026-04-01`);
    // A month before: the January visit was never created (the app was not there): missed all the same.
    const jan = await call('reports.sla', { contractId: imp.contractId, month: '2026-01' });
    expect(jan.visits).toMatchObject({ due: 1, missed: 1, rows: [{ due: '2026-01-01', ticketId: null }] });
    // The July visit, done in time.
    services.t.clock.set(Date.parse('2026-06-20T08:00:00+02:00'));
    const july = (await call('agreements.planVisits', {})).created[0]!;
    services.t.clock.set(Date.parse('2026-07-03T10:00:00+02:00'));
    await call('desk.act', { ticketId: july.ticketId, action: { type: 'resolve', text: 'inspected' } });
    services.t.clock.set(Date.parse('2026-08-03T10:00:00+02:00'));
    expect((await call('reports.sla', { contractId: imp.contractId, month: '2026-07' })).visits).toMatchObject({ due: 1, done: 1, missed: 0 });
    expect((await fail('agreements.visits', { contractId: 'nope' })).code).toBe('not_found');
  });

  it('a visit pulled from another device (no deadline stored) is scheduled by its window', async () => {
    await services.importContract(telekompetanse());
    const ctx = services.t.services.context;
    const { created } = await call('agreements.planVisits', {});
    const t = (await ctx.store.tickets.get(created[0]!.ticketId))!;
    await ctx.store.tickets.setSchedule(t.id, { nextDueAt: null });
    // as a pull re-schedules it (main/app/services.ts replanPulled)
    const x = (await ctx.sla.load(t.id))!;
    const change = ctx.sla.change(x, x.ticket.status, { now: ctx.clock.now() });
    if (change.schedule) await ctx.store.tickets.setSchedule(t.id, change.schedule);
    expect((await ctx.store.tickets.get(t.id))?.nextDueAt).toBe(osloMidnight('2026-05-02'));
  });

  it("an edit of the policies that drops a plan's level is refused with the plan's path, and nothing is stored", async () => {
    const imp = await services.importContract(telekompetanse());
    const c = await services.t.services.context.store.customers.getContract(imp.contractId);
    const { 'level-1-daily-operations': _gone, ...policies } = c!.policySet.policies;
    const check = await call('desk.checkContractEdit', { contractId: imp.contractId, policySet: { calendars: c!.policySet.calendars, policies } });
    expect(check.issues).toEqual([{ path: 'policies', message: expect.stringContaining('maintenance[0].level: names no policy') }]);
    const err = await fail('desk.updateContract', { contractId: imp.contractId, policySet: { calendars: c!.policySet.calendars, policies }, version: c!.version });
    expect(err.message).toContain('maintenance[0].level');
    expect((await services.t.services.context.store.customers.getContract(imp.contractId))?.version).toBe(c!.version);
  });

  it('sets the plans of a contract: a bad plan is refused with every path and nothing stored; a good one is stored and its visits created', async () => {
    const imp = await services.importContract(telekompetanse({ maintenance: undefined }));
    const store = services.t.services.context.store;
    const v0 = (await store.customers.getContract(imp.contractId))!.version;
    const err = await fail('agreements.setMaintenance', {
      contractId: imp.contractId,
      maintenance: [
        { id: 'x', kind: 'inspection', every: { months: 3 } },
        { id: 'x', kind: 'inspection', perYear: 4 },
      ],
    });
    expect(err).toMatchObject({ code: 'invalid_request', path: 'maintenance[0].from', issues: [{ path: 'maintenance[0].from' }, { path: 'maintenance[1].id' }] });
    expect((await store.customers.getContract(imp.contractId))!.version).toBe(v0);
    const ok = await call('agreements.setMaintenance', { contractId: imp.contractId, maintenance: [{ id: 'x', kind: 'inspection', every: { months: 3 }, from: '2026-04-01', assignee: 'Kari' }] });
    expect(ok).toEqual({ ok: true, created: 1 });
    expect((await store.customers.getContract(imp.contractId))!.maintenance).toEqual([{ id: 'x', kind: 'inspection', every: { months: 3 }, from: '2026-04-01', assignee: 'Kari' }]);
    expect((await fail('agreements.setMaintenance', { contractId: 'nope', maintenance: null })).code).toBe('not_found');
  });

  it("the contract's service level picks its plans: a contract made without one plans nothing until it is set", async () => {
    const imp = await services.importContract(telekompetanse({ defaultPolicy: undefined }));
    expect((await call('agreements.planVisits', {})).created).toEqual([]);
    const v = await call('agreements.visits', { contractId: imp.contractId });
    expect(v.level).toBeNull();
    expect(v.levels).toEqual([
      { id: 'level-1-daily-operations', name: 'Nivå 1: daglig drift' },
      { id: 'level-2-daily-operations', name: 'Nivå 2: daglig drift' },
      { id: 'level-3-daily-operations', name: 'Nivå 3: daglig drift' },
    ]);
    const bad = await fail('agreements.setLevel', { contractId: imp.contractId, level: 'gold' });
    expect(bad).toMatchObject({ code: 'invalid_request', path: 'level' });
    expect(await call('agreements.setLevel', { contractId: imp.contractId, level: 'level-3-daily-operations' })).toEqual({ ok: true, created: 1 });
    expect((await call('agreements.visits', { contractId: imp.contractId })).level).toBe('level-3-daily-operations');
  });

  it("the inspection report carries the visit's checklist, readings, parts, photos and signature", async () => {
    await services.importContract(telekompetanse());
    const { created } = await call('agreements.planVisits', {});
    const ticketId = created[0]!.ticketId;
    await call('field.checklist', { ticketId, values: { temperature: '21,5', dust: 'little', notes: 'ok' } });
    await call('field.parts', { ticketId, parts: [{ product: 'Fan', serialIn: 'F-2' }] });
    await call('field.acceptance', { ticketId, name: 'Ola Nordmann', signature: 'data:image/png;base64,iVBORw0KGgo=' });
    const r = await call('agreements.visitReport', { ticketId });
    expect(r).toMatchObject({
      customerName: 'Fjellheim Kommune',
      agreementNumber: 'TK-2026-17',
      visit: { kind: 'inspection', due: '2026-04-01' },
      checklist: expect.arrayContaining([
        { key: 'temperature', label: 'Temperature (°C)', value: 21.5 },
        { key: 'dust', label: 'Dust', value: 'little' },
      ]),
      parts: [{ product: 'Fan', serialIn: 'F-2', serialOut: null }],
      acceptance: { name: 'Ola Nordmann' },
    });
  });
});

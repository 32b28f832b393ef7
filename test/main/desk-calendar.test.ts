/** The contracts view's engine side: month view, edit check (night shifts, moved deadlines), save, .ics. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PolicySetJson } from '../../core/api/desk-views.js';
import { editablePolicySet, exampleContract, servicesPerTest, weekOf } from '../helpers/services.js';

const example = exampleContract();

async function setup() {
  const r = await services.importContract(example);
  const c = await call('desk.contract', { contractId: r.contractId });
  const register = async (policy: string) =>
    (
      await call('desk.register', {
        customerId: r.customerId,
        contractId: r.contractId,
        policy,
        critical: policy === 'critical',
        channel: 'phone',
        authorisedBy: 'contact',
        contactId: c.contacts[0]!.id,
        description: 'fault',
        intake: { site_address: 'Kajgade 4' },
      })
    ).ticket;
  return { contractId: r.contractId, contract: c, register };
}
/** dk-office with a night shift Friday 22:00-06:00 added (entered as one pair crossing midnight). */
function withNightShift(c: { policySet: PolicySetJson }) {
  const ps = editablePolicySet(c);
  weekOf(ps.calendars['dk-office']).fri = [
    ['08:00', '16:00'],
    ['22:00', '06:00'],
  ];
  return ps;
}

const services = servicesPerTest(); // now: Friday 2026-03-27 15:30 in Copenhagen
const { fail } = services;
const { call } = services;

describe('desk.calendarMonth', () => {
  it("shows each day's open hours and why (week, holiday), from the engine", async () => {
    const { contractId } = await setup();
    const m = await call('desk.calendarMonth', { contractId, calendar: 'dk-office', month: '2026-04' });
    expect(m.timezone).toBe('Europe/Copenhagen');
    expect(m.days).toHaveLength(30);
    const day = (d: string) => m.days.find((x) => x.date === d)!;
    expect(day('2026-04-01')).toEqual({ date: '2026-04-01', weekday: 2, rule: 'week', intervals: [['08:00', '16:00']], openMinutes: 480 });
    expect(day('2026-04-04')).toMatchObject({ weekday: 5, intervals: [], rule: 'week' });
    expect(day('2026-04-03')).toMatchObject({ rule: 'holiday', intervals: [] }); // Good Friday (DK)
  });
  it('shows a draft with a night shift split over midnight; a bad draft gives its issues', async () => {
    const { contractId, contract } = await setup();
    const draft = withNightShift(contract).calendars['dk-office']!;
    draft.closed = ['2026-04-17'];
    const m = await call('desk.calendarMonth', { contractId, calendar: 'dk-office', month: '2026-04', draft });
    const day = (d: string) => m.days.find((x) => x.date === d)!;
    expect(day('2026-04-10').intervals).toEqual([
      ['08:00', '16:00'],
      ['22:00', '24:00'],
    ]);
    expect(day('2026-04-11').intervals).toEqual([['00:00', '06:00']]);
    expect(day('2026-04-17')).toMatchObject({ rule: 'closed', intervals: [] });
    const bad = await call('desk.calendarMonth', { contractId, calendar: 'dk-office', month: '2026-04', draft: { ...draft, timezone: 'Mars/Olympus' } });
    expect(bad.issues.map((i: { path: string }) => i.path)).toEqual(['timezone']);
    expect((await fail('desk.calendarMonth', { contractId, calendar: 'nope', month: '2026-04' })).code).toBe('not_found');
    expect((await fail('desk.calendarMonth', { contractId, calendar: 'dk-office', month: '2026-13' })).path).toBe('month');
  });
});

describe('desk.checkContractEdit and desk.updateContract', () => {
  it('counts the open tickets whose deadlines an edit moves; stores it; re-plans the tickets', async () => {
    const { contractId, contract, register } = await setup();
    const normal = await register('normal'); // office hours: moved by a night shift
    await register('critical'); // 24x7: not moved
    const edit = withNightShift(contract);
    const check = await call('desk.checkContractEdit', { contractId, policySet: edit });
    expect(check.issues).toEqual([]);
    expect(weekOf(editablePolicySet(check).calendars['dk-office']).fri).toEqual([
      ['08:00', '16:00'],
      ['22:00', '24:00'],
    ]);
    expect(weekOf(editablePolicySet(check).calendars['dk-office']).sat).toEqual([['00:00', '06:00']]);
    expect(check).toMatchObject({ checked: 2, moved: 1 });
    expect(check.examples[0]).toMatchObject({ ticketId: normal.id, metric: 'response' });
    expect(check.examples[0]!.after).toBeLessThan(check.examples[0]!.before!);
    // nothing stored by the check
    expect((await call('desk.contract', { contractId })).version).toBe(contract.version);

    const before = (await call('desk.ticket', { id: normal.id })).nextDueAt;
    const saved = await call('desk.updateContract', { contractId, policySet: edit, version: contract.version });
    expect(saved.moved).toBe(1);
    expect(saved.contract.version).toBe(contract.version + 1);
    expect(weekOf(editablePolicySet(saved.contract).calendars['dk-office']).sat).toEqual([['00:00', '06:00']]);
    const after = await call('desk.ticket', { id: normal.id });
    expect(after.nextDueAt).toBeLessThan(before!);
    expect(after.targets.find((x) => x.metric === 'response')!.dueAt).toBe(check.examples[0]!.after);
    const outbox = services.t.services.context.store.outbox;
    const pending = (await outbox.pending(100)) as { name: string; payload: any }[];
    // the whole contract record goes to the sync server, with the new calendars
    expect(pending.some((m) => m.name === 'record.put' && m.payload.kind === 'contract' && m.payload.id === contractId && m.payload.data.policySet.calendars['dk-office'].week.sat.length === 1)).toBe(
      true,
    );
    // the same check again: nothing moves any more
    expect((await call('desk.checkContractEdit', { contractId, policySet: saved.contract.policySet })).moved).toBe(0);
  });
  it('reports problems at their paths and stores nothing; a stale version is a conflict', async () => {
    const { contractId, contract } = await setup();
    const bad = editablePolicySet(contract);
    weekOf(bad.calendars['dk-office']).tue = [
      ['08:00', '16:00'],
      ['12:00', '18:00'],
    ];
    bad.policies.normal!.targets.response!.within = { hours: -1 };
    const check = await call('desk.checkContractEdit', { contractId, policySet: bad });
    expect(check.issues.map((i) => i.path)).toEqual(['calendars.dk-office.week.tue[1]', 'policies.normal.targets.response.within.hours']);
    expect(check.moved).toBe(0);
    const err = await fail('desk.updateContract', { contractId, policySet: bad, version: contract.version });
    expect(err).toMatchObject({ code: 'invalid_request', path: 'policySet.calendars.dk-office.week.tue[1]' });
    expect((await fail('desk.updateContract', { contractId, policySet: contract.policySet, version: contract.version + 7 })).code).toBe('conflict');
    expect((await call('desk.contract', { contractId })).version).toBe(contract.version);
  });
});

describe('desk.parseIcs', () => {
  it('returns the closed days of all-day events', async () => {
    const text = ['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20261224', 'DTEND;VALUE=DATE:20261226', 'SUMMARY:Jul', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n');
    expect((await call('desk.parseIcs', { text })).days.map((d) => d.date)).toEqual(['2026-12-24', '2026-12-25']);
    expect((await fail('desk.parseIcs', { text: 'nope' })).path).toBe('text');
  });
});

import { describe, expect, it } from 'vitest';
import { caseInputFromEvents } from '../../core/reports/index.js';
import { MUTATIONS } from '../../core/sync/mutations.js';
import { exampleContract, servicesPerTest } from '../helpers/services.js';

const example = exampleContract();
// A 1x1 transparent PNG.
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

const cph = (local: string) => Date.parse(`${local}+01:00`);

async function setup() {
  const imp = await services.importContract(example);
  const c = await call('desk.contract', { contractId: imp.contractId });
  const register = (title: string, assignee?: string) =>
    call('desk.register', {
      contractId: imp.contractId,
      customerId: imp.customerId,
      policy: 'normal',
      channel: 'phone',
      authorisedBy: 'contact',
      contactId: c.contacts[0]!.id,
      title,
      description: title,
      intake: { site_address: 'Kajgade 4, Aarhus' },
    }).then(async (r) => {
      if (assignee) await call('desk.act', { ticketId: r.ticket.id, action: { type: 'assign', assignee } });
      return r.ticket;
    });
  return { ...imp, register };
}

const services = servicesPerTest(); // now: Fri 27 March 2026 15:30 in Copenhagen
const { fail } = services;
const { call } = services;

describe('field visits', () => {
  it('lists my visits: open tickets assigned to me, with customer and site address', async () => {
    const { register } = await setup();
    const mine = await register('Router down', 'Kim');
    await register('Printer', 'Ole');
    const done = await register('Old one', 'Kim');
    await call('desk.act', { ticketId: done.id, action: { type: 'resolve', text: 'fixed' } });
    const { items } = await call('field.myVisits', { assignee: 'Kim' });
    expect(items.map((i) => [i.caseNumber, i.customerName, i.siteAddress, i.description])).toEqual([[mine.caseNumber, 'Nordhavn Logistik ApS', 'Kajgade 4, Aarhus', 'Router down']]);
    expect((await fail('field.myVisits', { assignee: '' })).path).toBe('assignee');
  });

  it('logs steps (a corrected time is a new event with its reason), km, parts, checklist and acceptance, in timeline order', async () => {
    const { register } = await setup();
    const tk = await register('Router down', 'Kim');
    services.t.clock.set(cph('2026-03-27T16:00:00'));
    const travel = await call('field.step', { ticketId: tk.id, step: 'travel', author: 'Kim' });
    services.t.clock.set(cph('2026-03-27T16:40:00'));
    await call('field.step', { ticketId: tk.id, step: 'arrive', author: 'Kim' });
    // travel actually started at 15:50: a correction, appended, with its reason
    expect((await fail('field.step', { ticketId: tk.id, step: 'travel', at: cph('2026-03-27T15:50:00'), replaces: travel.eventId })).path).toBe('reason');
    await call('field.step', { ticketId: tk.id, step: 'travel', at: cph('2026-03-27T15:50:00'), replaces: travel.eventId, reason: 'forgot to press start', author: 'Kim' });
    services.t.clock.set(cph('2026-03-27T16:45:00'));
    await call('field.step', { ticketId: tk.id, step: 'work', author: 'Kim' });
    await call('field.parts', { ticketId: tk.id, parts: [{ product: 'PSU 650W', serialIn: 'SN-NEW-1', serialOut: 'SN-OLD-1' }] });
    await call('field.checklist', { ticketId: tk.id, values: { temperature: '21,5', dust: 'light', notes: 'fans cleaned' } });
    services.t.clock.set(cph('2026-03-27T17:30:00'));
    const depart = await call('field.step', { ticketId: tk.id, step: 'depart', km: 42 });
    await call('field.acceptance', { ticketId: tk.id, name: 'Jens Hansen', signature: PNG });

    const ticket = await call('desk.ticket', { id: tk.id });
    const field = ticket.events.filter((e) => ['visit_step', 'parts', 'checklist', 'acceptance'].includes(e.type));
    expect(field.map((e) => [e.type, e.data.step ?? null, new Date(e.at).toISOString()])).toEqual([
      ['visit_step', 'travel', '2026-03-27T14:50:00.000Z'],
      ['visit_step', 'travel', '2026-03-27T15:00:00.000Z'],
      ['visit_step', 'arrive', '2026-03-27T15:40:00.000Z'],
      ['visit_step', 'work', '2026-03-27T15:45:00.000Z'],
      ['parts', null, '2026-03-27T15:45:00.000Z'],
      ['checklist', null, '2026-03-27T15:45:00.000Z'],
      ['visit_step', 'depart', '2026-03-27T16:30:00.000Z'],
      ['acceptance', null, '2026-03-27T16:30:00.000Z'],
    ]);
    expect(field[0]!.data).toMatchObject({ replaces: travel.eventId, reason: 'forgot to press start', technician: 'Kim' });
    expect(field[1]!.id).toBe(travel.eventId); // the original is kept (append-only)
    expect(field[6]!.data.km).toBe(42);
    expect(field[4]!.data.parts).toEqual([{ product: 'PSU 650W', serialIn: 'SN-NEW-1', serialOut: 'SN-OLD-1' }]);
    expect((field[5]!.data.items as { key: string; value: unknown }[]).map((i) => [i.key, i.value])).toEqual([
      ['temperature', 21.5],
      ['dust', 'light'],
      ['devicesAdded', null],
      ['devicesRemoved', null],
      ['notes', 'fans cleaned'],
    ]);
    expect(field[7]!.data).toEqual({ name: 'Jens Hansen', signature: PNG });
    // the km are billed (docs/reports.md); a corrected depart carries them, counted once
    expect(caseInputFromEvents(ticket.events).km).toBe('42');
    services.t.clock.set(cph('2026-03-27T17:40:00'));
    await call('field.step', { ticketId: tk.id, step: 'depart', at: cph('2026-03-27T17:20:00'), replaces: depart.eventId, reason: 'left earlier' });
    const after = (await call('desk.ticket', { id: tk.id })).events;
    expect(after.filter((e) => e.type === 'visit_step' && e.data.step === 'depart').map((e) => e.data.km)).toEqual([42, 42]);
    expect(caseInputFromEvents(after).km).toBe('42');
  });

  it('rejects bad input with the path to fix', async () => {
    const { register, contractId } = await setup();
    const tk = await register('Router down', 'Kim');
    expect(await fail('field.step', { ticketId: tk.id, step: 'lunch' })).toMatchObject({ code: 'invalid_request', path: 'step' });
    expect((await fail('field.step', { ticketId: tk.id, step: 'arrive', at: services.t.clock.now() - 3_600_000 })).path).toBe('at'); // before the case
    expect((await fail('field.step', { ticketId: tk.id, step: 'arrive', at: services.t.clock.now() + 3_600_000 })).path).toBe('at'); // future
    expect((await fail('field.step', { ticketId: tk.id, step: 'depart', km: -1 })).path).toBe('km');
    const arrive = await call('field.step', { ticketId: tk.id, step: 'arrive' });
    expect((await fail('field.step', { ticketId: tk.id, step: 'depart', replaces: arrive.eventId, reason: 'x' })).path).toBe('step');
    expect((await fail('field.step', { ticketId: tk.id, step: 'arrive', replaces: 'nope', reason: 'x' })).path).toBe('replaces');
    expect((await fail('field.parts', { ticketId: tk.id, parts: [{ product: '' }] })).path).toBe('parts[0].product');
    expect((await fail('field.parts', { ticketId: tk.id, parts: [] })).path).toBe('parts');
    expect((await fail('field.checklist', { ticketId: tk.id, values: { humidity: '40' } })).path).toBe('values.humidity');
    expect((await fail('field.checklist', { ticketId: tk.id, values: { temperature: 'warm' } })).path).toBe('values.temperature');
    expect((await fail('field.acceptance', { ticketId: tk.id, name: 'Jens', signature: 'data:image/jpeg;base64,AAAA' })).path).toBe('signature');
    expect((await fail('field.acceptance', { ticketId: tk.id, name: 'Jens', signature: `data:image/png;base64,${'A'.repeat(200_000)}` })).path).toBe('signature');
    expect((await fail('field.acceptance', { ticketId: tk.id, name: ' ', signature: PNG })).path).toBe('name');
    expect((await fail('field.step', { ticketId: 'nope', step: 'arrive' })).code).toBe('not_found');
    // a contract's own checklist replaces the default one
    expect(
      (
        await fail('field.setChecklist', {
          contractId,
          items: [
            { key: 'ups', label: 'UPS', kind: 'yesno' },
            { key: 'ups', label: 'UPS 2' },
          ],
        })
      ).path,
    ).toBe('items[1].key');
    await call('field.setChecklist', { contractId, items: [{ key: 'ups', label: 'UPS tested', kind: 'yesno' }] });
    expect(await call('field.checklistFor', { ticketId: tk.id })).toEqual({ items: [{ key: 'ups', label: 'UPS tested', kind: 'yesno' }], fromContract: true });
    expect((await fail('field.checklist', { ticketId: tk.id, values: { temperature: 20 } })).path).toBe('values.temperature');
    await call('field.checklist', { ticketId: tk.id, values: { ups: true } });
  });

  it('queues the field events as ticket.event@1 mutations the server accepts', async () => {
    for (const type of ['visit_step', 'parts', 'checklist', 'acceptance']) {
      const r = MUTATIONS['ticket.event@1'].safeParse({
        ticketId: '01890a5d-ac96-774b-bcce-b302099a8057',
        event: { id: '01890a5d-ac96-774b-bcce-b302099a8058', type, at: Date.UTC(2026, 0, 1), data: {} },
      });
      expect(r.success, type).toBe(true);
    }
  });
});

/**
 * Issue 21 finding 5: the role matrix (core/sync/roles.ts, docs/sync.md "Roles"), every cell, through
 * a real server: a duty officer's, a technician's and an admin's device each push every kind of
 * change. A `yes` cell is applied on someone else's ticket; a `no` cell is `forbidden` even on the
 * person's own; `own` is applied on their own ticket and forbidden on another's; `own_or_unassigned`
 * also on a free ticket; `new` adds a record and may not change one.
 */
import { beforeAll, expect, it } from 'vitest';
import type { Role } from '../../core/sync/mutations.js';
import { ROLE_ACTIONS, ROLE_MATRIX } from '../../core/sync/roles.js';
import type { RoleAction } from '../../core/sync/roles.js';
import { makeDevice, newTenant, syncOnce } from '../server/helpers.js';
import type { TestDevice } from '../server/helpers.js';
import { makeConflict, onBothDatabases } from './server.js';

const POLICY_SET = {
  calendars: { '24x7': { timezone: 'Europe/Oslo', week: '24x7' } },
  policies: { normal: { calendar: '24x7', targets: { response: { within: { minutes: 60 } }, resolution: { within: { hours: 8 } } } } },
};
const ROLES: Role[] = ['duty_officer', 'technician', 'admin'];
/** helpers.enrol names each person `${role} user`; the technician's tickets are assigned to that name (case and spaces aside). */
const TECH_NAME = ' Technician User';

type Target = 'other' | 'own' | 'free' | 'existing' | 'fresh';

onBothDatabases('role matrix: every mutation x role', (s) => {
  const dev = {} as Record<Role, TestDevice>;
  let conflictId = '';
  let n = 0;
  beforeAll(async () => {
    const { adminToken } = await newTenant(s.db);
    for (const r of ROLES) dev[r] = await makeDevice(s.app, adminToken, { role: r });
    const o = dev.duty_officer.store;
    const createdAt = Date.now();
    o.putRecord('customer', 'cust-1', { name: 'Fjordkraft Drift AS', createdAt });
    o.putRecord('contract', 'con-1', { customerId: 'cust-1', agreementNumber: 'SA-1', policySet: POLICY_SET, defaultPolicy: 'normal', createdAt });
    // An open edit conflict: the officer and the admin change one title concurrently.
    const { ticketId } = o.createTicket({ title: 'Lift stuck' });
    conflictId = await makeConflict(dev.duty_officer, dev.admin, ticketId, 'title', ['Lift 2 stuck', 'Lift 3 stuck']);
    expect(o.outbox.every((m) => m.status === 'applied')).toBe(true);
  });

  /** A ticket the duty officer registers: assigned to someone else, to the technician, or to nobody. */
  async function ticket(target: Target): Promise<string> {
    const assignee = target === 'other' ? 'Someone Else' : target === 'own' ? TECH_NAME : null;
    const { ticketId } = dev.duty_officer.store.createTicket({ assignee, title: `ticket ${++n}` });
    await syncOnce(dev.duty_officer);
    return ticketId;
  }

  /** Makes the change of `action` on `d` against `target`; returns the server's answer. */
  async function attempt(role: Role, action: RoleAction, target: Target): Promise<{ status: string; reason: string | null; message: string | null }> {
    const d = dev[role];
    const st = d.store;
    const createdAt = Date.now();
    if (action.startsWith('record.put:')) {
      const kind = action.slice('record.put:'.length);
      const id = target === 'existing' ? `${kind}-x` : `${kind}-${++n}`;
      if (target === 'existing') {
        // The record exists already (registered by the duty officer).
        const o = dev.duty_officer.store;
        if (kind === 'customer') o.putRecord('customer', id, { name: 'Existing AS', createdAt });
        await syncOnce(dev.duty_officer);
      }
      const data: Record<string, Record<string, unknown>> = {
        customer: { name: `Customer ${n}`, createdAt },
        contract: { customerId: 'cust-1', agreementNumber: `SA-${n}`, policySet: POLICY_SET, defaultPolicy: 'normal', createdAt },
        contact: { contractId: 'con-1', name: 'Søren Ærø', createdAt },
        site: { customerId: 'cust-1', name: 'Head office', createdAt },
        asset: { customerId: 'cust-1', product: 'Core router', createdAt },
        outage: { contractId: 'con-1', serviceId: 'connexys', ticketId: null, start: createdAt - 60_000, end: null, source: 'manual', createdAt },
        rota: { name: 'NOC', timezone: 'Europe/Oslo', members: [{ userId: 'u-mette', name: 'Mette' }], week: [{ day: 'sat', start: '22:00', end: '06:00', person: 'u-mette' }], createdAt },
      };
      st.putRecord(kind as 'customer', id, data[kind] as Record<string, unknown>);
    } else if (action === 'ticket.create') {
      st.createTicket();
    } else if (action === 'conflict.resolve') {
      st.resolveConflict(conflictId, 'Lift 2 stuck');
    } else if (action === 'user.setAlertScope') {
      st.setAlertScope('all');
    } else {
      const t = await ticket(target);
      await syncOnce(d); // the device has the ticket (its edit carries the field's HLC)
      if (action === 'ticket.setPriority') st.setPriority(t, 'P1');
      else if (action === 'ticket.assign') st.assign(t, TECH_NAME.trim());
      else if (action === 'ticket.edit') st.edit(t, 'description', 'Boiler pressure low');
      else if (action === 'ticket.setIntake') st.setIntake(t, { fault_description: 'no dial tone' });
      else if (action === 'alert.ack') st.ackAlert({ alertKey: `${t}|response|breach|1`, ticketId: t, action: 'ack', at: createdAt });
      else {
        const type = action.slice('ticket.event:'.length) as 'note';
        const data: Record<string, unknown> = type === ('status' as string) ? { status: 'resolved' } : type === ('policy_changed' as string) ? { policy: 'normal' } : { text: `${type} by ${role}` };
        st.addEvent(t, type, data);
      }
    }
    await syncOnce(d);
    const m = st.outbox.at(-1);
    return { status: m?.status ?? 'none', reason: m?.reason ?? null, message: m?.message ?? null };
  }

  const applied = { status: 'applied', reason: null };
  const forbidden = { status: 'rejected', reason: 'forbidden' };

  for (const action of ROLE_ACTIONS) {
    for (const role of ROLES) {
      const cell = ROLE_MATRIX[action][role];
      const record = action.startsWith('record.put:');
      const ticketless = record || action === 'ticket.create' || action === 'conflict.resolve' || action === 'user.setAlertScope';
      it(`${action} x ${role}: ${cell}`, async () => {
        switch (cell) {
          case 'yes':
            expect(await attempt(role, action, ticketless ? 'fresh' : 'other')).toMatchObject(applied);
            break;
          case 'no': {
            const r = await attempt(role, action, ticketless ? 'fresh' : 'own');
            expect(r).toMatchObject(forbidden);
            expect(r.message).toContain(`(${role}) may not`);
            expect(r.message).toContain(action.split(':')[0] as string);
            break;
          }
          case 'own':
          case 'own_or_unassigned': {
            expect(await attempt(role, action, 'own')).toMatchObject(applied);
            const r = await attempt(role, action, 'other');
            expect(r).toMatchObject(forbidden);
            expect(r.message).toMatch(/only on tickets assigned to them.*this ticket is assigned to Someone Else/);
            expect(await attempt(role, action, 'free')).toMatchObject(cell === 'own' ? forbidden : applied);
            break;
          }
          case 'new':
            expect(await attempt(role, action, 'fresh')).toMatchObject(applied);
            expect(await attempt(role, action, 'existing')).toMatchObject(forbidden);
            break;
        }
      });
    }
  }

  it("a technician's own ticket is also one registered on their device: they resolve and close it, not another's", async () => {
    const tech = dev.technician.store;
    const { ticketId } = tech.createTicket({ title: 'found on site' });
    tech.setStatus(ticketId, 'closed');
    const other = await ticket('other');
    await syncOnce(dev.technician);
    tech.setStatus(other, 'closed');
    await syncOnce(dev.technician);
    expect(tech.outbox.slice(-3).map((m) => [m.status, m.reason])).toEqual([
      ['applied', null],
      ['applied', null],
      ['rejected', 'forbidden'],
    ]);
    expect(tech.outbox.at(-1)?.message).toBe(
      "A technician (technician) may not change a ticket's status (resolve, close, wait, reopen) (ticket.event@1): only on tickets assigned to them or registered on their device; this ticket is assigned to Someone Else.",
    );
  });
});

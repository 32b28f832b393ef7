/**
 * Several devices with real SQLite stores, each driven by the app's
 * SyncService, against a real sync server (test/sync/fleet.ts).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serverSnapshot } from '../server/helpers.js';
import type { Client } from './fleet.js';
import { Fleet, sync } from './fleet.js';

const fleet = new Fleet();
beforeAll(() => fleet.start());
afterAll(() => fleet.stop());
afterEach(() => fleet.clear());
const setupClient = () => fleet.setupClient();
const enrolled = (role?: 'duty_officer' | 'technician' | 'admin') => fleet.enrolled(role);
const code = (role?: 'duty_officer' | 'technician' | 'admin') => fleet.code(role);

/** What must be equal on every device: tickets' merged fields and their timelines. */
function state(c: Client) {
  return c.d.ticketIds().map((id) => {
    const t = c.d.store.tickets.get(id);
    return { id, caseNumber: t?.caseNumber, status: t?.status, priority: t?.priority, assignee: t?.assignee, title: t?.title, description: t?.description, events: c.d.eventIds(id) };
  });
}

describe('SQLite devices against a real server', () => {
  it('enrols with a one-time code: token file 0600, server prefix, provisional numbers kept', async () => {
    const a = setupClient();
    const early = a.d.store.tickets.get(a.d.createTicket('before enrolment'))?.caseNumber as string;
    expect((await a.sync.status()).state).toBe('not_enrolled');
    const s = await a.sync.enrol('http://vakt.test', await code());
    expect(s).toMatchObject({ enrolled: true, serverUrl: 'http://vakt.test', role: 'duty_officer', pending: 1 });
    expect(statSync(join(a.d.dataDir, 'sync-token')).mode & 0o777).toBe(0o600);
    await expect(a.sync.enrol('http://vakt.test', await code())).rejects.toThrow(/already enrolled/);
    await sync(a);
    const after = a.d.store.tickets.get(a.d.createTicket('after enrolment'))?.caseNumber as string;
    expect(after.startsWith(`${s.casePrefix}-`)).toBe(true);
    await sync(a);
    const server = await serverSnapshot(fleet.app, fleet.admin);
    expect(server.tickets.map((t) => t.caseNumber)).toEqual(expect.arrayContaining([early, after]));
    expect(await a.sync.status()).toMatchObject({ state: 'up_to_date', pending: 0, rejected: 0, conflicts: 0 });
    expect(a.statuses.at(-1)?.state).toBe('up_to_date');
  });

  it('offline edits on two devices converge, concurrent text edits become one conflict that a duty officer resolves', async () => {
    const a = await enrolled();
    const b = await enrolled();
    const t1 = a.d.createTicket('Heating down in block C');
    await sync(a, b);
    expect(b.d.ticket(t1)).toMatchObject({ title: 'Heating down in block C', status: 'open' });
    expect(b.changed).toContain(t1);

    // both offline
    a.d.note(t1, 'A: called the janitor');
    a.d.setPriority(t1, 'P1');
    a.d.edit(t1, 'description', 'Boiler pressure low');
    a.d.edit(t1, 'title', 'Heating down in block C and D');
    b.d.note(t1, 'B: on my way');
    b.d.assign(t1, 'ola');
    b.d.setStatus(t1, 'waiting_on_vendor');
    b.d.edit(t1, 'title', 'Heating down, block C');
    const t2 = b.d.createTicket('Door sensor fault');
    b.d.note(t2, 'B: ordered a part');

    await sync(a, b, a);
    expect(state(a)).toEqual(state(b));
    const ta = a.d.ticket(t1);
    expect(ta).toMatchObject({ priority: 'P1', assignee: 'ola', status: 'waiting_on_vendor', description: 'Boiler pressure low' });
    expect(a.d.eventIds(t1)).toHaveLength(b.d.eventIds(t1).length);
    // the two title edits were concurrent: one conflict on both devices, the field keeps one value
    expect((await a.sync.status()).conflicts).toBe(1);
    expect((await b.sync.status()).conflicts).toBe(1);
    const [conflict] = await a.sync.conflicts();
    expect(conflict).toMatchObject({ ticketId: t1, field: 'title', status: 'open' });
    expect(conflict?.candidates.map((c) => c.value).sort()).toEqual(['Heating down in block C and D', 'Heating down, block C']);

    await a.sync.resolveConflict(conflict?.id as string, 'Heating down in blocks C and D');
    expect(a.d.ticket(t1)?.title).toBe('Heating down in blocks C and D');
    expect((await a.sync.status()).conflicts).toBe(0);
    await sync(a, b);
    expect(b.d.ticket(t1)?.title).toBe('Heating down in blocks C and D');
    expect((await b.sync.status()).conflicts).toBe(0);
    expect(state(a)).toEqual(state(b));

    // the server holds the same
    const server = await serverSnapshot(fleet.app, fleet.admin);
    const mine = new Set(state(a).map((t) => t.id));
    expect(server.tickets.filter((t) => mine.has(t.id)).map((t) => [t.id, t.title, t.status])).toEqual(state(a).map((t) => [t.id, t.title, t.status]));
    expect(
      server.events
        .filter((e) => mine.has(e.ticketId))
        .map((e) => e.id)
        .sort(),
    ).toEqual(
      state(a)
        .flatMap((t) => t.events)
        .sort(),
    );
  });

  it('a stale status change does not reopen a closed ticket; the refusal is kept and listed', async () => {
    const a = await enrolled();
    const b = await enrolled();
    const t = a.d.createTicket('Alarm panel beeping');
    await sync(a, b);
    a.d.setStatus(t, 'closed');
    b.d.setStatus(t, 'waiting_on_customer'); // B has not seen the close
    b.d.note(t, 'B: customer will call back');
    await sync(a, b);
    expect(b.d.ticket(t)?.status).toBe('closed');
    const st = await b.sync.status();
    expect(st).toMatchObject({ pending: 0, rejected: 1 });
    const rejected = await b.sync.rejected();
    expect(rejected).toMatchObject([{ name: 'ticket.event', reason: 'ticket_closed', ticketId: t }]);
    expect(rejected[0]?.message).toMatch(/closed/);
    // the note made on the stale copy is kept (union), only the status change was refused
    await sync(a);
    expect(a.d.eventIds(t)).toEqual(b.d.eventIds(t));
    expect(a.d.ticket(t)?.status).toBe('closed');
    // still listed after later syncs
    await sync(b);
    expect(await b.sync.rejected()).toHaveLength(1);
    // a device that has seen the close may reopen deliberately
    b.d.setStatus(t, 'open');
    await sync(b, a);
    expect(a.d.ticket(t)?.status).toBe('open');
  });

  it('a technician may not resolve conflicts: rejected forbidden, the conflict stays open for a duty officer', async () => {
    const a = await enrolled();
    const tech = await enrolled('technician');
    const t = tech.d.createTicket('Pump noise'); // the technician's own ticket: they may edit it (role matrix)
    await sync(tech, a);
    a.d.edit(t, 'title', 'Pump noise, unit 4');
    tech.d.edit(t, 'title', 'Pump 4 noisy');
    await sync(a, tech, a);
    const [c] = await tech.sync.conflicts();
    await tech.sync.resolveConflict(c?.id as string, 'mine');
    await sync(tech);
    expect(await tech.sync.rejected()).toMatchObject([{ name: 'conflict.resolve', reason: 'forbidden' }]);
    expect((await tech.sync.status()).conflicts).toBe(1);
    expect(tech.d.ticket(t)?.title).not.toBe('mine');
  });

  it('a device enrolled later pulls everything in small pages (events before their ticket rows) and matches', async () => {
    const a = await enrolled();
    const ids = [a.d.createTicket('one'), a.d.createTicket('two')];
    await sync(a);
    for (const id of ids) {
      a.d.note(id, 'later note');
      a.d.setStatus(id, 'waiting_on_customer');
    }
    await sync(a);
    const c = await enrolled();
    await sync(c);
    const mine = (s: ReturnType<typeof state>) => s.filter((t) => ids.includes(t.id));
    expect(mine(state(c))).toEqual(mine(state(a)));
    expect(c.d.store.db.prepare('SELECT count(*) AS n FROM sync_orphan_events').get()).toEqual({ n: 0 });
    expect(c.d.store.db.pragma('foreign_key_check')).toEqual([]);
  });

  it('intake values changed after registration sync per field: two devices fill in different fields offline and both keep both; a later edit of one field wins', async () => {
    const a = await enrolled();
    const b = await enrolled();
    const t1 = a.d.createTicket('Router down at the depot');
    await sync(a, b);
    const intake = (c: Client) => c.d.store.tickets.get(t1)?.intake;
    // both offline: different fields
    a.d.store.tickets.update(t1, { intake: { siteContact: 'Kari, 4711 2233' } });
    b.d.store.tickets.update(t1, { intake: { errorCode: 'E-42' } });
    await sync(a, b, a);
    expect(intake(a)).toEqual({ siteContact: 'Kari, 4711 2233', errorCode: 'E-42' });
    expect(intake(b)).toEqual(intake(a));
    // the same field on both: the later change wins on both devices; clearing a field syncs too
    b.d.store.tickets.update(t1, { intake: { siteContact: 'Per', errorCode: 'E-42' } });
    a.d.store.tickets.update(t1, { intake: { siteContact: 'Ola, 4000 1000' } });
    await sync(b, a, b);
    expect(intake(a)).toEqual({ siteContact: 'Ola, 4000 1000' });
    expect(intake(b)).toEqual(intake(a));
    const server = await serverSnapshot(fleet.app, fleet.admin);
    expect(server.tickets.find((t) => t.id === t1)?.intake).toEqual({ siteContact: 'Ola, 4000 1000', errorCode: null });
    const outbox = [a, b].flatMap((c) => c.d.store.db.prepare(`SELECT name, status FROM outbox WHERE name = 'ticket.setIntake'`).all());
    expect(outbox).toHaveLength(4);
    expect(outbox.every((m) => (m as { status: string }).status === 'applied')).toBe(true);
  });
});

/**
 * Issue 17 item 2: status changes merge by domain rules, not by arrival order, and a refused change
 * leaves no trace (item 1). Two (or three) in-memory devices against the real server, on PGlite and
 * PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { pgliteApp, postgresApp } from './apps.js';
import type { TestApp } from './apps.js';
import { makeDevice, newTenant, serverStore, syncOnce } from './helpers.js';
import { PG_MISSING, postgresInstalled } from './pg.js';

function suite(get: () => TestApp, clock: ManualClock) {
  async function two(role: 'duty_officer' | 'technician' = 'duty_officer') {
    const { app, db } = get();
    const { adminToken } = await newTenant(db);
    const a = await makeDevice(app, adminToken, { clock, role });
    const b = await makeDevice(app, adminToken, { clock });
    return { app, adminToken, a, b };
  }

  it('A offline resolves and closes X, B online pauses X: X is not silently reopened', async () => {
    const { app, adminToken, a, b } = await two();
    const x = a.store.createTicket({ description: 'link down' }).ticketId;
    await syncOnce(a);
    await syncOnce(b);
    clock.advance(60_000);
    const resolve = a.store.setStatus(x, 'resolved'); // A is offline
    clock.advance(1_000);
    const close = a.store.setStatus(x, 'closed');
    clock.advance(60_000);
    const pause = b.store.setStatus(x, 'waiting_on_customer');
    await syncOnce(b);
    await syncOnce(a);
    await syncOnce(b);
    const server = (await serverStore(app, adminToken)).tickets.get(x)!;
    // Either the close holds, or A is told that its resolve and close were refused.
    if (server.status !== 'closed') {
      expect([resolve.status, close.status], 'A is told its resolve and close did not hold').toEqual(['rejected', 'rejected']);
      expect(close.reason).toBe('ticket_closed');
      expect(a.store.view(x)!.status, "A's copy shows what holds").toBe(server.status);
    } else {
      expect(pause.status).toBe('rejected');
    }
    expect(a.store.view(x)!.status).toBe(server.status);
    expect(b.store.view(x)!.status).toBe(server.status);
  });

  it('a resolution is not undone by a pause made a moment later by a device that had not seen it', async () => {
    const { app, adminToken, a, b } = await two();
    const x = a.store.createTicket({ description: 'disk full' }).ticketId;
    await syncOnce(a);
    await syncOnce(b);
    clock.advance(60_000);
    a.store.setStatus(x, 'resolved');
    await syncOnce(a);
    clock.advance(5_000);
    const pause = b.store.setStatus(x, 'waiting_on_customer'); // B had not pulled the resolve
    await syncOnce(b);
    const server = (await serverStore(app, adminToken)).tickets.get(x)!;
    expect(server.status).toBe('resolved');
    expect(pause.status).toBe('rejected');
    expect(pause.reason).toBe('ticket_closed');
    expect(pause.message).toMatch(/resolved/);
    expect(b.store.view(x)!.status).toBe('resolved');
    // A deliberate reopen, made after seeing the resolution, still works.
    const reopen = b.store.setStatus(x, 'open');
    await syncOnce(b);
    expect(reopen.status).toBe('applied');
    expect((await serverStore(app, adminToken)).tickets.get(x)!.status).toBe('open');
  });

  it("a technician's priority change refused for the role leaves no trace: not the field, not its edited event", async () => {
    const { app, adminToken, a: tech, b: officer } = await two('technician');
    const x = tech.store.createTicket({ description: 'router', priority: 'P3' }).ticketId;
    await syncOnce(tech);
    clock.advance(60_000);
    const [edited, prio] = tech.store.changePriority(x, 'P1');
    await syncOnce(tech);
    await syncOnce(officer);
    expect(prio!.status).toBe('rejected');
    expect(prio!.reason).toBe('forbidden');
    expect(edited!.status, 'the edited event recording the priority change is refused with it').toBe('rejected');
    const server = await serverStore(app, adminToken);
    expect(server.tickets.get(x)!.priority).toBe('P3');
    expect([...server.events.values()].filter((e) => e.ticketId === x && e.type === 'edited')).toEqual([]);
    for (const d of [tech, officer]) {
      expect(d.store.view(x)!.priority).toBe('P3');
      expect([...d.store.events.values()].filter((e) => e.type === 'edited')).toEqual([]);
    }
  });
}

describe('status merge and refusals (PGlite)', () => {
  const clock = new ManualClock(Date.UTC(2026, 3, 1, 8, 0));
  suite(pgliteApp({ clock }), clock);
});

describe.skipIf(!postgresInstalled())(`status merge and refusals (PostgreSQL)${postgresInstalled() ? '' : ` -- skipped: ${PG_MISSING}`}`, () => {
  const clock = new ManualClock(Date.UTC(2026, 3, 1, 8, 0));
  suite(postgresApp({ clock }), clock);
});

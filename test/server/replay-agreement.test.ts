/**
 * One definition of what a mutation does (issue 17 item 1, core/sync/replay.ts): a device's view of
 * its pending change is the row the server makes of it. For a ticket's creation (its fields, their
 * HLCs, its intake values) and the last-writer-wins changes (priority, assignee, intake values),
 * written late (a push of priorities alone) or at once, when a later change from another device has
 * been pulled first. In-memory devices against the real server, on PGlite and PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import type { SyncTicket } from '../../core/sync/mutations.js';
import type { MemorySyncStore } from '../../main/sync/memory-store.js';
import { pgliteApp, postgresApp } from './apps.js';
import type { TestApp } from './apps.js';
import { makeDevice, newTenant, serverStore, syncOnce } from './helpers.js';
import type { TestDevice } from './helpers.js';
import { PG_MISSING, postgresInstalled } from './pg.js';

/** What a mutation decides on a ticket: its merged fields and their HLCs (not the server's version or SLA). */
function merged(t: SyncTicket | null | undefined) {
  if (!t) return t;
  const { version: _v, sla: _s, nextDueAt: _n, ...rest } = t;
  return { ...rest, intake: rest.intake ?? null, contractId: rest.contractId ?? null, siteId: rest.siteId ?? null, assetId: rest.assetId ?? null };
}

/** Pulls to the end without pushing (the device has pulled another's later change before sending its own). */
async function pullOnly(d: TestDevice): Promise<void> {
  for (;;) {
    const page = await d.transport.pull(await d.store.cursor(), 500);
    await d.store.applyPulled(page);
    if (!page.more) break;
  }
}

function suite(get: () => TestApp, clock: ManualClock) {
  async function two() {
    const { app, db } = get();
    const { adminToken } = await newTenant(db);
    return { app, adminToken, a: await makeDevice(app, adminToken, { clock }), b: await makeDevice(app, adminToken, { clock }) };
  }
  const onServer = async (app: TestApp['app'], token: string, id: string) => (await serverStore(app, token)).tickets.get(id);
  const view = (s: MemorySyncStore, id: string) => merged(s.view(id));

  it('a pending create shows the ticket the server makes: its fields, their HLCs, its intake values', async () => {
    const { app, adminToken, a } = await two();
    const { ticketId: x } = a.store.createTicket({
      title: 'Core switch down',
      description: 'no link',
      priority: 'P2',
      assignee: 'Kari',
      reporterName: 'Søren',
      intake: { fault_description: 'no link', mobile_number: null },
    });
    const pending = view(a.store, x);
    await syncOnce(a);
    expect(pending).toEqual(merged(await onServer(app, adminToken, x)));
    expect(view(a.store, x)).toEqual(pending);
  });

  it('a pending priority change that a later one from another device beats shows what the server keeps (a late write: a push of priorities alone)', async () => {
    const { app, adminToken, a, b } = await two();
    const { ticketId: x } = b.store.createTicket({ title: 'Lift 2 stuck' });
    await syncOnce(b);
    await syncOnce(a);
    clock.advance(60_000);
    const mine = a.store.setPriority(x, 'P3'); // A is offline
    clock.advance(1_000);
    b.store.setPriority(x, 'P1');
    await syncOnce(b);
    await pullOnly(a); // A pulls B's later change before sending its own
    const pending = view(a.store, x);
    await syncOnce(a);
    expect(mine).toMatchObject({ status: 'applied', message: 'superseded by a later change' });
    expect(pending).toEqual(merged(await onServer(app, adminToken, x)));
    expect(pending?.priority).toBe('P1');
  });

  it('pending intake values and an assignment, partly beaten by later ones from another device, show what the server keeps (written at once)', async () => {
    const { app, adminToken, a, b } = await two();
    const { ticketId: x } = b.store.createTicket({ title: 'Lift 2 stuck', intake: { fault_description: 'stuck', site_phone: null } });
    await syncOnce(b);
    await syncOnce(a);
    clock.advance(60_000);
    const intake = a.store.setIntake(x, { fault_description: 'stuck at floor 3', site_phone: '+47 22 00 00 00' });
    a.store.assign(x, 'Ola');
    clock.advance(1_000);
    b.store.setIntake(x, { fault_description: 'stuck between floors' });
    b.store.assign(x, 'Kari');
    await syncOnce(b);
    await pullOnly(a);
    const pending = view(a.store, x);
    await syncOnce(a);
    expect(intake).toMatchObject({ status: 'applied', message: 'some fields were changed later on another device; those kept the later value' });
    expect(pending).toEqual(merged(await onServer(app, adminToken, x)));
    expect(pending).toMatchObject({ assignee: 'Kari', intake: { fault_description: 'stuck between floors', site_phone: '+47 22 00 00 00' } });
  });
}

describe('device view and server agree (PGlite)', () => {
  const clock = new ManualClock(Date.UTC(2026, 3, 1, 8, 0));
  suite(pgliteApp({ clock }), clock);
});

describe.skipIf(!postgresInstalled())(`device view and server agree (PostgreSQL)${postgresInstalled() ? '' : ` -- skipped: ${PG_MISSING}`}`, () => {
  const clock = new ManualClock(Date.UTC(2026, 3, 1, 8, 0));
  suite(postgresApp({ clock }), clock);
});

/**
 * Issue 17 item 1: a refused mutation is rolled back completely on the device that made it: its
 * fields, its events, and what they set on the ticket (the next callback, the escalation level), so
 * the schedule and the Callbacks view follow what holds. SQLite devices driven by the app's
 * SyncService against a real server (test/sync/fleet.ts).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Fleet, sync } from './fleet.js';

const fleet = new Fleet();
beforeAll(() => fleet.start());
afterAll(() => fleet.stop());
afterEach(() => fleet.clear());

describe('a refused change leaves no trace on its device', () => {
  it("a technician's refused priority change: not the field, not its edited entry", async () => {
    const tech = await fleet.enrolled('technician');
    const id = tech.d.createTicket('Router down');
    await sync(tech);
    const before = tech.d.store.tickets.get(id)!.priority;
    tech.d.setPriority(id, 'P1');
    expect(tech.d.store.tickets.get(id)!.priority).toBe('P1');
    await sync(tech);
    expect((await tech.sync.rejected()).map((r) => r.reason)).toEqual(['forbidden', 'forbidden']);
    expect(tech.d.store.tickets.get(id)!.priority).toBe(before);
    expect(tech.d.store.tickets.events(id).map((e) => e.type)).not.toContain('edited');
  });

  it('a refused callback and escalation: the next callback, the escalation level and the search text go back', async () => {
    const officer = await fleet.enrolled();
    const tech = await fleet.enrolled('technician');
    const now = Date.now();
    // Registered for a call two hours ago (the officer's first sync: no bound yet); not the technician's, so escalating it is not theirs.
    const id = officer.d.store.tickets.register({ customerId: officer.d.customerId, channel: 'phone', title: 'Fibre cut', at: now - 7_200_000 }).id;
    await sync(officer, tech);
    tech.d.store.tickets.appendEvent(id, { type: 'escalation', data: { level: 2, to: 'NOC', reason: 'no light' } });
    // An hour ago: after the case, but long before the technician's last sync: refused `backdated`.
    tech.d.store.tickets.appendEvent(id, {
      type: 'callback',
      at: now - 3_600_000,
      data: { reached: 'Kari', channel: 'phone', text: 'will call back', countsAsUpdate: false, nextCallbackAt: now + 3_600_000 },
    });
    expect(tech.d.store.tickets.get(id)).toMatchObject({ nextCallbackAt: now + 3_600_000, escalationLevel: 2 });
    expect(tech.d.store.tickets.search('will call back').map((h) => h.ticket.id)).toEqual([id]);
    await sync(tech);
    expect((await tech.sync.rejected()).map((r) => r.reason).sort()).toEqual(['backdated', 'forbidden']);
    expect(tech.d.store.tickets.get(id)).toMatchObject({ nextCallbackAt: null, escalationLevel: 0 });
    expect(tech.d.store.tickets.events(id).map((e) => e.type)).toEqual(['created']);
    expect(tech.d.store.tickets.search('will call back'), 'the refused callback is not found by its text').toEqual([]);
    await sync(tech);
    expect(tech.d.store.tickets.get(id)).toMatchObject({ nextCallbackAt: null, escalationLevel: 0 });
  });
});

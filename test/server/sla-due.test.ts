/**
 * The server's SLA fields stay true when time passes (issue 17 item 7): the server keeps no
 * "next due" instant, which went stale once a deadline passed without a change to the ticket
 * (the next push to re-derive it might never come). What it sends are the deadlines themselves.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { pgliteApp } from './apps.js';
import { auth, makeDevice, newTenant, syncOnce } from './helpers.js';

const CONTRACT = {
  calendars: { '24x7': { timezone: 'Europe/Oslo', week: '24x7' } },
  policies: { normal: { calendar: '24x7', targets: { response: { within: { minutes: 60 } }, resolution: { within: { hours: 8 } } } } },
};

describe('SLA fields over time', () => {
  const clock = new ManualClock(Date.UTC(2026, 4, 4, 9));
  const get = pgliteApp({ clock });

  it('a device pulling after the response deadline passed is not told that passed instant is next due', async () => {
    const { app, db } = get();
    const { adminToken } = await newTenant(db);
    expect((await app.inject({ method: 'PUT', url: '/v1/admin/sla-contract', headers: auth(adminToken), payload: CONTRACT })).statusCode).toBe(200);
    const a = await makeDevice(app, adminToken, { clock });
    const createdAt = clock.now();
    const { ticketId } = a.store.createTicket({ policy: 'normal', createdAt });
    await syncOnce(a);
    clock.advance(2 * 3600_000); // the response deadline (60 min) passed; nobody touched the ticket
    const b = await makeDevice(app, adminToken, { clock });
    await syncOnce(b);
    const t = b.store.tickets.get(ticketId)!;
    expect(t.nextDueAt === null || t.nextDueAt > clock.now()).toBe(true);
    expect(t.sla?.targets.map((x) => [x.metric, x.dueAt])).toEqual([
      ['response', createdAt + 3600_000],
      ['resolution', createdAt + 8 * 3600_000],
    ]);
  });
});

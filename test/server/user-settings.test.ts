/**
 * A user's alert scope on the server (issue 17 item 4, server/user-settings.ts): `user.setAlertScope@1`
 * sets the pushing device's user's own setting, never another's; last writer by HLC wins; only that
 * user's devices pull it. In-memory devices against the real server, on PGlite and PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { pgliteApp, postgresApp } from './apps.js';
import type { TestApp } from './apps.js';
import { auth, makeDevice, newTenant, syncOnce } from './helpers.js';
import { PG_MISSING, postgresInstalled } from './pg.js';

function suite(get: () => TestApp, clock: ManualClock) {
  it("is the pushing device's user's, pulled by that user's devices only; a payload naming a user is refused and stores nothing; an older change is superseded", async () => {
    const { app, db } = get();
    const { adminToken, tenantId } = await newTenant(db);
    const ola = await makeDevice(app, adminToken, { clock, role: 'technician' });
    const mette = await makeDevice(app, adminToken, { clock });
    // Ola's second device: an enrolment code for his user.
    const me = (await app.inject({ method: 'GET', url: '/v1/me', headers: auth(ola.enrolled.token) })).json() as { userId: string };
    const code = await app.inject({ method: 'POST', url: `/v1/admin/users/${me.userId}/enrolment-codes`, headers: auth(adminToken), payload: {} });
    const enrolled = await app.inject({ method: 'POST', url: '/v1/enrol', headers: auth(adminToken), payload: { code: (code.json() as { code: string }).code, deviceName: "Ola's phone" } });
    expect(enrolled.statusCode).toBe(201);

    const set = ola.store.setAlertScope('all');
    await syncOnce(ola);
    expect(set.status).toBe('applied');
    expect(ola.store.userSettings).toMatchObject({ id: me.userId, alertScope: 'all' });
    await syncOnce(mette);
    expect(mette.store.userSettings, "Mette's device gets nothing of Ola's setting").toBeNull();

    // Mette cannot set Ola's: the payload has no user (the server takes it from the token).
    const push = await app.inject({
      method: 'POST',
      url: '/v1/sync/push',
      headers: auth(mette.enrolled.token),
      payload: { mutations: [{ id: mette.store.newId(), seq: 1, name: 'user.setAlertScope', version: 1, hlc: mette.store.hlc.now(), payload: { alertScope: 'mine', userId: me.userId } }] },
    });
    expect(push.json()).toMatchObject({ results: [{ status: 'rejected', reason: 'invalid_payload' }] });
    expect((push.json() as { results: { message: string }[] }).results[0]?.message).toContain('userId');
    const rows = await db.query('SELECT id, alert_scope FROM user_settings WHERE tenant_id = $1', [tenantId]);
    expect(rows.rows).toEqual([{ id: me.userId, alert_scope: 'all' }]);

    // A change from Ola's phone stamped before the laptop's (an older HLC) does not undo it: last writer wins.
    const phone = enrolled.json() as { deviceId: string; token: string };
    const stale = `${String(clock.now() - 60_000).padStart(13, '0')}-0000-${phone.deviceId}`;
    const late = await app.inject({
      method: 'POST',
      url: '/v1/sync/push',
      headers: auth(phone.token),
      payload: { mutations: [{ id: ola.store.newId(), seq: 1, name: 'user.setAlertScope', version: 1, hlc: stale, payload: { alertScope: null } }] },
    });
    expect(late.json()).toMatchObject({ results: [{ status: 'applied', message: 'superseded by a later change' }] });
    await syncOnce(ola);
    expect(ola.store.userSettings?.alertScope).toBe('all');
  });
}

describe('user settings (PGlite)', () => {
  const clock = new ManualClock(Date.UTC(2026, 3, 1, 8, 0));
  suite(pgliteApp({ clock }), clock);
});

describe.skipIf(!postgresInstalled())(`user settings (PostgreSQL)${postgresInstalled() ? '' : ` -- skipped: ${PG_MISSING}`}`, () => {
  const clock = new ManualClock(Date.UTC(2026, 3, 1, 8, 0));
  suite(postgresApp({ clock }), clock);
});

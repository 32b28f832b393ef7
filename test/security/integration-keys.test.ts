/**
 * Integration keys are an admin's, per tenant: a duty officer may not make or
 * list them; another tenant's admin neither sees nor revokes them; a key sends
 * outages into its own tenant only; bad requests name the field.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { tenantWithService as withService } from '../helpers/admin-records.js';
import { auth, enrol, makeApp, sharedPglite } from '../server/helpers.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await makeApp(await sharedPglite());
});
afterAll(() => app.close());

async function tenantWithService(): Promise<{ admin: string; tenantId: string }> {
  const { adminToken, tenantId } = await withService(app, await sharedPglite());
  return { admin: adminToken, tenantId };
}

it("keys are the tenant admin's: others get 403, another tenant sees none and cannot revoke them; a key writes into its own tenant", async () => {
  const a = await tenantWithService();
  const b = await tenantWithService();
  const officer = await enrol(app, a.admin, 'duty_officer');
  const create = (token: string, payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/v1/admin/integration-keys', headers: auth(token), payload });
  expect((await create(officer.token, { name: 'x', contractId: 'k1', serviceId: 'web' })).statusCode).toBe(403);
  expect((await app.inject({ method: 'GET', url: '/v1/admin/integration-keys', headers: auth(officer.token) })).statusCode).toBe(403);
  const noUrl = await create(a.admin, { name: 'x', contractId: 'k1', serviceId: 'web', checkEveryMinutes: 5 });
  expect(noUrl.statusCode).toBe(400);
  expect(noUrl.json().message).toBe('checkUrl: checkEveryMinutes needs a checkUrl');
  expect((await create(a.admin, { name: 'x', contractId: 'nope', serviceId: 'web' })).json().message).toMatch(/^contractId: no contract nope/);

  const made = await create(a.admin, { name: 'Prometheus', contractId: 'k1', serviceId: 'web' });
  expect(made.statusCode).toBe(201);
  const { id, key } = made.json() as { id: string; key: string };
  expect((await app.inject({ method: 'GET', url: '/v1/admin/integration-keys', headers: auth(b.admin) })).json()).toEqual({ items: [] });
  expect((await app.inject({ method: 'POST', url: `/v1/admin/integration-keys/${id}/revoke`, headers: auth(b.admin) })).statusCode).toBe(404);

  const ev = await app.inject({
    method: 'POST',
    url: '/v1/integrations/events',
    payload: { routing_key: key, event_action: 'trigger', dedup_key: 'd1', payload: { summary: 'Down', source: 'mon', severity: 'critical' } },
  });
  expect(ev.statusCode, ev.body).toBe(202);
  const db = await sharedPglite();
  const count = async (tenantId: string) => Number((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM records WHERE tenant_id = $1 AND kind = 'outage'`, [tenantId])).rows[0]?.n);
  expect(await count(a.tenantId)).toBe(1);
  expect(await count(b.tenantId)).toBe(0);
  // The key's listing never shows the key itself.
  const listed = (await app.inject({ method: 'GET', url: '/v1/admin/integration-keys', headers: auth(a.admin) })).body;
  expect(listed).toContain('Prometheus');
  expect(listed).not.toContain(key);
});

it('failed integration keys count against the address like bad device tokens: 429 with retry-after after the allowance; a good key costs nothing', async () => {
  const limited = await makeApp(await sharedPglite(), { rateLimit: { max: 1000, timeWindowMs: 60_000 }, authFailRateLimit: { max: 3, timeWindowMs: 60_000 } });
  try {
    const a = await tenantWithService();
    const { key } = (await limited.inject({ method: 'POST', url: '/v1/admin/integration-keys', headers: auth(a.admin), payload: { name: 'P', contractId: 'k1', serviceId: 'web' } })).json() as {
      key: string;
    };
    const trigger = (routing_key: string) =>
      limited.inject({
        method: 'POST',
        url: '/v1/integrations/events',
        payload: { routing_key, event_action: 'trigger', dedup_key: 'd', payload: { summary: 'Down', source: 'm', severity: 'error' } },
      });
    // Good keys are given back: any number of them.
    for (let i = 0; i < 5; i++) expect((await trigger(key)).statusCode).toBe(202);
    for (let i = 0; i < 3; i++) expect((await trigger('vakt_int_guess')).statusCode).toBe(401);
    const refused = await trigger('vakt_int_guess');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json().message).toMatch(/failed authentication from this address: at most 3 per/);
    const am = await limited.inject({ method: 'POST', url: '/v1/integrations/alertmanager', headers: { authorization: 'Bearer vakt_int_guess' }, payload: {} });
    expect(am.statusCode).toBe(429);
  } finally {
    await limited.close();
  }
});

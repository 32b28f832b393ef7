/**
 * Records pushed as a tenant admin's device, for the server tests of monitoring (integration keys,
 * URL checks, the integration endpoints): `record.put` mutations in the device's name, and a new
 * tenant whose contract offers a service that outages can be recorded against.
 */
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { encodeHlc } from '../../core/ids/hlc.js';
import { createUuid7 } from '../../core/ids/uuid7.js';
import type { Db } from '../../server/db.js';
import { POLICY_SET } from '../db/helpers.js';
import { auth, newTenant } from '../server/helpers.js';

/** `put(seq, kind, id, data)`: the `record.put` the device `deviceId` sends at `now` (its seq also the HLC's counter). */
export function recordPuts(deviceId: string, now: number) {
  const newId = createUuid7({ now: () => now }, (n) => crypto.getRandomValues(new Uint8Array(n)));
  return (seq: number, kind: string, id: string, data: unknown) => ({
    id: newId(),
    seq,
    name: 'record.put',
    version: 1,
    hlc: encodeHlc({ wall: now, counter: seq, node: deviceId }),
    payload: { kind, id, deleted: false, data },
  });
}

/**
 * A new tenant whose admin pushed customer `c1` and its contract `k1` (the test policy set, agreement
 * number `CX-` and the tenant id's end), which offers the service `web` (target 99.5 %).
 */
export async function tenantWithService(app: FastifyInstance, db: Db): Promise<{ adminToken: string; tenantId: string }> {
  const { adminToken, tenantId } = await newTenant(db);
  const me = (await app.inject({ method: 'GET', url: '/v1/me', headers: auth(adminToken) })).json() as { deviceId: string };
  const now = Date.now();
  const put = recordPuts(me.deviceId, now);
  const r = await app.inject({
    method: 'POST',
    url: '/v1/sync/push',
    headers: auth(adminToken),
    payload: {
      mutations: [
        put(1, 'customer', 'c1', { name: 'Klant', createdAt: now }),
        put(2, 'contract', 'k1', {
          customerId: 'c1',
          agreementNumber: `CX-${tenantId.slice(-6)}`,
          policySet: POLICY_SET,
          defaultPolicy: 'normal',
          services: [{ id: 'web', name: 'Website', target: 99.5 }],
          createdAt: now,
        }),
      ],
    },
  });
  expect(r.json()).toMatchObject({ results: [{ status: 'applied' }, { status: 'applied' }] });
  return { adminToken, tenantId };
}

/**
 * The server's own URL check (an integration key with a check URL): a real
 * HTTP target on loopback that the test turns up and down, the server's check
 * run with a manual clock. The first failed check opens the outage (a ticket
 * too), checks come only every N minutes, the first good check ends it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { MonitorWriter } from '../../server/integrations/monitor.js';
import { UrlChecker } from '../../server/integrations/url-checks.js';
import { deriveSla } from '../../server/sla.js';
import { tenantWithService } from '../helpers/admin-records.js';
import { auth, makeApp, sharedPglite } from './helpers.js';

let status = 200;
let hits = 0;
const target = createServer((_req, res) => {
  hits++;
  res.writeHead(status).end('ok');
});
beforeAll(() => new Promise<void>((r) => target.listen(0, '127.0.0.1', r)));
afterAll(() => new Promise<void>((r) => target.close(() => r())));

it('down from the first failed check to the first good one, checked every N minutes', async () => {
  const db = await sharedPglite();
  const app = await makeApp(db);
  try {
    const { adminToken } = await tenantWithService(app, db);
    const now = Date.now();
    const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/health`;
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/admin/integration-keys',
      headers: auth(adminToken),
      payload: { name: 'x', contractId: 'k1', serviceId: 'web', checkUrl: 'ftp://example.org' },
    });
    expect(bad).toMatchObject({ statusCode: 400 });
    expect(bad.json().message).toMatch(/^checkUrl: /);
    const k = await app.inject({
      method: 'POST',
      url: '/v1/admin/integration-keys',
      headers: auth(adminToken),
      payload: { name: 'Own check', contractId: 'k1', serviceId: 'web', checkUrl: url, checkEveryMinutes: 15 },
    });
    expect(k.statusCode, k.body).toBe(201);
    const keyId = (k.json() as { id: string }).id;

    const clock = new ManualClock(now);
    const checker = new UrlChecker({ db, clock, writer: new MonitorWriter(db, clock, deriveSla), timeoutMs: 5000 });
    const outages = async () =>
      (
        await db.query<{ data: { start: number; end: number | null; source: string; ticketId: string } }>(
          `SELECT r.data FROM records r JOIN integration_keys k ON k.tenant_id = r.tenant_id WHERE k.id = $1 AND r.kind = 'outage' ORDER BY r.data->>'start'`,
          [keyId],
        )
      ).rows.map((r) => r.data);
    const mine = async () => (await checker.runDue()).filter((r) => r.keyId === keyId);

    expect(await mine()).toMatchObject([{ up: true }]);
    expect(await outages()).toEqual([]);
    status = 503;
    clock.advance(15 * 60_000);
    const downAt = clock.now();
    expect(await mine()).toMatchObject([{ up: false, detail: `${url} answered 503` }]);
    expect(await outages()).toMatchObject([{ start: downAt, end: null, source: 'check' }]);
    // Not due yet: no request.
    const before = hits;
    clock.advance(5 * 60_000);
    expect(await mine()).toEqual([]);
    expect(hits).toBe(before);
    clock.advance(10 * 60_000);
    expect(await mine()).toMatchObject([{ up: false }]);
    expect(await outages()).toHaveLength(1);
    status = 200;
    clock.advance(15 * 60_000);
    expect(await mine()).toMatchObject([{ up: true }]);
    const [o] = await outages();
    expect(o).toMatchObject({ start: downAt, end: downAt + 30 * 60_000 });
    const tickets = await db.query<{ title: string }>('SELECT title FROM tickets WHERE id = $1', [o?.ticketId]);
    expect(tickets.rows[0]?.title).toBe(`Website: ${url} answered 503`);
    // Unreachable: down, said so.
    await new Promise<void>((r) => target.close(() => r()));
    clock.advance(15 * 60_000);
    expect((await mine())[0]).toMatchObject({ up: false, detail: expect.stringContaining('did not answer') });
    expect(await outages()).toHaveLength(2);
    await new Promise<void>((r) => target.listen((target.address() as AddressInfo | null)?.port ?? 0, '127.0.0.1', r));
  } finally {
    await app.close();
  }
});

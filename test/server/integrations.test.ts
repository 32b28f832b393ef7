/**
 * Monitoring endpoints of a real `vakt server` process, over loopback with a
 * real HTTP client (fetch), and the `vakt server admin integration-key` CLI:
 * Alertmanager JSON opens a ticket and records an outage, its resolve closes
 * it; a repeat updates and never duplicates; an unknown or revoked key gets 401
 * and a malformed body 400 naming the field, with nothing stored; the Events
 * API v2 (trigger, acknowledge, resolve by dedup_key).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { recordPuts } from '../helpers/admin-records.js';
import { V } from './helpers.js';
import { launch, root, runToEnd, stop, useBuiltCli } from '../sync/cli-helpers.js';
import { tempDir } from '../sync/helpers.js';

useBuiltCli();

type Change = {
  kind: string;
  ticket?: { id: string; caseNumber: string; title: string; contractId: string | null; priority: string | null; policy: string | null; createdBy?: string };
  record?: { kind: string; id: string; data: Record<string, unknown> };
  event?: { ticketId: string; type: string; data: { text?: string } };
};

it('Alertmanager and Events API v2 open tickets and record outages on a real server', async () => {
  const dataDir = tempDir('vakt-int-');
  const { child, match } = await launch(['server', '--data-dir', dataDir, '--port', '0'], /listening on (http:\/\/127\.0\.0\.1:\d+)[\s\S]*ADMIN TOKEN: (\S+)\n/);
  try {
    const url = match[1] as string;
    const admin = match[2] as string;
    const call = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
      const r = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
      return { status: r.status, body: (await r.json()) as Record<string, unknown> };
    };
    const asAdmin = { ...V, authorization: `Bearer ${admin}` };
    const me = (await (await fetch(`${url}/v1/me`, { headers: asAdmin })).json()) as { deviceId: string };
    // The Connexys contract (the shipped template) with its service, pushed as the admin's device.
    const tpl = JSON.parse(readFileSync(join(root, 'contracts', 'templates', 'call-types-nl.json'), 'utf8')) as Record<string, unknown>;
    const customerId = 'cust-connexys';
    const contractId = 'contract-connexys';
    const now = Date.now();
    const put = recordPuts(me.deviceId, now);
    const pushed = await call(
      '/v1/sync/push',
      {
        mutations: [
          put(1, 'customer', customerId, { name: 'Klant BV', createdAt: now }),
          put(2, 'contract', contractId, {
            customerId,
            agreementNumber: 'CX-1',
            name: 'Connexys SLA',
            policySet: { calendars: tpl.calendars, policies: tpl.policies },
            defaultPolicy: 'question',
            criticalPolicy: tpl.criticalPolicy,
            services: tpl.services,
            createdAt: now,
          }),
        ],
      },
      asAdmin,
    );
    expect((pushed.body.results as { status: string }[]).map((r) => r.status)).toEqual(['applied', 'applied']);

    const env = { VAKT_ADMIN_TOKEN: admin, VAKT_SERVER_URL: url };
    const help = await runToEnd(['server', 'admin', '--help'], env);
    expect(help.out).toContain('integration-key: ');
    expect(help.out).toContain('create --contract ID --service ID');
    expect((await runToEnd(['server', 'admin', 'frobnicate', 'x'], env)).code).toBe(2);
    const noToken = await runToEnd(['server', 'admin', 'integration-key', 'list'], { VAKT_SERVER_URL: url, VAKT_ADMIN_TOKEN: '' });
    expect(noToken).toMatchObject({ code: 1, err: expect.stringContaining('an admin token is needed') });
    const refused = await runToEnd(['server', 'admin', 'integration-key', 'create', '--contract', contractId, '--service', 'nope'], env);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('serviceId: contract CX-1 has no service "nope" (services: connexys)');
    const created = await runToEnd(['server', 'admin', 'integration-key', 'create', '--contract', contractId, '--service', 'connexys', '--name', 'Prometheus'], env);
    expect(created.code, created.err).toBe(0);
    const key = /INTEGRATION KEY: (\S+)/.exec(created.out)?.[1] as string;
    expect(key).toMatch(/^vakt_int_/);
    const list = await runToEnd(['server', 'admin', 'integration-key', 'list', '--json'], env);
    const listed = JSON.parse(list.out) as { id: string; name: string; revokedAt: number | null }[];
    expect(listed).toMatchObject([{ name: 'Prometheus', revokedAt: null }]);
    expect(list.out).not.toContain(key);

    let cursor = '0';
    const pull = async (): Promise<Change[]> => {
      const r = await call('/v1/sync/pull', { cursor }, asAdmin);
      cursor = r.body.cursor as string;
      return r.body.changes as Change[];
    };
    await pull();

    const startsAt = new Date(now - 20 * 60_000).toISOString();
    const alert = (status: 'firing' | 'resolved', endsAt = '0001-01-01T00:00:00Z', summary = 'Connexys is down') => ({
      version: '4',
      status,
      receiver: 'vakt',
      groupKey: '{}:{alertname="ConnexysDown"}',
      truncatedAlerts: 0,
      groupLabels: { alertname: 'ConnexysDown' },
      commonLabels: {},
      commonAnnotations: {},
      externalURL: 'http://am:9093',
      alerts: [
        {
          status,
          labels: { alertname: 'ConnexysDown', instance: 'app.connexys.nl', severity: 'critical' },
          annotations: { summary },
          startsAt,
          endsAt,
          generatorURL: 'http://prom:9090/graph',
          fingerprint: '1a30ba71cca2921f',
        },
      ],
    });
    const bearer = { authorization: `Bearer ${key}` };

    // Unknown key: 401, nothing stored. Malformed: 400 naming the field, nothing stored.
    expect(await call('/v1/integrations/alertmanager', alert('firing'), { authorization: 'Bearer vakt_int_nope' })).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
    expect(await call('/v1/integrations/alertmanager', alert('firing'))).toMatchObject({ status: 401 });
    const bad = alert('firing');
    (bad.alerts[0] as Record<string, unknown>).startsAt = 'yesterday';
    expect(await call('/v1/integrations/alertmanager', bad, bearer)).toMatchObject({ status: 400, body: { error: 'invalid_request', message: expect.stringContaining('alerts.0.startsAt') } });
    expect(await call('/v1/integrations/alertmanager', { ...alert('firing'), version: '3' }, bearer)).toMatchObject({ status: 400, body: { message: expect.stringContaining('version') } });
    expect(await pull()).toEqual([]);

    // Firing: a ticket for the service (critical policy) and an open outage from startsAt.
    const fired = await call('/v1/integrations/alertmanager', alert('firing'), bearer);
    expect(fired).toMatchObject({ status: 200, body: { outcomes: [{ result: 'opened' }] } });
    let changes = await pull();
    const tickets = changes.filter((c) => c.kind === 'ticket');
    expect(tickets).toHaveLength(1);
    expect(tickets[0]?.ticket).toMatchObject({ title: 'Connexys applicatie (complete dienst): Connexys is down', contractId, policy: 'incident-1', priority: 'critical' });
    const outage = changes.find((c) => c.record?.kind === 'outage')?.record;
    expect(outage?.data).toMatchObject({ contractId, serviceId: 'connexys', ticketId: tickets[0]?.ticket?.id, start: Date.parse(startsAt), end: null, source: 'alertmanager' });

    // Alertmanager repeats the firing notification: nothing new; a changed summary updates the same outage.
    expect((await call('/v1/integrations/alertmanager', alert('firing'), bearer)).body).toMatchObject({ outcomes: [{ result: 'unchanged', outageId: outage?.id }] });
    expect(await pull()).toEqual([]);
    expect((await call('/v1/integrations/alertmanager', alert('firing', undefined, 'Connexys answers 502'), bearer)).body).toMatchObject({ outcomes: [{ result: 'updated' }] });
    changes = await pull();
    expect(changes.map((c) => c.kind)).toEqual(['record']);
    expect(changes[0]?.record).toMatchObject({ id: outage?.id, data: { summary: 'Connexys answers 502', end: null } });

    // Resolved: the outage ends at endsAt, the ticket gets a note; a repeated resolve changes nothing.
    const endsAt = new Date(now - 5 * 60_000).toISOString();
    expect((await call('/v1/integrations/alertmanager', alert('resolved', endsAt), bearer)).body).toMatchObject({ outcomes: [{ result: 'resolved', outageId: outage?.id }] });
    changes = await pull();
    expect(changes.find((c) => c.kind === 'record')?.record).toMatchObject({ id: outage?.id, data: { start: Date.parse(startsAt), end: Date.parse(endsAt) } });
    expect(changes.find((c) => c.kind === 'event')?.event).toMatchObject({ ticketId: tickets[0]?.ticket?.id, type: 'note', data: { text: expect.stringContaining('(15 min)') } });
    expect((await call('/v1/integrations/alertmanager', alert('resolved', endsAt), bearer)).body).toMatchObject({ outcomes: [{ result: 'unchanged' }] });
    expect(await pull()).toEqual([]);

    // A group of two alerts in one notification: one ticket and outage each; then one resolves while the other still fires.
    const group = (second: 'firing' | 'resolved') => ({
      ...alert('firing'),
      groupKey: '{}:{job="connexys"}',
      alerts: [
        { status: 'firing', labels: { alertname: 'HighLatency', instance: 'a' }, annotations: { summary: 'Slow on a' }, startsAt, endsAt: '0001-01-01T00:00:00Z', fingerprint: 'aaaa000000000001' },
        {
          status: second,
          labels: { alertname: 'HighLatency', instance: 'b' },
          annotations: { summary: 'Slow on b' },
          startsAt,
          endsAt: second === 'resolved' ? endsAt : '0001-01-01T00:00:00Z',
          fingerprint: 'bbbb000000000002',
        },
      ],
    });
    expect((await call('/v1/integrations/alertmanager', group('firing'), bearer)).body).toMatchObject({ outcomes: [{ result: 'opened' }, { result: 'opened' }] });
    changes = await pull();
    expect(changes.filter((c) => c.kind === 'ticket').map((c) => c.ticket?.title)).toEqual(['Connexys applicatie (complete dienst): Slow on a', 'Connexys applicatie (complete dienst): Slow on b']);
    expect((await call('/v1/integrations/alertmanager', group('resolved'), bearer)).body).toMatchObject({ outcomes: [{ result: 'unchanged' }, { result: 'resolved' }] });
    changes = await pull();
    expect(changes.filter((c) => c.record?.kind === 'outage').map((c) => c.record?.data.end)).toEqual([Date.parse(endsAt)]);

    // Events API v2: missing field 400; trigger, repeat, acknowledge, resolve by dedup_key.
    expect(await call('/v1/integrations/events', { routing_key: key, event_action: 'trigger', payload: { summary: 'x', source: 'mon' } })).toMatchObject({
      status: 400,
      body: { message: expect.stringContaining('payload.severity') },
    });
    expect(await call('/v1/integrations/events', { routing_key: 'wrong', event_action: 'trigger' })).toMatchObject({ status: 401 });
    expect(await call('/v1/integrations/events', { routing_key: key, event_action: 'resolve' })).toMatchObject({ status: 400, body: { message: expect.stringContaining('dedup_key') } });
    expect(await pull()).toEqual([]);
    const trigger = {
      routing_key: key,
      event_action: 'trigger',
      dedup_key: 'cx-http',
      payload: { summary: 'HTTP check failed', source: 'siteuptime', severity: 'critical', timestamp: new Date(now - 60_000).toISOString() },
    };
    expect(await call('/v1/integrations/events', trigger)).toMatchObject({ status: 202, body: { status: 'success', dedup_key: 'cx-http', outcome: { result: 'opened' } } });
    expect((await call('/v1/integrations/events', trigger)).body).toMatchObject({ outcome: { result: 'unchanged' } });
    expect((await call('/v1/integrations/events', { routing_key: key, event_action: 'acknowledge', dedup_key: 'cx-http' })).body).toMatchObject({ outcome: { result: 'acknowledged' } });
    expect((await call('/v1/integrations/events', { routing_key: key, event_action: 'resolve', dedup_key: 'cx-http' })).body).toMatchObject({ outcome: { result: 'resolved' } });
    changes = await pull();
    expect(changes.filter((c) => c.kind === 'ticket')).toHaveLength(1);
    const outages = changes.filter((c) => c.record?.kind === 'outage').map((c) => c.record?.data);
    expect(outages.at(-1)).toMatchObject({ source: 'events', start: now - 60_000, end: expect.any(Number) });

    // Revoked: 401 from then on.
    const revoked = await runToEnd(['server', 'admin', 'integration-key', 'revoke', listed[0]?.id as string], env);
    expect(revoked.code, revoked.err).toBe(0);
    expect(await call('/v1/integrations/alertmanager', alert('firing'), bearer)).toMatchObject({ status: 401 });
    expect(await call('/v1/integrations/events', trigger)).toMatchObject({ status: 401 });
  } finally {
    await stop(child);
  }
}, 180_000);

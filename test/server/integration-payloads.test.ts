/** Parsing the two monitoring formats (server/integrations/payloads.ts): what each field becomes, and the field a bad body is refused for. */
import { describe, expect, it } from 'vitest';
import { BodyError, parseAlertmanager, parseEventsV2 } from '../../server/integrations/payloads.js';

const alert = (over: Record<string, unknown> = {}) => ({
  status: 'firing',
  labels: { alertname: 'Down', instance: 'app', severity: 'critical' },
  annotations: {},
  startsAt: '2026-10-25T01:30:00+02:00',
  endsAt: '0001-01-01T00:00:00Z',
  fingerprint: 'f1',
  ...over,
});
const body = (...alerts: unknown[]) => ({ version: '4', status: 'firing', groupKey: 'g', alerts });
const refused = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof BodyError) return e.message;
    throw e;
  }
  throw new Error('not refused');
};

describe('Alertmanager webhook v4', () => {
  it('each alert of the group is an event: identity fingerprint@start, firing starts, resolved ends', () => {
    const [f, r] = parseAlertmanager(body(alert(), alert({ status: 'resolved', fingerprint: 'f2', endsAt: '2026-10-25T02:30:00+01:00', annotations: { summary: 'App is down' } })));
    expect(f).toMatchObject({ dedupKey: `f1@${Date.parse('2026-10-24T23:30:00Z')}`, action: 'trigger', summary: 'Down on app', severity: 'critical', at: Date.parse('2026-10-24T23:30:00Z') });
    expect(r).toMatchObject({ action: 'resolve', summary: 'App is down', at: Date.parse('2026-10-25T01:30:00Z'), start: Date.parse('2026-10-24T23:30:00Z') });
  });
  it('names the field of a bad body', () => {
    expect(refused(() => parseAlertmanager({ ...body(alert()), version: '3' }))).toMatch(/^version: /);
    expect(refused(() => parseAlertmanager(body()))).toMatch(/^alerts: /);
    expect(refused(() => parseAlertmanager(body(...Array.from({ length: 201 }, (_, i) => alert({ fingerprint: `f${i}` })))))).toBe(
      "alerts: at most 200 alerts per notification (set max_alerts in Alertmanager's webhook_config)",
    );
    expect(refused(() => parseAlertmanager(body(alert({ startsAt: '0001-01-01T00:00:00Z' }))))).toMatch(/^alerts\.0\.startsAt: must be between 2000-01-01/);
    expect(refused(() => parseAlertmanager(body(alert(), alert({ endsAt: 'soon' }))))).toMatch(/^alerts\.1\.endsAt: /);
    expect(refused(() => parseAlertmanager(body(alert({ fingerprint: '' }))))).toMatch(/^alerts\.0\.fingerprint: /);
    expect(refused(() => parseAlertmanager(body(alert({ status: 'pending' }))))).toMatch(/^alerts\.0\.status: /);
  });
});

describe('Events API v2', () => {
  const trigger = { routing_key: 'k', event_action: 'trigger', payload: { summary: 'Down', source: 'mon', severity: 'error', timestamp: '2026-10-01T10:00:00.000+0200' } };
  it('a trigger without a dedup_key gets one; its timestamp is its start', () => {
    expect(parseEventsV2(trigger, () => 'made')).toMatchObject({ dedupKey: 'made', action: 'trigger', summary: 'Down', severity: 'error', at: Date.parse('2026-10-01T08:00:00Z') });
    expect(parseEventsV2({ routing_key: 'k', event_action: 'resolve', dedup_key: 'd' }, () => 'x')).toMatchObject({ dedupKey: 'd', action: 'resolve', at: null });
  });
  it('names the field of a bad body', () => {
    expect(refused(() => parseEventsV2({ ...trigger, event_action: 'snooze' }, () => 'x'))).toMatch(/^event_action: /);
    expect(refused(() => parseEventsV2({ ...trigger, payload: { summary: 'x', source: 'y', severity: 'fatal' } }, () => 'x'))).toMatch(/^payload\.severity: /);
    expect(refused(() => parseEventsV2({ routing_key: 'k', event_action: 'trigger' }, () => 'x'))).toMatch(/^payload: a trigger needs/);
    expect(refused(() => parseEventsV2({ routing_key: 'k', event_action: 'acknowledge' }, () => 'x'))).toMatch(/^dedup_key: an acknowledge needs/);
  });
});

/**
 * The two inbound monitoring formats, parsed into one `MonitorEvent` each
 * (docs/availability.md):
 *
 * - Prometheus Alertmanager's webhook (`version` "4"): a group of alerts,
 *   each `firing` or `resolved` with its `fingerprint`, `startsAt` and
 *   `endsAt` (`0001-01-01T00:00:00Z` while firing). The alert's identity is
 *   fingerprint + startsAt: Alertmanager re-sends a firing alert with both
 *   unchanged, and the same alert firing again later has a new startsAt.
 * - PagerDuty Events API v2: `routing_key`, `event_action`
 *   (trigger/acknowledge/resolve), `dedup_key` (required but for a trigger),
 *   `payload.summary`/`source`/`severity` (required for a trigger) and
 *   `payload.timestamp`.
 *
 * A malformed body is a `BodyError` naming the field (`alerts.0.startsAt`).
 */
import { z } from 'zod';
import { INSTANT_RANGE_TEXT, instantInRange } from '../../core/time-range.js';

export interface MonitorEvent {
  /** Identifies the alert within the key (a repeat carries the same). */
  dedupKey: string;
  action: 'trigger' | 'acknowledge' | 'resolve';
  summary: string;
  severity: string | null;
  /** When it started (trigger) or ended (resolve); null: when the server received it. */
  at: number | null;
  /** A resolve's own start (Alertmanager sends it), for an outage whose firing never arrived. */
  start?: number;
  /** Labels, source, links: a few lines for the ticket's description. */
  details: string;
}

export class BodyError extends Error {}

function firstIssue(e: z.ZodError): string {
  const i = e.issues[0];
  return `${i?.path.join('.') || 'body'}: ${i?.message ?? 'invalid'}`;
}

/** Alerts per Alertmanager notification: what one request may write is one bounded push. */
export const MAX_ALERTS = 200;
/** Alertmanager's "no end yet" (Go's zero time). */
const ZERO_TIME = /^0001-01-01T00:00:00(\.0+)?Z$/;
/** An RFC 3339 time in the supported range, as epoch ms. */
const rfc3339 = z
  .string()
  .max(64)
  .superRefine((s, ctx) => {
    const ms = Date.parse(s);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(s) || Number.isNaN(ms)) ctx.addIssue({ code: 'custom', message: `must be an RFC 3339 time, got ${JSON.stringify(s)}` });
    else if (!instantInRange(Math.floor(ms))) ctx.addIssue({ code: 'custom', message: `must be ${INSTANT_RANGE_TEXT}, got ${JSON.stringify(s)}` });
  });
const endsAt = z.union([z.string().regex(ZERO_TIME), rfc3339], { error: 'must be an RFC 3339 time (or 0001-01-01T00:00:00Z while firing)' });
const labels = z.record(z.string(), z.string()).default({});

const alertmanagerBody = z
  .object({
    version: z.literal('4', { message: 'must be "4" (Alertmanager webhook payload version 4)' }),
    status: z.enum(['firing', 'resolved']),
    groupKey: z.string().max(2000).optional(),
    receiver: z.string().optional(),
    commonLabels: labels.optional(),
    commonAnnotations: labels.optional(),
    externalURL: z.string().optional(),
    alerts: z
      .array(
        z
          .object({
            status: z.enum(['firing', 'resolved']),
            labels,
            annotations: labels,
            startsAt: rfc3339,
            endsAt: endsAt.optional(),
            generatorURL: z.string().max(2000).optional(),
            fingerprint: z.string().min(1).max(255),
          })
          .passthrough(),
      )
      .min(1)
      .max(MAX_ALERTS, `at most ${MAX_ALERTS} alerts per notification (set max_alerts in Alertmanager's webhook_config)`),
  })
  .passthrough();

const ms = (s: string): number => Math.floor(Date.parse(s));

export function parseAlertmanager(body: unknown): MonitorEvent[] {
  const r = alertmanagerBody.safeParse(body);
  if (!r.success) throw new BodyError(firstIssue(r.error));
  return r.data.alerts.map((a) => {
    const resolved = a.status === 'resolved';
    const end = a.endsAt && !ZERO_TIME.test(a.endsAt) ? ms(a.endsAt) : null;
    const name = a.labels.alertname ?? 'alert';
    const summary = a.annotations.summary ?? a.annotations.description ?? [name, a.labels.instance].filter(Boolean).join(' on ');
    return {
      dedupKey: `${a.fingerprint}@${ms(a.startsAt)}`,
      action: resolved ? 'resolve' : 'trigger',
      summary,
      severity: a.labels.severity ?? null,
      at: resolved ? end : ms(a.startsAt),
      // A resolve's start is the firing's: needed when the firing was never received.
      ...(resolved ? { start: ms(a.startsAt) } : {}),
      details: [`Alertmanager: ${name}`, ...Object.entries(a.labels).map(([k, v]) => `${k}=${v}`), a.generatorURL ? `source: ${a.generatorURL}` : ''].filter(Boolean).join('\n'),
    };
  });
}

const eventsBody = z
  .object({
    routing_key: z.string().min(1).max(200),
    event_action: z.enum(['trigger', 'acknowledge', 'resolve']),
    dedup_key: z.string().min(1).max(255).optional(),
    client: z.string().max(500).optional(),
    client_url: z.string().max(2000).optional(),
    payload: z
      .object({
        summary: z.string().min(1).max(1024),
        source: z.string().min(1).max(500),
        severity: z.enum(['critical', 'error', 'warning', 'info']),
        timestamp: rfc3339.optional(),
        component: z.string().max(500).optional(),
        group: z.string().max(500).optional(),
        class: z.string().max(500).optional(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough()
  .superRefine((b, ctx) => {
    if (b.event_action === 'trigger' && !b.payload) ctx.addIssue({ code: 'custom', path: ['payload'], message: 'a trigger needs payload {summary, source, severity}' });
    if (b.event_action !== 'trigger' && !b.dedup_key) ctx.addIssue({ code: 'custom', path: ['dedup_key'], message: `an ${b.event_action} needs the dedup_key of its trigger` });
  });

/** The routing key of an Events API v2 body (before the rest is checked: an unknown key is a 401 first). */
export function routingKeyOf(body: unknown): string | null {
  const k = (body as { routing_key?: unknown } | null)?.routing_key;
  return typeof k === 'string' && k ? k : null;
}

/** One Events API v2 event; `newKey` makes the dedup_key of a trigger that has none. */
export function parseEventsV2(body: unknown, newKey: () => string): MonitorEvent {
  const r = eventsBody.safeParse(body);
  if (!r.success) throw new BodyError(firstIssue(r.error));
  const b = r.data;
  const p = b.payload;
  return {
    dedupKey: b.dedup_key ?? newKey(),
    action: b.event_action,
    summary: p?.summary ?? `${b.event_action} ${b.dedup_key ?? ''}`.trim(),
    severity: p?.severity ?? null,
    at: p?.timestamp ? ms(p.timestamp) : null,
    details: p
      ? [`Events API v2: ${p.source}`, p.component ? `component: ${p.component}` : '', p.group ? `group: ${p.group}` : '', b.client ? `client: ${b.client}` : '', b.client_url ?? '']
          .filter(Boolean)
          .join('\n')
      : '',
  };
}

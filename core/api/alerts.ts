/** Contract methods for the alert scheduler (see docs/alerts.md). */
import { SLA_METRICS } from '../domain/index.js';
import { z } from 'zod';
import type { KeyedIssue } from '../domain/issue-keys.js';

export const alertKinds = ['callback_due', 'callback_overdue', 'response_warning', 'resolution_warning', 'breach', 'sla_unavailable', 'visit_due', 'report_due'] as const;

export const alertSchema = z.object({
  key: z.string(),
  ticketId: z.string(),
  caseNumber: z.string(),
  target: z.enum([...SLA_METRICS, 'report']),
  kind: z.enum(alertKinds),
  dueAt: z.number().int(),
  critical: z.boolean(),
  text: z.string(),
  state: z.enum(['active', 'acked', 'resolved']),
  raisedAt: z.number().int(),
  notifiedAt: z.number().int().nullable(),
  snoozedUntil: z.number().int().nullable(),
  held: z.boolean(),
  /** The ticket's customer (null when the ticket is gone), for "acknowledge all of this customer". */
  customerId: z.string().nullable().optional(),
  customerName: z.string().nullable().optional(),
  /** `sla_unavailable`: why the SLA cannot be computed now, as keyed issues (the renderer's words for `text`). */
  reason: z.custom<KeyedIssue[]>().optional(),
});
export type AlertView = z.output<typeof alertSchema>;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (00:00-23:59)');

export const alertSettingsSchema = z
  .object({
    warnPercent: z.array(z.number().gt(0).lt(100)).max(5),
    warnMinutesBefore: z
      .array(
        z
          .number()
          .int()
          .min(1)
          .max(7 * 24 * 60),
      )
      .max(5),
    callbackLeadMinutes: z.number().int().min(0).max(240),
    renotifyMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
    quietHours: z
      .object({ start: hhmm, end: hhmm, timezone: z.string().min(1) })
      .strict()
      .nullable(),
    summaryThreshold: z.number().int().min(1).max(1000),
    /** A freedesktop sound name each pop-up plays ("alarm-clock-elapsed", "bell", ...), or null for none. */
    sound: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be a sound name such as "alarm-clock-elapsed" (a-z, 0-9, . _ -)')
      .nullable(),
    /** Pop-ups for alerts of tickets an on-call rota routes to someone else (default false: Alerts panel only). */
    popupsForAll: z.boolean().optional(),
    /** The user's language (the renderer stores it at start and on each change): OS pop-ups are written in it. */
    language: z.enum(['en', 'da', 'nb', 'nl']).optional(),
    /** Whose tickets alert this user: `mine` (assigned to them, or on contracts their rotas cover), `all`; null: the role's default (technician mine, else all). */
    alertScope: z.enum(['mine', 'all']).nullable().optional(),
  })
  .strict();

/** The Alerts panel's page: its default and largest size. */
export const ALERT_PAGE_DEFAULT = 200;
export const ALERT_PAGE_MAX = 1000;

export const alertMethods = {
  /** A page of the active alerts, soonest due first (docs/alerts.md "The panel's list"); `{}` is the first page. */
  'alerts.list': {
    request: z
      .object({
        limit: z.number().int().min(1).max(ALERT_PAGE_MAX).default(ALERT_PAGE_DEFAULT),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    result: z.object({
      active: z.array(alertSchema),
      /** How many alerts are active in all, and how many of them critical. */
      total: z.number().int(),
      critical: z.number().int(),
      nextWakeAt: z.number().int().nullable(),
    }),
  },
  'alerts.ack': {
    request: z.object({ key: z.string().min(1) }).strict(),
    result: z.object({ acknowledged: z.boolean() }),
  },
  /** Acknowledges every active alert, or every one of a customer's tickets. */
  'alerts.ackAll': {
    request: z.object({ customerId: z.string().min(1).optional() }).strict(),
    result: z.object({ acknowledged: z.number().int() }),
  },
  'alerts.snooze': {
    request: z
      .object({
        key: z.string().min(1),
        minutes: z
          .number()
          .int()
          .min(1)
          .max(24 * 60),
      })
      .strict(),
    result: z.object({ snoozed: z.boolean() }),
  },
  'alerts.getSettings': {
    request: z.object({}).strict(),
    result: alertSettingsSchema,
  },
  'alerts.setSettings': {
    request: alertSettingsSchema.partial(),
    result: alertSettingsSchema,
  },
} as const;

export const alertEvents = {
  'alerts.changed': z.object({ active: z.number().int() }),
  /** The user chose Open on an OS notification: the renderer opens the ticket, or the Alerts panel when there is none (a summary). */
  'alerts.open': z.object({ ticketId: z.string().optional() }),
} as const;

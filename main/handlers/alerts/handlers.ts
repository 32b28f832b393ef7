/** Handlers of the `alerts.*` contract methods (core/api/alerts.ts, docs/alerts.md). */
import type { alertMethods } from '../../../core/api/alerts.js';
import type { HandlersFor } from '../../api/dispatch.js';
import { slaReasons } from '../../alerts/sla-reasons.js';
import { alertKey } from '../../alerts/types.js';
import type { Alert } from '../../alerts/types.js';
import type { AlertRecord } from '../../../db/repos/notifications.js';
import type { AppContext } from '../../app/context.js';
import type { AlertSettings } from '../../alerts/types.js';

/** A stored alert's key (the records are the scheduler's own, as its DbAlertStore reads them). */
const keyOf = (r: Pick<AlertRecord, 'ticketId' | 'target' | 'kind' | 'dueAt'>): string => alertKey(r as Parameters<typeof alertKey>[0]);

export function alertHandlers(ctx: AppContext, settings: { get(): AlertSettings; set(s: AlertSettings): Promise<void> }): HandlersFor<typeof alertMethods> {
  return {
    // One store call for the page, its customers and the counts; the SLA's reasons only for the page's alerts.
    'alerts.list': async ({ limit, offset }) => {
      const page = await ctx.store.alertPanel.page(offset, limit);
      const active = page.alerts.map(({ closedAt: _c, ...a }) => ({ ...a, key: keyOf(a) }) as Omit<Alert, 'closedAt'> & { customerId: string | null; customerName: string | null });
      const reasons = await slaReasons(ctx, active);
      return {
        active: active.map((a) => (reasons.has(a.key) ? { ...a, reason: reasons.get(a.key) } : a)),
        total: page.total,
        critical: page.critical,
        nextWakeAt: ctx.scheduler.nextWakeAt,
      };
    },
    'alerts.ack': async ({ key }) => ({ acknowledged: await ctx.scheduler.acknowledge(key) }),
    // Every active alert, or those of one customer's tickets (one query joining them to their tickets).
    'alerts.ackAll': async ({ customerId }) => {
      const alerts = customerId === undefined ? await ctx.scheduler.activeAlerts() : await ctx.store.alertPanel.activeOfCustomer(customerId);
      return { acknowledged: await ctx.scheduler.acknowledgeMany(alerts.map(keyOf)) };
    },
    'alerts.snooze': async ({ key, minutes }) => ({ snoozed: await ctx.scheduler.snooze(key, minutes) }),
    'alerts.getSettings': () => settings.get(),
    'alerts.setSettings': async (patch) => {
      const next = { ...settings.get(), ...patch };
      // A changed alert scope is the user's, and plans every open ticket again (main/alerts/service.ts).
      await settings.set(next);
      await ctx.scheduler.replan('clock');
      return settings.get();
    },
  };
}

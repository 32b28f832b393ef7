/** Handlers of the `alerts.*` contract methods (core/api/alerts.ts, docs/alerts.md). */
import type { alertMethods } from '../../../core/api/alerts.js';
import type { HandlersFor } from '../../api/dispatch.js';
import { slaReasons } from '../../alerts/sla-reasons.js';
import type { AppContext } from '../../app/context.js';
import type { AlertSettings } from '../../alerts/types.js';

export function alertHandlers(ctx: AppContext, settings: { get(): AlertSettings; set(s: AlertSettings): Promise<void> }): HandlersFor<typeof alertMethods> {
  const view = async () => (await ctx.scheduler.activeAlerts()).map(({ closedAt: _c, ...a }) => a);
  return {
    'alerts.list': async () => {
      const active = await view();
      const owners = await ticketCustomers(
        ctx,
        active.map((a) => a.ticketId),
      );
      const reasons = await slaReasons(ctx, active);
      return {
        active: active.map((a) => ({
          ...a,
          customerId: owners.get(a.ticketId)?.id ?? null,
          customerName: owners.get(a.ticketId)?.name ?? null,
          ...(reasons.has(a.key) ? { reason: reasons.get(a.key) } : {}),
        })),
        nextWakeAt: ctx.scheduler.nextWakeAt,
      };
    },
    'alerts.ack': async ({ key }) => ({ acknowledged: await ctx.scheduler.acknowledge(key) }),
    'alerts.ackAll': async ({ customerId }) => {
      let keys = await ctx.scheduler.activeAlerts();
      if (customerId !== undefined) {
        const owners = await ticketCustomers(
          ctx,
          keys.map((a) => a.ticketId),
        );
        keys = keys.filter((a) => owners.get(a.ticketId)?.id === customerId);
      }
      return { acknowledged: await ctx.scheduler.acknowledgeMany(keys.map((a) => a.key)) };
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

/** Each ticket's customer (id and name), for the Alerts panel's "acknowledge all of this customer". */
async function ticketCustomers(ctx: AppContext, ticketIds: string[]): Promise<Map<string, { id: string; name: string }>> {
  const out = new Map<string, { id: string; name: string }>();
  const names = new Map<string, string>();
  for (const id of new Set(ticketIds)) {
    const t = await ctx.store.tickets.get(id);
    if (!t) continue;
    if (!names.has(t.customerId)) names.set(t.customerId, (await ctx.store.customers.getCustomer(t.customerId))?.name ?? '?');
    out.set(id, { id: t.customerId, name: names.get(t.customerId) as string });
  }
  return out;
}

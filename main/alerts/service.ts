/**
 * Alerting wired to the app: the scheduler over the SLA planner, the alerts
 * table and the OS notifier; per-user settings in the settings table; the
 * contract handlers for alerts.*.
 */
import type { alertMethods } from '../../core/api/alerts.js';
import type { HandlersFor } from '../api/dispatch.js';
import type { AppContext } from '../context.js';
import { DbAlertStore } from './db-store.js';
import { AlertScheduler } from './scheduler.js';
import { DEFAULT_ALERT_SETTINGS } from './types.js';
import type { AlertSettings, TicketPlanner, Timers } from './types.js';

export const ALERT_SETTINGS_KEY = 'alerts';

export const systemTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export async function createScheduler(
  ctx: Omit<AppContext, 'scheduler' | 'ticketsChanged'>,
  planner: TicketPlanner,
  timers: Timers = systemTimers,
): Promise<{ scheduler: AlertScheduler; settings: { get(): AlertSettings; set(s: AlertSettings): Promise<void> } }> {
  let settings: AlertSettings = { ...DEFAULT_ALERT_SETTINGS, ...(((await ctx.store.settings.get(ALERT_SETTINGS_KEY)) as Partial<AlertSettings> | undefined) ?? {}) };
  // Store each ticket's next instant in batches, off the scheduler's path.
  let pending = new Map<string, number | null>();
  let flushing: Promise<void> | null = null;
  const flush = () => {
    if (flushing || pending.size === 0) return;
    const items = [...pending].map(([ticketId, wakeAt]) => ({ ticketId, wakeAt }));
    pending = new Map();
    flushing = ctx.store.tickets
      .setWakeMany(items)
      .then(() => undefined, (err: unknown) => ctx.log('alerts: could not store next wake instants', err))
      .finally(() => {
        flushing = null;
        flush();
      });
  };
  const scheduler = new AlertScheduler({
    clock: ctx.clock,
    timers,
    planner,
    store: new DbAlertStore(ctx.store.notifications),
    notifier: ctx.notifier,
    settings: () => settings,
    onActiveChanged: (active) => ctx.events.fire({ name: 'alerts.changed', payload: { active } }),
    onPlanned: (items) => {
      for (const it of items) pending.set(it.ticketId, it.wakeAt);
      flush();
    },
    log: ctx.log,
  });
  ctx.notifier.onClick?.((id) => {
    const ticketId = id.split('|')[0];
    if (ticketId && !id.startsWith('summary|')) ctx.events.fire({ name: 'alerts.open', payload: { ticketId } });
  });
  return {
    scheduler,
    settings: {
      get: () => settings,
      async set(next) {
        await ctx.store.settings.set(ALERT_SETTINGS_KEY, next);
        settings = next;
      },
    },
  };
}

export function alertHandlers(ctx: AppContext, settings: { get(): AlertSettings; set(s: AlertSettings): Promise<void> }): HandlersFor<typeof alertMethods> {
  const view = () => ctx.scheduler.activeAlerts().map(({ closedAt: _c, ...a }) => a);
  return {
    'alerts.list': () => ({ active: view(), nextWakeAt: ctx.scheduler.nextWakeAt }),
    'alerts.ack': async ({ key }) => ({ acknowledged: await ctx.scheduler.acknowledge(key) }),
    'alerts.snooze': async ({ key, minutes }) => ({ snoozed: await ctx.scheduler.snooze(key, minutes) }),
    'alerts.getSettings': () => settings.get(),
    'alerts.setSettings': async (patch) => {
      const next = { ...settings.get(), ...patch };
      await settings.set(next);
      await ctx.scheduler.replan('clock');
      return next;
    },
  };
}

/**
 * Alerting wired to the app: the scheduler over the SLA planner, the alerts
 * table and the OS notifier; per-user settings in the settings table.
 * The contract handlers for alerts.* are main/handlers/alerts/handlers.ts.
 */
import type { AppContext } from '../app/context.js';
import { DbAlertStore } from './db-store.js';
import { PeopleCache } from './people.js';
import { AlertRouting } from './routing.js';
import { AlertScheduler } from './scheduler.js';
import { slaReasons } from './sla-reasons.js';
import { scopedPlanner } from './scope.js';
import { UserAlertScope } from './user-scope.js';
import { DEFAULT_ALERT_SETTINGS } from './types.js';
import { systemTimers } from '../../db/system-time.js';
import type { AlertFacts, AlertSettings, TicketPlanner, Timers } from './types.js';

export const ALERT_SETTINGS_KEY = 'alerts';

export async function createScheduler(
  ctx: Omit<AppContext, 'scheduler' | 'ticketsChanged'>,
  planner: TicketPlanner & { facts?(ticketId: string, now: number): Promise<AlertFacts | null> },
  timers: Timers = systemTimers,
  /** Pull from the sync server now (before an escalation step alerts this user); push soon (an ack or snooze to send); set once sync exists. */
  oncall: { refresh?: () => Promise<void>; kick?: () => void } = {},
): Promise<{ scheduler: AlertScheduler; settings: { get(): AlertSettings; set(s: AlertSettings): Promise<void> }; rescope(): Promise<void>; forgetPeople(): void }> {
  let local: AlertSettings = { ...DEFAULT_ALERT_SETTINGS, ...(((await ctx.store.settings.get(ALERT_SETTINGS_KEY)) as Partial<AlertSettings> | undefined) ?? {}) };
  // The alert scope is the user's, synced with their other devices, once enrolled (user-scope.ts).
  const scope = await UserAlertScope.load(ctx.store.sync);
  let settings = scope.over(local);
  // The enrolment, this user and the rotas: read once, again after enrolling or a rota change (people.ts).
  const people = new PeopleCache({ enrolment: () => ctx.store.sync.enrolment(), me: () => ctx.store.oncall.me(), rotas: () => ctx.store.oncall.rotas() }, ctx.events);
  // Store each ticket's next instant in batches, off the scheduler's path.
  let pending = new Map<string, number | null>();
  let flushing: Promise<void> | null = null;
  const flush = () => {
    if (flushing || pending.size === 0) return;
    const items = [...pending].map(([ticketId, wakeAt]) => ({ ticketId, wakeAt }));
    pending = new Map();
    flushing = ctx.store.tickets
      .setWakeMany(items)
      .then(
        () => undefined,
        (err: unknown) => ctx.log('alerts: could not store next wake instants', err),
      )
      .finally(() => {
        flushing = null;
        flush();
      });
  };
  const scheduler = new AlertScheduler({
    clock: ctx.clock,
    timers,
    // Only the tickets in this user's alert scope raise alerts here (scope.ts).
    planner: scopedPlanner(planner, {
      enrolment: () => people.enrolment(),
      rotas: () => people.rotas(),
      ticket: (id) => ctx.store.tickets.get(id),
    }),
    store: new DbAlertStore(ctx.store.notifications),
    notifier: ctx.notifier,
    settings: () => settings,
    ...(planner.facts ? { facts: (id: string, now: number) => planner.facts!(id, now) } : {}),
    ticketsOf: (ids) => ctx.store.notifications.ticketsOf(ids),
    timezone: ctx.timezone,
    onActiveChanged: (active) => ctx.events.fire({ name: 'alerts.changed', payload: { active } }),
    onPlanned: (items) => {
      for (const it of items) pending.set(it.ticketId, it.wakeAt);
      flush();
    },
    log: ctx.log,
    route: (alerts, now) => routing.decide(alerts, now),
    refresh: () => oncall.refresh?.() ?? Promise.resolve(),
    elsewhere: (keys) => ctx.store.oncall.elsewhere(keys),
    onAck: async (alerts, action, until) => {
      const me = await people.me();
      if (!me) return; // not enrolled: nobody else to tell
      const name = (await people.rotas()).flatMap((r) => r.rota.members).find((m) => m.userId === me)?.name ?? me;
      for (const a of alerts) {
        if (a.target === 'report') continue; // a report reminder is no ticket: nothing to tell the server (alert.ack@1 names a ticket)
        const note = action === 'ack' && a.critical ? `Alert ${a.caseNumber}: ${a.text}: acknowledged by ${name}` : null;
        await ctx.store.oncall.ack({ alertKey: a.key, ticketId: a.ticketId, action, until, note });
      }
      // Sent now, not at the next poll: the user's other devices and colleagues stop alerting within seconds.
      oncall.kick?.();
    },
  });
  const routing = new AlertRouting({
    me: () => people.me(),
    rotas: () => people.rotas(),
    ticketsOf: (ids) => ctx.store.notifications.ticketsOf(ids),
    ackedOnServer: async (keys) => new Set((await ctx.store.oncall.elsewhere(keys)).filter((e) => e.acked).map((e) => e.alertKey)),
    recordSteps: (steps) => ctx.store.oncall.recordSteps(steps),
    popupsForAll: () => settings.popupsForAll === true,
    log: ctx.log,
  });
  // A choice on a pop-up: acknowledge/snooze in the store, or Open: the host brings its window up and the page opens the ticket (or the Alerts panel).
  ctx.notifier.onAction?.((id, action) => {
    void scheduler.act(id, action).then(
      // A report reminder is no ticket: Open shows the Alerts panel (its Reports link).
      ({ open }) => open && ctx.events.fire({ name: 'alerts.open', payload: open.ticketId?.startsWith('report|') ? {} : open }),
      (err: unknown) => ctx.log(`alerts: could not ${action} from notification ${id}`, err),
    );
  });
  /**
   * Every open ticket planned again: whose tickets alert this user changed (scope.ts). Those with
   * nothing ahead too (a deadline passed while out of scope): marked unplanned first, so a stop
   * half-way is caught up at the next start.
   */
  const replanAll = async () => {
    await ctx.store.tickets.replanAll();
    for (let ids = await ctx.store.tickets.unplannedWakes(null, 500); ids.length; ids = await ctx.store.tickets.unplannedWakes(ids[ids.length - 1] as string, 500)) {
      for (const id of ids) await scheduler.ticketChanged(id);
    }
  };
  return {
    scheduler,
    /** A rota changed before its `records.changed` (a pull's page): read the rotas again. */
    forgetPeople: () => people.invalidate(),
    settings: {
      get: () => settings,
      async set(next) {
        const before = settings.alertScope ?? null;
        // A changed scope goes to the user (all their devices) when enrolled; the rest stays on this device.
        if ((next.alertScope ?? null) !== before && (await scope.set(next.alertScope ?? null))) oncall.kick?.();
        await ctx.store.settings.set(ALERT_SETTINGS_KEY, next);
        local = next;
        settings = scope.over(local);
        if ((settings.alertScope ?? null) !== before) await replanAll();
      },
    },
    /** This user's scope pulled from another of their devices: plan every open ticket again when it changed. */
    async rescope() {
      const before = settings.alertScope ?? null;
      await scope.reload();
      settings = scope.over(local);
      if ((settings.alertScope ?? null) !== before) await replanAll();
    },
  };
}

/**
 * The app's services, built from injected parts. Both hosts (Electron and the
 * plain-Node browser shell) build them through this one function and serve
 * the same contract; nothing in here knows which host it runs under.
 */
import { mkdirSync } from 'node:fs';
import type { Clock } from '../../core/clock.js';
import type { PushEvent } from '../../core/api/contract.js';
import { DisposableStore, Emitter } from '../../core/lifecycle.js';
import { StoreClient } from '../../db/client.js';
import type { Upgrading } from '../../db/store.js';
import { createDispatcher } from '../api/dispatch.js';
import type { Dispatch, Handlers } from '../api/dispatch.js';
import { SlaPlanner } from '../alerts/planner.js';
import type { PlanningSource } from '../alerts/planner.js';
import type { Ticket } from '../../db/repos/tickets.js';
import { createScheduler } from '../alerts/service.js';
import { systemTimers } from '../../db/system-time.js';
import { alertHandlers } from '../handlers/alerts/handlers.js';
import type { Timers } from '../alerts/types.js';
import { watchClock } from '../alerts/clock-watch.js';
import type { ClockWatchDeps } from '../alerts/clock-watch.js';
import type { AppContext } from './context.js';
import { deskHandlers } from '../handlers/desk/handlers.js';
import { fieldHandlers } from '../handlers/field/handlers.js';
import { reportsHandlers } from '../handlers/reports/handlers.js';
import type { PdfOptions } from '../reports/pdf.js';
import { termsHandlers } from '../handlers/reports/terms.js';
import { ReportReminders, withReportReminders } from '../agreements/reminders.js';
import { join } from 'node:path';
import { syncHandlers } from '../handlers/sync/handlers.js';
import { oncallHandlers } from '../handlers/oncall/handlers.js';
import { availabilityHandlers } from '../handlers/agreements/availability.js';
import { createHandoverWatch } from '../alerts/handover-service.js';
import type { HandoverWatch } from '../alerts/handover.js';
import { SyncService } from '../sync/service.js';
import { PulledReplan } from '../sync/replan.js';
import type { FetchLike } from '../sync/http-transport.js';
import { EncryptedFileTokenStore, FileTokenStore } from '../sync/token-store.js';
import type { StringCipher } from '../sync/token-store.js';
import type { Notifier } from '../notify/notifier.js';
import { slaEvents } from '../tickets/sla-events.js';
import { CompiledContracts } from '../tickets/compiled.js';
import { planningOf, TicketSla } from '../tickets/sla.js';
import type { ChangePlan } from '../alerts/types.js';
import { VERSION } from './version.js';
import { agreementsHandlers } from '../handlers/agreements/maintenance.js';
import { visitAlerts } from '../agreements/visits.js';
import { startVisitPlanning } from '../agreements/runner.js';
import { IntegrityWatch } from '../integrity/watch.js';
import type { IntegrityDeps } from '../integrity/watch.js';
import { quickCheckInWorker } from '../../db/integrity.js';
import { dbPath, listBackups } from '../../db/files.js';

export interface ServiceParts {
  clock: Clock;
  notifier: Notifier;
  dataDir: string;
  host: 'electron' | 'browser';
  /** The user's IANA zone; defaults to the process's, read afresh each time. */
  timezone?: string;
  /** Timers for the alert scheduler (tests pass fake ones). */
  timers?: Timers;
  /**
   * Detect sleep/clock/zone changes with a heartbeat (the Node shell). Electron
   * passes false and reports powerMonitor's resume itself. Tests pass false.
   */
  clockWatch?: boolean | ClockWatchDeps;
  log?: (msg: string, err?: unknown) => void;
  /** The store is backed up and migrated before it opens (seconds on a big one): a host shows it (Electron: a small window). */
  onUpgrade?: (u: Upgrading) => void;
  /** Renders the report print page to PDF; Electron passes printToPDF, the default is Chromium via playwright-core. */
  renderPdf?: (opts: PdfOptions) => Promise<Buffer>;
  /** Electron passes its safeStorage: the sync token is then stored encrypted (else a 0600 file). */
  tokenCipher?: StringCipher;
  /** Sync over this fetch (tests); default: global fetch. */
  syncFetch?: FetchLike;
  /** The background integrity check (main/integrity/watch.ts): when, or false for none (default: right after start, then daily). */
  integrity?: Pick<IntegrityDeps, 'firstAfterMs' | 'everyMs'> | false;
}

export interface Services {
  readonly dispatch: Dispatch;
  readonly events: Emitter<PushEvent>;
  readonly parts: ServiceParts;
  readonly context: AppContext;
  /** Sync: enrolment, the worker, status (main/sync/service.ts). */
  readonly sync: SyncService;
  /** The handover summary at shift change (main/alerts/handover.ts). */
  readonly handover: HandoverWatch;
  /** The database's background integrity check (main/integrity/watch.ts); null when turned off. */
  readonly integrity: IntegrityWatch | null;
  dispose(): Promise<void>;
}

export async function createServices(parts: ServiceParts): Promise<Services> {
  mkdirSync(parts.dataDir, { recursive: true });
  const disposables = new DisposableStore();
  const events = new Emitter<PushEvent>();
  const log = parts.log ?? (() => {});
  const timezone = () => parts.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;

  const store = await StoreClient.open({
    dataDir: parts.dataDir,
    clock: parts.clock,
    onSlow: (path, ms) => log(`slow query ${path}: ${ms} ms`),
    onCheckpointError: (message) => log(`store: ${message}`),
    // Migrations first (their backup is written behind the start, db/owed-backup.ts): a start that waits says why.
    onUpgrade: (u) => {
      log(`Vakt: updating the data of ${parts.dataDir} from schema ${u.from} to ${u.to}; a copy of it as it was goes to its backups folder while the app runs`);
      parts.onUpgrade?.(u);
    },
  });

  // The compiled-contract cache, shared by the ticket-SLA service and the alert planner.
  const compiled = new CompiledContracts();
  const sla = new TicketSla({ store, clock: parts.clock, compiled, timezone });
  const source: PlanningSource = {
    // The ticket, its events, its contract and what its pop-up names: one round trip. No SLA events (no contract, or a
    // planned visit, which runs no clock): nothing for the engine, as for TicketSla.evaluate; the additions still see it.
    async ticket(id) {
      const x = await sla.load(id);
      if (!x) return null;
      return planningOf(x, x.ticket.contractId ? slaEvents(x.ticket, x.events) : []);
    },
    async policySet(contractId) {
      const c = await store.customers.getContract(contractId);
      if (!c) throw new Error(`contract ${contractId} does not exist`);
      return c.policySet;
    },
  };
  const planner = new SlaPlanner(source, timezone, compiled, [visitAlerts]);

  const base = { clock: parts.clock, notifier: parts.notifier, dataDir: parts.dataDir, host: parts.host, timezone, store, planner, sla, events, log };
  const oncall: { refresh?: () => Promise<void>; kick?: () => void } = {};
  // Planned visits add their "visit due" alert, and report schedules their reminders, to the SLA planner's (docs/maintenance.md, docs/scheduled-reports.md).
  const reminders = new ReportReminders(base);
  const alerting = await createScheduler(base, withReportReminders(planner, reminders), parts.timers, oncall);
  const scheduler = alerting.scheduler;
  // Report reminders are planned like tickets (main/agreements/reminders.ts).
  const replanReminders = async () => {
    for (const id of await reminders.items()) await scheduler.ticketChanged(id);
  };
  disposables.add(scheduler);
  sla.alertSettings = () => alerting.settings.get();

  const changed = async (ticketIds: string[], planned?: ReadonlyMap<string, ChangePlan>) => {
    for (const id of ticketIds) await scheduler.ticketChanged(id, planned?.get(id));
    events.fire({ name: 'tickets.changed', payload: { ticketIds } });
  };
  // Tickets a pull changed: their schedule (queue order, countdowns) and alerts, a batch at a time (main/sync/replan.ts).
  const replanPulled = new PulledReplan({ store, sla, clock: parts.clock, changed, recheck: (ids) => scheduler.recheck(ids) });
  let enrolledSeen = (await store.sync.enrolment()) !== null;
  const tokenFile = join(parts.dataDir, 'sync-token');
  const sync = new SyncService({
    repo: store.sync,
    // Photo bytes: the transfer queue and <dataDir>/attachments (main/sync/attachment-sync.ts).
    attachments: { queue: store.attachments, dataDir: parts.dataDir },
    activePrefix: () => store.caseNumbers.active(),
    tokens: parts.tokenCipher ? new EncryptedFileTokenStore(tokenFile, parts.tokenCipher) : new FileTokenStore(tokenFile),
    clock: parts.clock,
    // Pulled changes get their schedule (queue order, countdowns), re-plan alerts and refresh the UI,
    // but do not count as local changes (no kick).
    // A rota pulled in the same page counts for their alerts: the held rotas are dropped first (people.ts).
    onTicketsChanged: (ids, pageKinds) => {
      if (pageKinds?.includes('rota')) alerting.forgetPeople();
      return replanPulled.tickets(ids);
    },
    // The first sync's bulk load re-plans what it loaded once, at its end.
    onBulkLoaded: () => replanPulled.left(),
    onRecordsChanged: async (kinds) => {
      events.fire({ name: 'records.changed', payload: { kinds } });
      // This user's alert scope, set on another of their devices (main/alerts/user-scope.ts), applied before the pull is done.
      if (kinds.includes('userSettings')) await alerting.rescope().catch((err: unknown) => log('alerts: could not apply the pulled alert scope', err));
      // A report sent on another device resolves the reminder here (the sends travel with the contract).
      if (kinds.includes('contract')) void replanReminders();
    },
    onStatus: (payload) => {
      events.fire({ name: 'sync.status', payload });
      // Enrolled now: the user's alert scope holds from here on, not this device's own.
      if (payload.enrolled && !enrolledSeen) void alerting.rescope().catch((err: unknown) => log('alerts: could not apply the alert scope', err));
      enrolledSeen = payload.enrolled;
    },
    log,
    ...(parts.syncFetch ? { fetch: parts.syncFetch } : {}),
  });

  oncall.refresh = async () => void (await sync.syncNow());
  oncall.kick = () => sync.kick();

  const context: AppContext = {
    ...base,
    sla,
    scheduler,
    async ticketsChanged(ticketIds, planned) {
      await changed(ticketIds, planned);
      // A local change wrote outbox mutations: push them soon.
      sync.kick();
    },
    async agreementsChanged() {
      await replanReminders();
      sync.kick();
    },
  };

  // The stored next instants a page at a time: only what changed since or what the clock passed is planned.
  await scheduler.startFrom({ unplanned: (after, n) => store.tickets.unplannedWakes(after, n), page: (after, n) => store.tickets.wakePage(after, n) });
  await replanReminders();
  const handover = createHandoverWatch(context, parts.timers ?? systemTimers, () => alerting.settings.get().language);
  disposables.add(handover);
  await handover.replan();
  await replanPulled.left();
  if (parts.clockWatch !== false) {
    const deps = typeof parts.clockWatch === 'object' ? parts.clockWatch : undefined;
    disposables.add(
      watchClock((e) => {
        void scheduler.replan(e);
        // Back from sleep (or the clock moved): sync now instead of waiting out a backoff.
        sync.wake();
      }, deps),
    );
  }
  await sync.start();
  const visitPlanning = disposables.add(startVisitPlanning(context, parts.timers ?? systemTimers));
  await visitPlanning.run();
  const startWork = scheduler.idle().catch(() => undefined);
  // The full integrity check, once started and then daily, off the start's path (a thread of its own).
  const integrity =
    parts.integrity === false
      ? null
      : new IntegrityWatch({
          file: dbPath(parts.dataDir),
          timers: parts.timers ?? systemTimers,
          now: () => parts.clock.now(),
          // Its thread (~20 MB) starts once the start's catch-up is done, so their peaks do not add up (issue 19).
          check: (file) => startWork.then(() => quickCheckInWorker(file)),
          backups: () => listBackups(parts.dataDir),
          report: (payload) => events.fire({ name: 'app.integrity', payload }),
          log,
          ...(parts.integrity ?? {}),
        });

  const field = fieldHandlers(context);
  const handlers: Handlers = {
    'app.info': () => ({
      name: 'Vakt',
      version: VERSION,
      host: parts.host,
      dataDir: parts.dataDir,
      now: parts.clock.now(),
      timezone: timezone(),
    }),
    'app.echo': ({ text }) => ({ text }),
    'app.integrity': () => integrity?.status ?? { state: 'pending', checkedAt: null, file: dbPath(parts.dataDir), problems: [], backups: [] },
    ...alertHandlers(context, alerting.settings),
    ...deskHandlers(context),
    ...reportsHandlers(context, parts.renderPdf ? { renderPdf: parts.renderPdf } : {}),
    ...field,
    ...syncHandlers(sync),
    ...oncallHandlers(context),
    ...availabilityHandlers(context),
    ...agreementsHandlers(context, { ...(parts.renderPdf ? { renderPdf: parts.renderPdf } : {}), photoData: field['field.photoData'] }),
    ...termsHandlers(context, parts.renderPdf ? { renderPdf: parts.renderPdf } : {}),
  };

  return {
    dispatch: createDispatcher(handlers, log),
    events,
    parts,
    context,
    sync,
    handover,
    integrity,
    async dispose() {
      integrity?.dispose();
      await integrity?.idle();
      await sync.dispose();
      scheduler.dispose();
      await scheduler.idle();
      await handover.idle();
      disposables.dispose();
      parts.notifier.dispose?.();
      await store.close();
    },
  };
}

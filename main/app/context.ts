/**
 * What the services share: built once in createServices, handed to each
 * group of handlers. Nothing here knows which host runs it.
 */
import type { PushEvent } from '../../core/api/contract.js';
import type { Clock } from '../../core/clock.js';
import type { Emitter } from '../../core/lifecycle.js';
import type { StoreClient } from '../../db/client.js';
import type { AlertScheduler } from '../alerts/scheduler.js';
import type { SlaPlanner } from '../alerts/planner.js';
import type { Notifier } from '../notify/notifier.js';
import type { ChangePlan } from '../alerts/types.js';
import type { TicketSla } from '../tickets/sla.js';

export interface AppContext {
  clock: Clock;
  notifier: Notifier;
  dataDir: string;
  host: 'electron' | 'browser';
  /** The user's IANA zone (it can change while the app runs). */
  timezone(): string;
  store: StoreClient;
  /** The alert planner (plans one ticket's alerts; its compiled-contract cache is the ticket-SLA service's, main/tickets/compiled.ts). */
  planner: SlaPlanner;
  /** "This ticket's SLA now", in one place (main/tickets/sla.ts). */
  sla: TicketSla;
  scheduler: AlertScheduler;
  events: Emitter<PushEvent>;
  /** Call after any change to tickets: re-plans their alerts (`planned`: planned by the change already) and tells the UI. */
  ticketsChanged(ticketIds: string[], planned?: ReadonlyMap<string, ChangePlan>): Promise<void>;
  log(msg: string, err?: unknown): void;
  /** Call after a contract's report schedules or sends changed: re-plans the report reminders (main/agreements/reminders.ts). */
  agreementsChanged?(): Promise<void>;
}

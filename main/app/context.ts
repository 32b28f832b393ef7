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

export interface AppContext {
  clock: Clock;
  notifier: Notifier;
  dataDir: string;
  host: 'electron' | 'browser';
  /** The user's IANA zone (it can change while the app runs). */
  timezone(): string;
  store: StoreClient;
  /** Compiles and caches each contract's calendars and policies; evaluates tickets. */
  planner: SlaPlanner;
  scheduler: AlertScheduler;
  events: Emitter<PushEvent>;
  /** Call after any change to tickets: re-plans their alerts and tells the UI. */
  ticketsChanged(ticketIds: string[]): Promise<void>;
  log(msg: string, err?: unknown): void;
  /** Call after a contract's report schedules or sends changed: re-plans the report reminders (main/agreements/reminders.ts). */
  agreementsChanged?(): Promise<void>;
}

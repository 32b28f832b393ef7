/** What the alert scheduler (scheduler.ts) is given: clock, timers, planner, store, notifier, settings, and the hooks it tells. */
import type { Clock } from '../../core/clock.js';
import type { Notifier } from '../notify/notifier.js';
import type { Elsewhere } from './follow.js';
import type { RouteDecision } from './routing.js';
import type { Alert, AlertFacts, AlertSettings, AlertStore, TicketPlanner, Timers } from './types.js';

export interface SchedulerDeps {
  clock: Clock;
  timers: Timers;
  planner: TicketPlanner;
  store: AlertStore;
  notifier: Notifier;
  settings: () => AlertSettings;
  /** Customer, title, contact, zones and whether the ticket is critical, looked up as a pop-up is written. */
  facts?: (ticketId: string, now: number) => Promise<AlertFacts | null>;
  /** Whether these tickets' priority is critical, read once for all (the quiet hours hold the others' alerts); without it, from `facts`. */
  ticketsOf?: (ticketIds: string[]) => Promise<Array<{ ticketId: string; critical: boolean }>>;
  /** The user's zone, for due times when the contract's is not known. */
  timezone?: () => string;
  /** Told the number of active alerts whenever it may have changed (tray badge, UI). */
  onActiveChanged?: (active: number) => void;
  /** Told each ticket's new next instant after planning, to store it (tickets.next_wake_at). */
  onPlanned?: (items: Array<{ ticketId: string; wakeAt: number | null }>) => void;
  log?: (msg: string, err?: unknown) => void;
  /** Whether this user gets each alert's pop-up (on-call rota and escalation, routing.ts); all do without it. */
  route?: (alerts: Alert[], now: number) => Promise<Map<string, RouteDecision>>;
  /** Pulls from the sync server: before an escalation step may alert this user, so an ack on the server stops it. */
  refresh?: () => Promise<void>;
  /** What other devices did to alerts (anyone's ack, this user's snooze): followed here (follow.ts). */
  elsewhere?: Elsewhere;
  /** Told what this user acknowledged or snoozed (sent to the server as alert.ack@1). */
  onAck?: (alerts: Alert[], action: 'ack' | 'snooze', until: number | null) => void | Promise<void>;
}

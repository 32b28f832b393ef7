/**
 * Step 1 of an evaluation: a ticket's history up to `now`, read in one walk
 * over its events into buffers that are reused from ticket to ticket (no
 * per-ticket arrays or objects on the way: the engine evaluates 100,000s of
 * tickets in a pass).
 */
import { isClosedStatus } from '../domain/ticket-status.js';
import type { TicketEvent } from './events.js';
import type { Status } from './policy.js';

export const isStop = (s: Status): boolean => isClosedStatus(s);

/** How a target's clock stands: running, paused (status in `pauseWhen`), resolved (resolved/closed). */
export type Kind = 'active' | 'paused' | 'resolved';

export function kindOf(s: Status, pausable: boolean, pauseWhen: ReadonlySet<Status>): Kind {
  return isStop(s) ? 'resolved' : pausable && pauseWhen.has(s) ? 'paused' : 'active';
}

/** Events sorted by time, equal times in their given order (only for input that is not already in order). */
function sortedCopy(events: readonly TicketEvent[]): TicketEvent[] {
  return events
    .map((e, i) => ({ e, i }))
    .sort((x, y) => x.e.at - y.e.at || x.i - y.i)
    .map(({ e }) => e);
}

function policyChangeNote(from: string, to: string, at: number): string {
  return `policy changed from "${from}" to "${to}" at ${new Date(at).toISOString()}: the ticket is measured against "${to}" from its creation`;
}

/** The ticket's history up to `now`, in time order. One instance is reused (`load` resets it). */
export class History {
  created = 0;
  policy = '';
  policyNote: string | false | null = null;
  /** Statuses: `status[i]` in force from `at[i]` (i < n); the first is created, "open". */
  n = 0;
  readonly at: number[] = [];
  readonly status: Status[] = [];
  firstResponse: number | null = null;
  firstResolution: number | null = null;
  /** Updates logged: `updates[i]`, i < nu. */
  nu = 0;
  readonly updates: number[] = [];

  /** Reads the events up to `now`; false when the ticket is created after `now`. */
  load(events: readonly TicketEvent[], now: number, explain: boolean): boolean {
    let inOrder = true;
    for (let i = 1; i < events.length; i++) if ((events[i] as TicketEvent).at < (events[i - 1] as TicketEvent).at) inOrder = false;
    const list = inOrder ? events : sortedCopy(events);
    let end = 0;
    while (end < list.length && (list[end] as TicketEvent).at <= now) end++;
    let c: TicketEvent | undefined;
    for (let i = 0; i < end && c === undefined; i++) if ((list[i] as TicketEvent).type === 'created') c = list[i];
    if (c === undefined || c.type !== 'created') return false;
    let policy = c.policy;
    let policyNote: string | false | null = null;
    const { at, status, updates } = this;
    at[0] = c.at;
    status[0] = 'open';
    let n = 1;
    let nu = 0;
    let firstResponse: number | null = null;
    let firstResolution: number | null = null;
    for (let i = 0; i < end; i++) {
      const e = list[i] as TicketEvent;
      switch (e.type) {
        case 'policy_changed':
          if (e.policy !== policy) policyNote = explain && policyChangeNote(policy, e.policy, e.at);
          policy = e.policy;
          break;
        case 'responded':
          firstResponse ??= e.at;
          break;
        case 'status':
          // one status per instant: the last one given at that time (a status that lasts no time never happened)
          if (at[n - 1] === e.at) n--;
          at[n] = e.at;
          status[n] = e.status;
          n++;
          if (isStop(e.status)) firstResolution ??= e.at;
          break;
        case 'update_logged':
          updates[nu++] = e.at;
          break;
        default:
          break;
      }
    }
    this.created = c.at;
    this.policy = policy;
    this.policyNote = policyNote;
    this.n = n;
    this.nu = nu;
    this.firstResponse = firstResponse;
    this.firstResolution = firstResolution;
    return true;
  }

  /** The status in force at instant t (after all events at t). */
  statusAt(t: number): Status {
    let s: Status = 'open';
    for (let i = 0; i < this.n; i++) {
      if ((this.at[i] as number) <= t) s = this.status[i] as Status;
      else break;
    }
    return s;
  }

  /** The first response, or the first resolution if that came first (null when neither happened). */
  responseStop(): number | null {
    const r = this.firstResponse;
    const s = this.firstResolution;
    return r === null ? s : s === null ? r : Math.min(r, s);
  }
}

/**
 * Step 1 of an evaluation: a ticket's history up to `now`, read in one walk
 * over its events into buffers that are reused from ticket to ticket (no
 * per-ticket arrays or objects on the way: the engine evaluates 100,000s of
 * tickets in a pass).
 */
import { isClosedStatus } from '../domain/ticket-status.js';
import type { TicketEvent } from './events.js';
import type { Status } from './policy.js';
import { INSTANT_RANGE_TEXT, instantInRange } from '../time-range.js';

const isStop = (s: Status): boolean => isClosedStatus(s);

/** How a target's clock stands: running, paused (status in `pauseWhen`), resolved (resolved/closed). */
export type Kind = 'active' | 'paused' | 'resolved';

/** Events sorted by time, equal times in their given order (only for input that is not already in order). */
function sortedCopy(events: readonly TicketEvent[]): TicketEvent[] {
  return events
    .map((e, i) => ({ e, i }))
    .sort((x, y) => x.e.at - y.e.at || x.i - y.i)
    .map(({ e }) => e);
}

/** The RangeError for an instant outside the supported range (`what` names it). */
export function outOfRange(what: string, t: number): never {
  throw new RangeError(`evaluateTicket: ${what} ${Number.isFinite(t) && Math.abs(t) <= 8.64e15 ? new Date(t).toISOString() : String(t)} is not ${INSTANT_RANGE_TEXT}`);
}

function policyChangeNote(from: string, to: string, at: number): string {
  return `policy changed from "${from}" to "${to}" at ${new Date(at).toISOString()}: the ticket is measured against "${to}" from its creation`;
}

/** The ticket's history up to `now`, in time order. One instance is reused (`load` resets it). */
export class History {
  /** The evaluation instant (read by the steps from here: a double passed as an argument is boxed at each call). */
  now = 0;
  created = 0;
  policy = '';
  policyNote: string | false | null = null;
  /** Statuses: `status[i]` in force from `at[i]` (i < n); the first is created, "open". */
  n = 0;
  readonly at: number[] = [];
  readonly status: Status[] = [];
  /** The first response and the first resolution (NaN: none; NaN, not null, keeps these fields and their readers on unboxed numbers). */
  firstResponse = NaN;
  firstResolution = NaN;
  /** `stop[i]`: `status[i]` is resolved/closed; `pause[i]`: it is in the policy's pauseWhen (set by `usePauses`). Read once per ticket, not per target. */
  readonly stop: boolean[] = [];
  readonly pause: boolean[] = [];
  /** After `usePauses`: a status of the history pauses; the statuses are in time order. */
  pauses = false;
  sorted = true;
  /** After `usePauses`: the index of the status in force at `now` (`indexAt(now)`). */
  nowIndex = -1;
  /** Whether "open" (the status before the first one) pauses. */
  private openPauses = false;
  /** Updates logged: `updates[i]`, i < nu. */
  nu = 0;
  readonly updates: number[] = [];

  /** Each event's instant and type, read once (events come in three shapes, as main/tickets/sla-events.ts makes them: each read of them is a polymorphic one). */
  private readonly evAt: number[] = [];
  private readonly evType: TicketEvent['type'][] = [];

  /**
   * Reads the events up to `now`; false when the ticket is created after `now`.
   * Throws a RangeError naming the first event whose instant is outside
   * `core/time-range.ts` (`now` is checked by the caller).
   */
  load(events: readonly TicketEvent[], now: number, explain: boolean): boolean {
    const m = events.length;
    const { evAt, evType } = this;
    let inOrder = true;
    // in order (the usual case): the events up to now are the first `end`, the created one the first of its type
    let end = 0;
    let ci = -1;
    for (let i = 0; i < m; i++) {
      const e = events[i] as TicketEvent;
      const t = e.at;
      if (!instantInRange(t)) outOfRange(`events[${i}].at`, t);
      if (i > 0 && t < (evAt[i - 1] as number)) inOrder = false;
      evAt[i] = t;
      const ty = e.type;
      evType[i] = ty;
      if (t <= now) end = i + 1;
      if (ci < 0 && ty === 'created') ci = i;
    }
    let list = events;
    if (!inOrder) {
      list = this.sortEvents(events);
      end = 0;
      while (end < m && (evAt[end] as number) <= now) end++;
      ci = 0;
      while (ci < end && evType[ci] !== 'created') ci++;
    }
    if (ci < 0 || ci >= end) return false;
    const c = list[ci] as TicketEvent & { type: 'created' };
    let policy = c.policy;
    let policyNote: string | false | null = null;
    const { at, status, stop, updates } = this;
    at[0] = c.at;
    status[0] = 'open';
    stop[0] = false;
    let n = 1;
    let nu = 0;
    let firstResponse = NaN;
    let firstResolution = NaN;
    for (let i = 0; i < end; i++) {
      const ty = evType[i];
      if (ty === 'status') {
        const e = list[i] as TicketEvent & { type: 'status' };
        const t = evAt[i] as number;
        // one status per instant: the last one given at that time (a status that lasts no time never happened)
        if (at[n - 1] === t) n--;
        at[n] = t;
        status[n] = e.status;
        const st = isStop(e.status);
        stop[n] = st;
        n++;
        if (st && firstResolution !== firstResolution) firstResolution = t;
      } else if (ty === 'update_logged') updates[nu++] = evAt[i] as number;
      else if (ty === 'responded') {
        if (firstResponse !== firstResponse) firstResponse = evAt[i] as number;
      } else if (ty === 'policy_changed') {
        const e = list[i] as TicketEvent & { type: 'policy_changed' };
        if (e.policy !== policy) policyNote = explain && policyChangeNote(policy, e.policy, e.at);
        policy = e.policy;
      }
    }
    this.now = now;
    this.created = c.at;
    this.policy = policy;
    this.policyNote = policyNote;
    this.n = n;
    this.nu = nu;
    this.firstResponse = firstResponse;
    this.firstResolution = firstResolution;
    return true;
  }

  /** The events sorted by time (equal times in their given order), with `evAt`/`evType` in that order. */
  private sortEvents(events: readonly TicketEvent[]): TicketEvent[] {
    const list = sortedCopy(events);
    for (let i = 0; i < list.length; i++) {
      this.evAt[i] = (list[i] as TicketEvent).at;
      this.evType[i] = (list[i] as TicketEvent).type;
    }
    return list;
  }

  /** Marks the statuses that pause under the policy's `pauseWhen` (once per ticket, before the targets read `kindAt`). */
  usePauses(pauseWhen: ReadonlySet<Status>): void {
    const { at, status, pause } = this;
    let pauses = false;
    let sorted = true;
    for (let i = 0; i < this.n; i++) {
      if (i > 0 && (at[i] as number) < (at[i - 1] as number)) sorted = false;
      const p = pauseWhen.has(status[i] as Status);
      pause[i] = p;
      if (p) pauses = true;
    }
    this.pauses = pauses;
    this.sorted = sorted;
    this.openPauses = pauseWhen.has('open');
    // the statuses read are those up to now: in time order, the last one is in force at now
    this.nowIndex = sorted ? this.n - 1 : this.indexAt(this.now);
  }

  /** The index of the status in force at instant t (after all events at t); -1: before the first, "open". */
  indexAt(t: number): number {
    let s = -1;
    for (let i = 0; i < this.n; i++) {
      if ((this.at[i] as number) <= t) s = i;
      else break;
    }
    return s;
  }

  /** The status in force at instant t (after all events at t). */
  statusAt(t: number): Status {
    const i = this.indexAt(t);
    return i < 0 ? 'open' : (this.status[i] as Status);
  }

  /** Whether the status at index i (-1: "open" before the first) is resolved/closed. */
  stopAt(i: number): boolean {
    return i >= 0 && (this.stop[i] as boolean);
  }

  /** How a target's clock stands under the status at index i (-1: "open" before the first): resolved/closed stop it, a status of `pauseWhen` pauses it when pausable (flags of `usePauses`). */
  kindAt(i: number, pausable: boolean): Kind {
    if (i < 0) return pausable && this.openPauses ? 'paused' : 'active';
    return this.stop[i] ? 'resolved' : pausable && this.pause[i] ? 'paused' : 'active';
  }

  /** The first response, or the first resolution if that came first (NaN when neither happened). */
  responseStop(): number {
    const r = this.firstResponse;
    const s = this.firstResolution;
    return r !== r ? s : s !== s ? r : Math.min(r, s);
  }
}

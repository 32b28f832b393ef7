/**
 * One planning pass of the alert scheduler: asks the planner about each due
 * ticket, moves the ticket's next instant in the heap, and tells which alerts
 * are new and which open ones lost their cause. Storing them is the scheduler's.
 */
import type { IndexedMinHeap } from './heap.js';
import type { OpenAlerts } from './open-alerts.js';
import { alertKey } from './types.js';
import type { Alert, AlertFacts, AlertSettings, PlanResult, TicketPlanner } from './types.js';

export interface PlanDeps {
  planner: TicketPlanner;
  log?: ((msg: string, err?: unknown) => void) | undefined;
  heap: IndexedMinHeap<string>;
  open: OpenAlerts;
  /** Settles once `open` holds every open alert of the due tickets (read beside the planning). */
  ready?: Promise<void>;
}

export async function planDue(
  /** `plan`: planned already, at `at` (by the change that wrote the ticket: main/tickets/sla.ts). */
  due: ReadonlyArray<{ id: string; at: number; plan?: PlanResult }>,
  now: number,
  settings: AlertSettings,
  deps: PlanDeps,
): Promise<{ fresh: Alert[]; gone: Alert[]; planned: Array<{ ticketId: string; wakeAt: number | null }>; facts: Map<string, AlertFacts | null> }> {
  const fresh: Alert[] = [];
  const gone: Alert[] = [];
  const planned: Array<{ ticketId: string; wakeAt: number | null }> = [];
  /** What the tickets' pop-ups name, where planning read it (PlanResult.facts). */
  const facts = new Map<string, AlertFacts | null>();
  for (const { id, at, plan: given } of due) {
    let plan;
    try {
      plan = given ? ((await deps.planner.admit?.(id, given, settings)) ?? given) : await deps.planner.plan(id, Math.min(at, now), settings);
    } catch (err) {
      // A ticket that cannot be planned must not stop the others; try it again in a minute.
      deps.log?.(`alerts: could not plan ticket ${id}`, err);
      deps.heap.set(id, now + 60_000);
      continue;
    }
    let nextAt = plan.nextAt;
    if (nextAt !== null && nextAt <= at) {
      // A planner must move forward; guard against a loop if one ever does not.
      deps.log?.(`alerts: planner returned a next instant not after ${at} for ticket ${id}`);
      nextAt = now + 60_000;
    }
    deps.heap.set(id, nextAt);
    await deps.ready;
    planned.push({ ticketId: id, wakeAt: nextAt });
    if (plan.facts !== undefined) facts.set(id, plan.facts);
    const keep = new Set<string>();
    for (const c of plan.candidates) {
      const key = alertKey(c);
      keep.add(key);
      if (!deps.open.has(key)) fresh.push({ ...c, key, state: 'active', raisedAt: now, notifiedAt: null, snoozedUntil: null, held: false, closedAt: null });
    }
    for (const key of deps.open.keysOf(id)) {
      if (!keep.has(key)) {
        const a = deps.open.get(key);
        if (a) gone.push({ ...a, state: 'resolved', closedAt: now, held: false });
      }
    }
  }
  return { fresh, gone, planned, facts };
}

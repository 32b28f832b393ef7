/**
 * Planned visits (docs/maintenance.md): turns a contract's maintenance plans
 * into tickets of their own kind when their notice time comes, and raises
 * the "visit due" alert for them through the alert scheduler.
 *
 * A visit's ticket id is derived from contract, plan and due date
 * (`visitTicketId`), so running the planner twice, or on two devices,
 * makes one ticket: the second register answers the first, and sync meets
 * the same id from both devices.
 */
import { isClosedStatus } from '../../core/domain/index.js';
import { createHash } from 'node:crypto';
import { activePlans, planZone, plannedVisits, visitIntake, visitKey, visitOf } from '../../core/agreements/maintenance.js';
import type { PlannedVisit } from '../../core/agreements/maintenance.js';
import type { Contract } from '../../db/repos/customers.js';
import type { Ticket } from '../../db/repos/tickets.js';
import type { AppContext } from '../app/context.js';
import type { AlertCandidate } from '../alerts/types.js';
import type { PlanAddition } from '../alerts/planner.js';

const DAY = 86_400_000;
/** A visit whose window closed longer ago than this is not created any more (it shows as missed in the SLA report). */
export const CREATE_LOOKBACK_MS = 31 * DAY;

/**
 * The UUIDv7 of a planned visit's ticket: the window's opening as its time
 * (so the queue's id order stays by time), the rest from SHA-256 of the
 * visit's key. The same on every device.
 */
export function visitTicketId(contractId: string, v: Pick<PlannedVisit, 'planId' | 'due' | 'windowStart'>, what: 'ticket' | 'created' = 'ticket'): string {
  const h = createHash('sha256')
    .update(`${what === 'ticket' ? '' : `${what}|`}${visitKey(contractId, v.planId, v.due)}`)
    .digest('hex');
  const ts = Math.max(0, v.windowStart).toString(16).padStart(12, '0').slice(-12);
  const variant = ((parseInt(h[3] as string, 16) & 0x3) | 0x8).toString(16);
  return `${ts.slice(0, 8)}-${ts.slice(8, 12)}-7${h.slice(0, 3)}-${variant}${h.slice(4, 7)}-${h.slice(7, 19)}`;
}

/** The contract's visits whose window overlaps [from, to), each with its plan's zone. */
export function contractVisits(c: Contract, from: number, to: number): PlannedVisit[] {
  const out: PlannedVisit[] = [];
  for (const plan of activePlans(c.maintenance, c.defaultPolicy)) {
    const zone = planZone(plan, c.policySet.calendars, c.policySet.policies);
    if (zone) out.push(...plannedVisits(plan, zone, from, to));
  }
  return out.sort((a, b) => a.windowStart - b.windowStart || a.planId.localeCompare(b.planId));
}

/**
 * Creates the visits whose notice time has come and whose window closed at
 * most CREATE_LOOKBACK_MS ago. Returns the tickets it created (none when
 * they exist already).
 */
export async function planVisits(ctx: Pick<AppContext, 'store' | 'clock' | 'log'>): Promise<{ ticket: Ticket; visit: PlannedVisit }[]> {
  const now = ctx.clock.now();
  const created: { ticket: Ticket; visit: PlannedVisit }[] = [];
  for (const c of await ctx.store.visits.contractsWithPlans()) {
    const sites = await ctx.store.customers.sitesOf(c.customerId);
    for (const v of contractVisits(c, now - CREATE_LOOKBACK_MS, now + 400 * DAY)) {
      if (v.noticeAt > now || v.windowEnd <= now - CREATE_LOOKBACK_MS) continue;
      const id = visitTicketId(c.id, v);
      if (await ctx.store.tickets.get(id)) continue;
      try {
        const ticket = await ctx.store.tickets.register({
          id,
          createdEventId: visitTicketId(c.id, v, 'created'),
          planned: true,
          customerId: c.customerId,
          contractId: c.id,
          // The customer's site when it has one only; else the technician takes it from the contract.
          siteId: sites.length === 1 ? (sites[0]?.id ?? null) : null,
          channel: 'onsite',
          assignee: v.assignee,
          title: `${v.title} ${v.due}`,
          intake: visitIntake(v),
          nextDueAt: v.windowEnd,
        });
        created.push({ ticket, visit: v });
      } catch (e) {
        ctx.log(`maintenance: could not create the visit ${v.planId} ${v.due} of contract ${c.agreementNumber}`, e);
      }
    }
  }
  return created;
}

/**
 * The planned visits' addition to the alert plan (SlaPlanner's `additions`): "visit due" for an open visit
 * from its notice time until its window closes (keyed by the window's opening, so it is raised once),
 * read from the ticket the plan read (no second lookup).
 */
export const visitAlerts: PlanAddition = (t, r, now) => {
  const v = t.facts ? visitOf(t.facts.intake) : null;
  if (!t.facts || !v || isClosedStatus(t.facts.status) || now >= v.windowEnd) return r;
  if (now < v.noticeAt) return { candidates: r.candidates, nextAt: r.nextAt === null ? v.noticeAt : Math.min(r.nextAt, v.noticeAt) };
  const { assignee } = t.facts;
  const c: AlertCandidate = {
    ticketId: t.id,
    caseNumber: t.caseNumber,
    target: 'resolution',
    kind: 'visit_due',
    dueAt: v.windowStart,
    critical: false,
    text: `Visit due: window ${v.due}${assignee ? ` (${assignee})` : ''}`,
  };
  return { candidates: [...r.candidates, c], nextAt: r.nextAt === null ? v.windowEnd : Math.min(r.nextAt, v.windowEnd) };
};

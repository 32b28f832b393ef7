/**
 * Reviewing an edit of a contract's calendars and policies: every problem the
 * edit would hit, and what it does to the open tickets. `desk.checkContractEdit`
 * shows the review; `desk.updateContract` refuses on its first issue and
 * otherwise stores the edit together with the schedules computed here (one
 * transaction). Both use this one function, so a check that answers "no
 * issues" is an edit that saves.
 */
import { SLA_METRICS } from '../../../core/domain/index.js';
import type { IssueView, MovedDeadline, PolicySetJson } from '../../../core/api/desk.js';
import { apiIssue } from '../../../core/api/contract.js';
import { CalendarCache, checkContract, evaluateTicket, issue, loadContract, slaUnavailableIssue } from '../../../core/sla/index.js';
import type { Contract as SlaContract, TargetStatus, TicketEvent as SlaEvent } from '../../../core/sla/index.js';
import { splitCalendarNightShifts } from '../../../core/calendars/night-shift.js';
import { policySetSchema } from '../../../db/repos/customers.js';
import type { Contract } from '../../../db/repos/customers.js';
import type { Ticket } from '../../../db/repos/tickets.js';
import type { AppContext } from '../../app/context.js';
import { slaEvents } from '../../tickets/sla-events.js';
import { scheduleOf } from '../../tickets/schedule.js';
import type { Schedule } from '../../tickets/schedule.js';
import { checkMaintenance } from '../../../core/agreements/maintenance.js';

export interface EditReview {
  /** The edit with night shifts split (what is stored). */
  policySet: PolicySetJson;
  issues: IssueView[];
  /** Open tickets evaluated, and those whose due times move. */
  checked: number;
  moved: number;
  examples: MovedDeadline[];
  /** Each open ticket's schedule under the edit (stored with it). */
  schedules: Map<string, Schedule>;
}

/** Open instants' pairs crossing midnight are split (the editor's night shifts); the rest is as given. */
export function normalisePolicySet(ps: PolicySetJson): PolicySetJson {
  return { calendars: splitCalendarNightShifts(ps.calendars), policies: ps.policies };
}

const editCache = new CalendarCache(64);

/** Every open ticket of a contract (the queue's index, page by page). */
export async function openTicketsOf(ctx: Pick<AppContext, 'store'>, contractId: string): Promise<Ticket[]> {
  const out: Ticket[] = [];
  let after: { dueKey: number; id: string } | null = null;
  for (;;) {
    const page = await ctx.store.tickets.queueFiltered({ contractId }, { limit: 500, after });
    out.push(...page.items);
    if (!page.next) return out;
    after = page.next;
  }
}

/** The policies a ticket's SLA events name (its first one and every change). */
function policiesUsed(events: readonly SlaEvent[]): Set<string> {
  const out = new Set<string>();
  for (const e of events) if (e.type === 'created' || e.type === 'policy_changed') out.add(e.policy);
  return out;
}

/** Every problem of saving `ps` on contract `c`, and the edit's effect on its open tickets. */
export async function reviewContractEdit(ctx: Pick<AppContext, 'store' | 'sla' | 'clock'>, c: Contract, ps: PolicySetJson): Promise<EditReview> {
  const policySet = normalisePolicySet(ps);
  const review: EditReview = { policySet, issues: [], checked: 0, moved: 0, examples: [], schedules: new Map() };
  review.issues.push(...checkContract(policySet));
  const stored = policySetSchema.safeParse(policySet);
  if (!stored.success) for (const i of stored.error.issues) review.issues.push(apiIssue(i));
  const has = (id: string) => Object.hasOwn(policySet.policies, id);
  if (c.defaultPolicy && !has(c.defaultPolicy)) review.issues.push(issue('policies', 'defaultMustStay', { id: c.defaultPolicy }));
  if (c.criticalPolicy && !has(c.criticalPolicy)) review.issues.push(issue('policies', 'criticalMustStay', { id: c.criticalPolicy }));
  // The maintenance plans name a level (a policy) and take their zone from a calendar (docs/maintenance.md).
  for (const i of checkMaintenance(c.maintenance, policySet.calendars, policySet.policies)) review.issues.push({ path: 'policies', message: `the contract's ${i.path}: ${i.message}` });
  if (review.issues.length) return review;

  let before: SlaContract | null = null;
  try {
    before = ctx.sla.compile(c);
  } catch {
    // the stored set does not compile (e.g. it arrived by sync): every due time "moves"
  }
  let after: SlaContract;
  try {
    after = loadContract(policySet, editCache);
  } catch (e) {
    review.issues.push(slaUnavailableIssue('policies', e));
    return review;
  }
  const now = ctx.clock.now();
  const evalWith = (sla: SlaContract, events: SlaEvent[]) => evaluateTicket({ events, policies: sla.policies, calendars: sla.calendars, now });
  const run = (sla: SlaContract, events: SlaEvent[]): TargetStatus[] => evalWith(sla, events).targets;
  const inUse = new Map<string, string[]>();
  for (const t of await openTicketsOf(ctx, c.id)) {
    const events = slaEvents(t, await ctx.store.tickets.events(t.id));
    if (!events.length) continue;
    review.checked++;
    const gone = [...policiesUsed(events)].filter((p) => !has(p));
    for (const p of gone) inUse.set(p, [...(inUse.get(p) ?? []), t.caseNumber]);
    if (gone.length) continue;
    let a: TargetStatus[] = [];
    let b: TargetStatus[];
    try {
      if (before) a = run(before, events);
    } catch {
      a = [];
    }
    try {
      b = run(after, events);
    } catch (e) {
      review.issues.push(slaUnavailableIssue('policies', e, { case: t.caseNumber }));
      continue;
    }
    const s = scheduleOf(t.status, b);
    if (s) review.schedules.set(t.id, s);
    const changes: MovedDeadline[] = [];
    for (const metric of SLA_METRICS) {
      const x = a.find((y) => y.metric === metric)?.dueAt ?? null;
      const y = b.find((z) => z.metric === metric)?.dueAt ?? null;
      if (x !== y) changes.push({ ticketId: t.id, caseNumber: t.caseNumber, metric, before: x, after: y });
    }
    if (changes.length) {
      review.moved++;
      if (review.examples.length < 20) review.examples.push(...changes.slice(0, 20 - review.examples.length));
    }
  }
  for (const [p, cases] of inUse) {
    const n = cases.length;
    review.issues.push(issue(`policies.${p}`, 'policyInUse', { id: p, count: n, cases: `${cases.slice(0, 5).join(', ')}${n > 5 ? ', …' : ''}` }));
  }
  return review;
}

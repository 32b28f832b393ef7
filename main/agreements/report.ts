/** A contract's planned visits in its monthly SLA report (core/agreements/maintenance-report.ts, docs/maintenance.md). */
import { isClosedStatus } from '../../core/domain/index.js';
import { visitReport } from '../../core/agreements/maintenance-report.js';
import type { VisitFigures, VisitTicket } from '../../core/agreements/maintenance-report.js';
import { visitOf } from '../../core/agreements/maintenance.js';
import { localDate } from '../../core/reports/month.js';
import type { Contract } from '../../db/repos/customers.js';
import type { AppContext } from '../app/context.js';

const DAY = 86_400_000;

/** The visits whose window closed in [from, to) up to `asOf`: done in time or missed; null when the contract plans none. */
export async function visitFigures(ctx: Pick<AppContext, 'store'>, c: Contract, month: { from: number; to: number; timezone: string }, asOf: number): Promise<VisitFigures | null> {
  if (!c.maintenance?.length) return null;
  const tickets: VisitTicket[] = [];
  // Due dates up to 181 days before the window closes (the longest window) and none after the month.
  for (const t of await ctx.store.visits.ofContract(c.id, localDate(month.from - 200 * DAY, month.timezone), `${localDate(month.to, month.timezone)}~`)) {
    const v = visitOf(t.intake);
    if (!v) continue;
    const done = (await ctx.store.tickets.events(t.id)).find((e) => e.type === 'status' && isClosedStatus(e.data.status));
    tickets.push({ ticketId: t.id, caseNumber: t.caseNumber, planId: v.planId, due: v.due, doneAt: done?.at ?? null });
  }
  return visitReport({ maintenance: c.maintenance, defaultPolicy: c.defaultPolicy, calendars: c.policySet.calendars, policies: c.policySet.policies, from: month.from, to: month.to, asOf, tickets });
}

/**
 * Report reminders through the alert scheduler (docs/scheduled-reports.md).
 * Each (contract, schedule) is one item the scheduler plans like a ticket,
 * under the id `report|<contract>|<schedule>`: when the period's window opens
 * and the report is not sent, a `report_due` alert (due at the window's end)
 * comes up; recording the send (here or on another device, by sync) resolves
 * it, and the item sleeps until the next window opens.
 */
import { dueReports, sentKey } from '../../core/agreements/reports.js';
import type { AlertFacts, AlertSettings, PlanResult, TicketPlanner } from '../alerts/types.js';
import type { AppContext } from '../app/context.js';
import { contractZoneOf } from './warranty-of.js';

export const REPORT_ITEM_PREFIX = 'report|';
export const reportItemId = (contractId: string, scheduleId: string): string => `${REPORT_ITEM_PREFIX}${contractId}|${scheduleId}`;
export const isReportItem = (id: string): boolean => id.startsWith(REPORT_ITEM_PREFIX);

type Ctx = Pick<AppContext, 'store' | 'planner' | 'clock' | 'timezone'>;
type FactsPlanner = TicketPlanner & { facts?(ticketId: string, now: number): Promise<AlertFacts | null> };

export class ReportReminders implements TicketPlanner {
  /** Every item planned so far: one whose schedule went away is planned once more, to resolve its alert. */
  private readonly known = new Set<string>();
  constructor(private readonly ctx: Ctx) {}

  /** The items to plan: every schedule of every contract with a `reports` section, and those planned before. */
  async items(): Promise<string[]> {
    for (const a of await this.ctx.store.agreements.withReports()) for (const s of a.reports?.schedules ?? []) this.known.add(reportItemId(a.contractId, s.id));
    return [...this.known];
  }

  async plan(id: string, now: number, _settings: AlertSettings): Promise<PlanResult> {
    const [, contractId = '', scheduleId = ''] = id.split('|');
    this.known.add(id);
    const a = await this.ctx.store.agreements.contract(contractId);
    const c = a?.reports ? await this.ctx.store.customers.getContract(contractId) : null;
    if (!a?.reports || !c) return { candidates: [], nextAt: null };
    const zone = await contractZoneOf(this.ctx, c);
    const sent = new Set(a.reportsSent.map((s) => sentKey(s.schedule, s.period)));
    const d = dueReports(a.reports, now, zone, sent).find((x) => x.scheduleId === scheduleId);
    if (!d) return { candidates: [], nextAt: null };
    const schedule = a.reports.schedules.find((s) => s.id === scheduleId);
    switch (d.state) {
      case 'upcoming':
        return { candidates: [], nextAt: d.windowFrom };
      default:
        return {
          // Due by the end of the window; it stays up (overdue) until the send is recorded.
          candidates: [
            {
              ticketId: id,
              caseNumber: `${c.agreementNumber} ${d.period}`,
              target: 'report',
              kind: 'report_due',
              dueAt: d.windowTo,
              critical: false,
              text: `${schedule?.name ?? scheduleId} ${d.period} to ${schedule?.to.join(', ') ?? ''}`,
            },
          ],
          nextAt: null,
        };
    }
  }
}

/** The SLA planner for tickets, the report reminders for their items. */
export function withReportReminders(tickets: FactsPlanner, reports: ReportReminders): FactsPlanner {
  return {
    plan: (id, now, settings) => (isReportItem(id) ? reports.plan(id, now, settings) : tickets.plan(id, now, settings)),
    ...(tickets.facts ? { facts: (id: string, now: number) => (isReportItem(id) ? Promise.resolve(null) : tickets.facts!(id, now)) } : {}),
  };
}

/**
 * Planned visits in the monthly SLA report (docs/maintenance.md): every visit
 * of the contract's plans whose due window closed in the month, done in time
 * or missed. Computed from the plans themselves, so a visit nobody created a
 * ticket for (the app was off, the plan was added late) still counts as
 * missed. Pure.
 */
import { activePlans, planZone, plannedVisits } from './maintenance.js';
import type { VisitKind } from './maintenance.js';

/** A ticket made for a planned visit (its visit facts, from its intake values). */
export interface VisitTicket {
  ticketId: string;
  caseNumber: string;
  planId: string;
  due: string;
  /** When it was resolved or closed (the first time), or null. */
  doneAt: number | null;
}

export interface VisitRow {
  planId: string;
  title: string;
  kind: VisitKind;
  due: string;
  windowStart: number;
  windowEnd: number;
  ticketId: string | null;
  caseNumber: string | null;
  doneAt: number | null;
  /** done: resolved before its window closed; missed: not done by then (`doneAt` set when done late). */
  state: 'done' | 'missed';
}

export interface VisitFigures {
  /** Visits whose window closed in the month (up to the report's instant). */
  due: number;
  done: number;
  missed: number;
  rows: VisitRow[];
}

export interface VisitReportInput {
  maintenance: unknown;
  defaultPolicy: string | null;
  calendars: unknown;
  policies: unknown;
  /** The month, [from, to), and the report's instant. */
  from: number;
  to: number;
  asOf: number;
  tickets: readonly VisitTicket[];
}

/** The month's planned visits, or null when the contract plans none. */
export function visitReport(input: VisitReportInput): VisitFigures | null {
  const plans = activePlans(input.maintenance, input.defaultPolicy);
  if (!plans.length) return null;
  const byKey = new Map(input.tickets.map((t) => [`${t.planId}|${t.due}`, t]));
  const end = Math.min(input.to, input.asOf);
  const rows: VisitRow[] = [];
  for (const plan of plans) {
    const zone = planZone(plan, input.calendars, input.policies);
    if (!zone) continue;
    for (const v of plannedVisits(plan, zone, input.from, end)) {
      // Counted in the month its window closes, once it has closed.
      if (v.windowEnd <= input.from || v.windowEnd > end) continue;
      const t = byKey.get(`${v.planId}|${v.due}`);
      const doneAt = t?.doneAt ?? null;
      rows.push({
        planId: v.planId,
        title: v.title,
        kind: v.kind,
        due: v.due,
        windowStart: v.windowStart,
        windowEnd: v.windowEnd,
        ticketId: t?.ticketId ?? null,
        caseNumber: t?.caseNumber ?? null,
        doneAt,
        state: doneAt !== null && doneAt < v.windowEnd ? 'done' : 'missed',
      });
    }
  }
  rows.sort((a, b) => a.windowEnd - b.windowEnd || a.planId.localeCompare(b.planId));
  const done = rows.filter((r) => r.state === 'done').length;
  return { due: rows.length, done, missed: rows.length - done, rows };
}

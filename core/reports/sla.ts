/**
 * Monthly SLA compliance of one contract (docs/reports.md). Pure: every figure
 * is read off the SLA engine's results (`evaluateTicket`): met / breached from
 * `state` and `breached`, durations from `elapsedMinutes` (business minutes),
 * missed callbacks from `missed`. Nothing here re-implements a clock rule.
 */
import { evaluateTicket } from '../sla/index.js';
import type { CompiledCalendar, Metric, Policy, TargetStatus, TicketEvent } from '../sla/index.js';
import { toCsv } from './csv.js';
import { evidenceRows } from './evidence.js';
import type { ClockEventInput, EvidenceRow } from './evidence.js';
import { localDate, monthRange } from './month.js';
import type { VisitFigures } from '../agreements/maintenance-report.js';

export interface ReportTicket {
  id: string;
  caseNumber: string;
  createdAt: number;
  /** The ticket's events in the engine's format (main/tickets/sla-events.ts). */
  events: readonly TicketEvent[];
  /** The clock events with who recorded them and when the server received them (core/reports/evidence.ts). */
  clockEvents?: readonly ClockEventInput[];
}

export interface SlaReportInput {
  month: string;
  timezone: string;
  /** The instant the report is made (the engine evaluates at it); later events are ignored. */
  asOf: number;
  /** The contract's tickets created before the end of the month (others are ignored). */
  tickets: readonly ReportTicket[];
  policies: ReadonlyMap<string, Policy>;
  calendars: ReadonlyMap<string, CompiledCalendar>;
}

/** Targets of tickets created in the month: met (stopped in time), breached (late, or running past due), open (not decided yet). */
export interface MetricFigures {
  met: number;
  breached: number;
  open: number;
  /** met / (met + breached) in percent with one decimal; null when nothing is decided. */
  pct: number | null;
}
/** Business minutes (the engine's elapsedMinutes) of the stopped targets. */
export interface TimeFigures {
  count: number;
  median: number | null;
  p90: number | null;
}
/** Update (callback) dues that fell in the month: answered on time vs missed. */
export interface UpdateFigures {
  due: number;
  onTime: number;
  missed: number;
  pct: number | null;
}
export interface Breach {
  ticketId: string;
  caseNumber: string;
  policy: string;
  metric: Metric;
  dueAt: number | null;
  stoppedAt: number | null;
  elapsedMinutes: number;
  /** update: missed callbacks in the month. */
  missed?: number;
}
export interface PolicyFigures {
  policy: string;
  tickets: number;
  response: MetricFigures;
  resolution: MetricFigures;
}
export interface HistogramBin {
  /** Business hours, [fromHours, toHours); toHours null = open-ended. */
  fromHours: number;
  toHours: number | null;
  count: number;
}
export interface SlaReport {
  month: string;
  timezone: string;
  from: number;
  to: number;
  asOf: number;
  /** Tickets created in the month. */
  tickets: number;
  response: MetricFigures;
  resolution: MetricFigures;
  updates: UpdateFigures;
  timeToResponse: TimeFigures;
  timeToResolution: TimeFigures;
  byPolicy: PolicyFigures[];
  /** Time to resolution (business hours) of the resolved tickets. */
  resolutionHistogram: HistogramBin[];
  breaches: Breach[];
  /** Every clock-stopping or -pausing event behind the figures, with its provenance. */
  evidence: EvidenceRow[];
  /** Planned visits whose window closed in the month, done or missed (core/agreements/maintenance-report.ts); null: none planned. */
  visits?: VisitFigures | null;
}

export const HISTOGRAM_HOURS = [0, 1, 2, 4, 8, 16, 40] as const;

const pct = (a: number, b: number): number | null => (b === 0 ? null : Math.round((1000 * a) / b) / 10);

/** Median (mean of the two middle values when even) and p90 (nearest rank), of whole minutes. */
export function timeFigures(values: readonly number[]): TimeFigures {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  if (!n) return { count: 0, median: null, p90: null };
  const median = n % 2 ? (s[(n - 1) / 2] as number) : ((s[n / 2 - 1] as number) + (s[n / 2] as number)) / 2;
  const p90 = s[Math.ceil(0.9 * n) - 1] as number;
  return { count: n, median, p90 };
}

function metric(): MetricFigures {
  return { met: 0, breached: 0, open: 0, pct: null };
}
function count(f: MetricFigures, t: TargetStatus | undefined): void {
  if (!t) return;
  if (t.breached) f.breached++;
  else if (t.state === 'stopped') f.met++;
  else f.open++;
  f.pct = pct(f.met, f.met + f.breached);
}

export function slaReport(input: SlaReportInput): SlaReport {
  const { from, to } = monthRange(input.month, input.timezone);
  const { policies, calendars } = input;
  const end = Math.min(input.asOf, to);
  const response = metric();
  const resolution = metric();
  const updates: UpdateFigures = { due: 0, onTime: 0, missed: 0, pct: null };
  const toResponse: number[] = [];
  const toResolution: number[] = [];
  const byPolicy = new Map<string, PolicyFigures>();
  const breaches: Breach[] = [];
  const eva = (t: ReportTicket, now: number) => evaluateTicket({ events: t.events, policies, calendars, now });

  for (const t of input.tickets) {
    if (!t.events.length || t.createdAt >= to || t.createdAt > input.asOf) continue;
    const now = eva(t, input.asOf);
    const get = (m: Metric) => now.targets.find((x) => x.metric === m);

    // Callbacks: dues that fell in [from, end): missed ones from the engine's count, answered ones = updates the engine accepted.
    const upd = get('update');
    if (upd) {
      const missedBefore = t.createdAt < from ? (eva(t, from).targets.find((x) => x.metric === 'update')?.missed ?? 0) : 0;
      const missedAtEnd = eva(t, end).targets.find((x) => x.metric === 'update')?.missed ?? 0;
      const missed = missedAtEnd - missedBefore;
      const instants = new Set(t.events.filter((e) => e.type === 'update_logged' && e.at >= from && e.at < end).map((e) => e.at));
      let onTime = 0;
      for (const u of instants) {
        const s = eva(t, u).targets.find((x) => x.metric === 'update');
        if (s && (s.state === 'running' || s.state === 'paused')) onTime++;
      }
      updates.missed += missed;
      updates.onTime += onTime;
      if (missed > 0)
        breaches.push({ ticketId: t.id, caseNumber: t.caseNumber, policy: now.policy, metric: 'update', dueAt: null, stoppedAt: upd.stoppedAt, elapsedMinutes: upd.elapsedMinutes, missed });
    }

    if (t.createdAt < from) continue;
    // Response and resolution: tickets created in the month, as they stand at asOf.
    let pf = byPolicy.get(now.policy);
    if (!pf) byPolicy.set(now.policy, (pf = { policy: now.policy, tickets: 0, response: metric(), resolution: metric() }));
    pf.tickets++;
    for (const m of ['response', 'resolution'] as const) {
      const x = get(m);
      if (!x) continue;
      count(m === 'response' ? response : resolution, x);
      count(pf[m], x);
      if (x.state === 'stopped') (m === 'response' ? toResponse : toResolution).push(x.elapsedMinutes);
      if (x.breached) breaches.push({ ticketId: t.id, caseNumber: t.caseNumber, policy: now.policy, metric: m, dueAt: x.dueAt, stoppedAt: x.stoppedAt, elapsedMinutes: x.elapsedMinutes });
    }
  }
  updates.due = updates.onTime + updates.missed;
  updates.pct = pct(updates.onTime, updates.due);

  const bins: HistogramBin[] = HISTOGRAM_HOURS.map((h, i) => ({ fromHours: h, toHours: HISTOGRAM_HOURS[i + 1] ?? null, count: 0 }));
  for (const m of toResolution) {
    const h = m / 60;
    const bin = [...bins].reverse().find((b) => h >= b.fromHours);
    if (bin) bin.count++;
  }
  const order: Record<Metric, number> = { response: 0, resolution: 1, update: 2 };
  breaches.sort((a, b) => a.caseNumber.localeCompare(b.caseNumber) || order[a.metric] - order[b.metric]);
  const policyOrder = [...policies.keys()];
  return {
    month: input.month,
    timezone: input.timezone,
    from,
    to,
    asOf: input.asOf,
    tickets: [...byPolicy.values()].reduce((a, p) => a + p.tickets, 0),
    response,
    resolution,
    updates,
    timeToResponse: timeFigures(toResponse),
    timeToResolution: timeFigures(toResolution),
    byPolicy: [...byPolicy.values()].sort((a, b) => policyOrder.indexOf(a.policy) - policyOrder.indexOf(b.policy)),
    resolutionHistogram: bins,
    breaches,
    evidence: evidenceRows(input.tickets, from, to, input.asOf),
  };
}

const num = (v: number | null) => (v === null ? '' : String(v));

/** The report as CSV: one row per figure (section, key, value), then one per breach. */
export function slaReportCsv(r: SlaReport, meta: { customer: string; agreementNumber: string }): string {
  const rows: Array<Array<string | number>> = [];
  const add = (section: string, key: string, value: string | number) => rows.push([meta.agreementNumber, r.month, section, key, value, '', '', '']);
  add('summary', 'tickets', r.tickets);
  for (const m of ['response', 'resolution'] as const) {
    const f = r[m];
    add(m, 'met', f.met);
    add(m, 'breached', f.breached);
    add(m, 'open', f.open);
    add(m, 'met_pct', num(f.pct));
  }
  add('updates', 'due', r.updates.due);
  add('updates', 'on_time', r.updates.onTime);
  add('updates', 'missed', r.updates.missed);
  add('updates', 'on_time_pct', num(r.updates.pct));
  for (const [k, f] of [
    ['time_to_response', r.timeToResponse],
    ['time_to_resolution', r.timeToResolution],
  ] as const) {
    add(k, 'count', f.count);
    add(k, 'median_business_minutes', num(f.median));
    add(k, 'p90_business_minutes', num(f.p90));
  }
  for (const p of r.byPolicy) {
    add(`policy:${p.policy}`, 'tickets', p.tickets);
    add(`policy:${p.policy}`, 'response_met_pct', num(p.response.pct));
    add(`policy:${p.policy}`, 'resolution_met_pct', num(p.resolution.pct));
  }
  for (const b of r.breaches)
    rows.push([
      meta.agreementNumber,
      r.month,
      'breach',
      b.metric,
      b.metric === 'update' ? (b.missed ?? 0) : b.elapsedMinutes,
      b.caseNumber,
      b.policy,
      b.dueAt === null ? '' : `${localDate(b.dueAt, r.timezone)}`,
    ]);
  if (r.visits) {
    add('visits', 'due', r.visits.due);
    add('visits', 'done', r.visits.done);
    add('visits', 'missed', r.visits.missed);
    for (const v of r.visits.rows) rows.push([meta.agreementNumber, r.month, 'visit', v.state, v.planId, v.caseNumber ?? '', '', v.due]);
  }
  return toCsv(['agreement_number', 'month', 'section', 'key', 'value', 'case_number', 'policy', 'due_date'], rows);
}

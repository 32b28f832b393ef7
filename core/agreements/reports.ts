/**
 * Scheduled SLA reports (issue 20 item 3, docs/scheduled-reports.md). Pure:
 * the contract's `reports` section (which report, monthly or quarterly, to
 * whom, in which window of days, at which service level), the window of each
 * period, what is due at an instant, and the guaranteed KPIs against a
 * report's figures. Time comes from the caller.
 *
 * Telenor: "the report is sent between the 5th and the 20th of each month"
 * (monthly, Bronze, 499 DKK), "quarterly to Silver and Gold", "CSSR and CTSR at
 * least 97 % (Bronze), 98 % (Silver)".
 */
import { DateTime } from 'luxon';
import type { ValidationIssue } from '../sla/errors.js';
import { describe, idProblem, isPlainObject } from '../sla/errors.js';

export const REPORT_EVERY = ['month', 'quarter'] as const;
export type ReportEvery = (typeof REPORT_EVERY)[number];
/** The report figures a KPI guarantee can name (core/reports/sla.ts: share of targets met, in percent). */
export const KPI_METRICS = ['response', 'resolution', 'updates'] as const;
export type KpiMetric = (typeof KPI_METRICS)[number];

export interface ReportSchedule {
  id: string;
  name?: string;
  every: ReportEvery;
  /** Days of the month after the period, both included ("between the 5th and the 20th"). */
  window: { fromDay: number; toDay: number };
  /** Who gets it (e-mail addresses). */
  to: string[];
  /** Only at these service levels (the section's `level`); all levels without it. */
  levels?: string[];
  /** The rate card's fee charged per report sent (e.g. "sla-report": 499). */
  fee?: string;
}
export interface ReportKpi {
  metric: KpiMetric;
  /** The guaranteed share of targets met, in percent ("97"). */
  minPct: number;
  /** The agreement's own name for it ("CSSR/CTSR"). */
  name?: string;
  levels?: string[];
}
export interface ReportsSection {
  /** The customer's service level ("bronze"), choosing among schedules and KPIs with `levels`. */
  level?: string;
  schedules: ReportSchedule[];
  kpis?: ReportKpi[];
}

const SECTION_KEYS = ['level', 'schedules', 'kpis'];
const SCHEDULE_KEYS = ['id', 'name', 'every', 'window', 'to', 'levels', 'fee'];
const KPI_KEYS = ['metric', 'minPct', 'name', 'levels'];
const EMAIL = /^[^\s@]+@[^\s@]+$/;

function unknownKeys(o: Record<string, unknown>, allowed: string[], at: string, issues: ValidationIssue[]): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) issues.push({ path: `${at}.${k}`, message: `unknown field (allowed: ${allowed.join(', ')})` });
}
function levelsIssues(v: unknown, at: string, issues: ValidationIssue[]): void {
  if (v === undefined) return;
  if (!Array.isArray(v) || !v.length || v.some((l) => typeof l !== 'string' || !l.trim())) issues.push({ path: at, message: `must be a list of service level names, got ${describe(v)}` });
}
const isDay = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 31;

/** Every problem of a contract's `reports` section, paths from `reports`; [] when valid. */
export function checkReports(json: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!isPlainObject(json)) return [{ path: 'reports', message: `must be an object { level?, schedules, kpis? }, got ${describe(json)}` }];
  unknownKeys(json, SECTION_KEYS, 'reports', issues);
  if (json.level !== undefined && (typeof json.level !== 'string' || !json.level.trim())) issues.push({ path: 'reports.level', message: `must be a service level name, got ${describe(json.level)}` });
  if (!Array.isArray(json.schedules)) issues.push({ path: 'reports.schedules', message: `must be a list of report schedules, got ${describe(json.schedules)}` });
  else {
    const ids = new Set<string>();
    json.schedules.forEach((s: unknown, i) => {
      const at = `reports.schedules[${i}]`;
      if (!isPlainObject(s)) return void issues.push({ path: at, message: `must be an object { id, every, window, to }, got ${describe(s)}` });
      unknownKeys(s, SCHEDULE_KEYS, at, issues);
      const bad = typeof s.id === 'string' ? idProblem(s.id) : `must be a string, got ${describe(s.id)}`;
      if (bad) issues.push({ path: `${at}.id`, message: bad });
      else if (ids.has(s.id as string)) issues.push({ path: `${at}.id`, message: `"${String(s.id)}" is used by an earlier schedule` });
      else ids.add(s.id as string);
      if (s.name !== undefined && typeof s.name !== 'string') issues.push({ path: `${at}.name`, message: 'must be a string' });
      if (!(REPORT_EVERY as readonly unknown[]).includes(s.every)) issues.push({ path: `${at}.every`, message: `must be one of ${REPORT_EVERY.join(', ')}, got ${describe(s.every)}` });
      const w = s.window;
      if (!isPlainObject(w)) issues.push({ path: `${at}.window`, message: `must be { fromDay, toDay } (days of the month), got ${describe(w)}` });
      else {
        unknownKeys(w, ['fromDay', 'toDay'], `${at}.window`, issues);
        for (const k of ['fromDay', 'toDay'] as const) if (!isDay(w[k])) issues.push({ path: `${at}.window.${k}`, message: `must be a day of the month, 1 to 31, got ${describe(w[k])}` });
        if (isDay(w.fromDay) && isDay(w.toDay) && w.toDay < w.fromDay) issues.push({ path: `${at}.window.toDay`, message: `is before fromDay (${w.fromDay})` });
      }
      if (!Array.isArray(s.to)) issues.push({ path: `${at}.to`, message: `must be a list of e-mail addresses, got ${describe(s.to)}` });
      else
        s.to.forEach((a: unknown, j) => {
          if (typeof a !== 'string' || !EMAIL.test(a) || a.length > 200) issues.push({ path: `${at}.to[${j}]`, message: `is not an e-mail address: ${describe(a)}` });
        });
      levelsIssues(s.levels, `${at}.levels`, issues);
      if (s.fee !== undefined && (typeof s.fee !== 'string' || !s.fee.trim())) issues.push({ path: `${at}.fee`, message: `must name a fee of the rate card, got ${describe(s.fee)}` });
    });
  }
  if (json.kpis !== undefined) {
    if (!Array.isArray(json.kpis)) issues.push({ path: 'reports.kpis', message: `must be a list of guaranteed KPIs, got ${describe(json.kpis)}` });
    else
      json.kpis.forEach((k: unknown, i) => {
        const at = `reports.kpis[${i}]`;
        if (!isPlainObject(k)) return void issues.push({ path: at, message: `must be an object { metric, minPct }, got ${describe(k)}` });
        unknownKeys(k, KPI_KEYS, at, issues);
        if (!(KPI_METRICS as readonly unknown[]).includes(k.metric)) issues.push({ path: `${at}.metric`, message: `must be one of ${KPI_METRICS.join(', ')}, got ${describe(k.metric)}` });
        if (typeof k.minPct !== 'number' || !(k.minPct > 0 && k.minPct <= 100))
          issues.push({ path: `${at}.minPct`, message: `must be a percentage above 0 and at most 100, got ${describe(k.minPct)}` });
        if (k.name !== undefined && typeof k.name !== 'string') issues.push({ path: `${at}.name`, message: 'must be a string' });
        levelsIssues(k.levels, `${at}.levels`, issues);
      });
  }
  return issues;
}

const applies = (levels: string[] | undefined, level: string | undefined): boolean => !levels || (level !== undefined && levels.some((l) => l.toLowerCase() === level.toLowerCase()));

/** The schedules that apply at the section's service level. */
export function activeSchedules(section: ReportsSection): ReportSchedule[] {
  return section.schedules.filter((s) => applies(s.levels, section.level));
}
/** The KPI guarantees that apply at the section's service level. */
export function activeKpis(section: ReportsSection): ReportKpi[] {
  return (section.kpis ?? []).filter((k) => applies(k.levels, section.level));
}

/** One period of a schedule: what it covers and when it is to be sent. */
export interface ReportPeriod {
  scheduleId: string;
  /** "2026-11" (month) or "2026-Q4" (quarter). */
  period: string;
  /** The months it covers ("2026-10", "2026-11", "2026-12"). */
  months: string[];
  /** First instant of the window: local midnight of `fromDay` in the month after the period. */
  windowFrom: number;
  /** End of the window (exclusive): local midnight after `toDay` (the month's last day if it is shorter). */
  windowTo: number;
}

/** The period of `schedule` whose window lies in the month `ym` (year, month 1-12), or null (a quarterly report has windows in Jan, Apr, Jul, Oct). */
function periodWithWindowIn(schedule: ReportSchedule, year: number, month: number, zone: string): ReportPeriod | null {
  const first = DateTime.fromObject({ year, month, day: 1 }, { zone });
  if (!first.isValid) throw new Error(`timezone: unknown zone ${JSON.stringify(zone)}`);
  const prev = first.minus({ months: 1 });
  let months: string[];
  let period: string;
  if (schedule.every === 'month') {
    period = prev.toFormat('yyyy-MM');
    months = [period];
  } else {
    if ((month - 1) % 3 !== 0) return null;
    const start = first.minus({ months: 3 });
    period = `${start.year}-Q${Math.ceil(start.month / 3)}`;
    months = [0, 1, 2].map((i) => start.plus({ months: i }).toFormat('yyyy-MM'));
  }
  const last = first.daysInMonth as number;
  const from = first.set({ day: Math.min(schedule.window.fromDay, last) });
  const to = first.set({ day: Math.min(schedule.window.toDay, last) }).plus({ days: 1 });
  return { scheduleId: schedule.id, period, months, windowFrom: from.toMillis(), windowTo: to.toMillis() };
}

/**
 * The period of `schedule` that is current at `now`: the one whose window
 * opened last (open now, or closed and overdue) while it is not in `sent`;
 * once sent (or before any window opened), the next one to open. Only the
 * latest period is followed: an older one left unsent is not brought up again.
 */
export function currentPeriod(schedule: ReportSchedule, now: number, zone: string, sent: ReadonlySet<string> = new Set()): ReportPeriod {
  const here = DateTime.fromMillis(now, { zone });
  let last: ReportPeriod | null = null;
  // The window in this month or one of the last three (quarterly), newest first.
  for (let back = 0; back <= 3 && !last; back++) {
    const m = here.minus({ months: back });
    const p = periodWithWindowIn(schedule, m.year, m.month, zone);
    if (p && p.windowFrom <= now) last = p;
  }
  if (last && !sent.has(last.period)) return last;
  for (let ahead = 0; ahead <= 4; ahead++) {
    const m = here.plus({ months: ahead });
    const p = periodWithWindowIn(schedule, m.year, m.month, zone);
    if (p && p.windowFrom > now) return p;
  }
  throw new Error('unreachable: a window opens within four months');
}

export type DueState = 'upcoming' | 'open' | 'overdue';
export interface DueReport extends ReportPeriod {
  state: DueState;
}

/** Each active schedule's current period and its state at `now`; `sent` holds "scheduleId|period" keys. */
export function dueReports(section: ReportsSection, now: number, zone: string, sent: ReadonlySet<string>): DueReport[] {
  return activeSchedules(section).map((s) => {
    const mine = new Set([...sent].filter((k) => k.startsWith(`${s.id}|`)).map((k) => k.slice(s.id.length + 1)));
    const p = currentPeriod(s, now, zone, mine);
    const state: DueState = now < p.windowFrom ? 'upcoming' : now < p.windowTo ? 'open' : 'overdue';
    return { ...p, state };
  });
}

/** The key of a sent report: "monthly|2026-11". */
export const sentKey = (scheduleId: string, period: string): string => `${scheduleId}|${period}`;

export interface KpiResult {
  metric: KpiMetric;
  name: string | null;
  minPct: number;
  /** The report's share of targets met (percent, one decimal), null when nothing was decided. */
  pct: number | null;
  state: 'met' | 'breached' | 'no_data';
}

/** The guaranteed KPIs against a report's figures (the share met, `pct`, of each metric). */
export function kpiResults(section: ReportsSection, figures: Record<KpiMetric, { pct: number | null }>): KpiResult[] {
  return activeKpis(section).map((k) => {
    const pct = figures[k.metric].pct;
    return { metric: k.metric, name: k.name ?? null, minPct: k.minPct, pct, state: pct === null ? 'no_data' : pct >= k.minPct ? 'met' : 'breached' };
  });
}

/** A report sent, as the contract keeps it (core/agreements/record-fields.ts `reportSentSchema`). */
export interface SentReport {
  schedule: string;
  period: string;
  sentAt: number;
  to: string[];
}

/**
 * The report fees to charge in [from, to): a schedule's `fee` once per period,
 * at the period's first send, when that send falls in the range. A report sent
 * again (a correction) is not charged again.
 */
export function chargedReports<S extends SentReport>(section: ReportsSection, sent: readonly S[], from: number, to: number): Array<{ sent: S; schedule: ReportSchedule; fee: string }> {
  const first = new Map<string, S>();
  for (const s of [...sent].sort((a, b) => a.sentAt - b.sentAt)) if (!first.has(sentKey(s.schedule, s.period))) first.set(sentKey(s.schedule, s.period), s);
  const out: Array<{ sent: S; schedule: ReportSchedule; fee: string }> = [];
  for (const s of first.values()) {
    const schedule = section.schedules.find((x) => x.id === s.schedule);
    if (schedule?.fee && s.sentAt >= from && s.sentAt < to) out.push({ sent: s, schedule, fee: schedule.fee });
  }
  return out;
}

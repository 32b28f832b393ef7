/**
 * Maintenance plans (issue 20 item 1, docs/maintenance.md): recurring work a
 * contract promises per service level, e.g. Telekompetanse's physical
 * inspection once a year at level 1, twice at level 2, every quarter at
 * level 3. Pure: the plan's dates are local dates in the contract's zone,
 * turned into instants with luxon, so a window is right across year ends
 * and DST. No I/O, no clock: the caller passes the instants.
 *
 * A contract's section:
 *
 *     "maintenance": [
 *       { "id": "inspection-3", "kind": "inspection", "level": "level-3", "perYear": 4,
 *         "window": { "daysBefore": 0, "daysAfter": 14 }, "noticeDays": 14, "assignee": "Kari" },
 *       { "id": "ups", "kind": "inspection", "every": { "months": 3 }, "from": "2026-01-15" }
 *     ]
 */
import { DateTime, IANAZone } from 'luxon';
import { describe, isPlainObject } from '../sla/errors.js';
import type { ValidationIssue } from '../sla/errors.js';
import { formatInstant, parseInstant } from '../sla/time.js';

/** The kinds of planned work (a ticket's kind; an ordinary call is an "incident"). */
export const VISIT_KINDS = ['inspection'] as const;
export type VisitKind = (typeof VISIT_KINDS)[number];

/** "perYear" values: a whole number of months between visits. */
export const PER_YEAR = [1, 2, 3, 4, 6, 12] as const;

export interface MaintenancePlan {
  id: string;
  kind: VisitKind;
  title?: string;
  /** The service level (a policy id) the plan belongs to: it applies to a contract whose default policy is this one. None: every contract. */
  level?: string;
  /** N visits a year, at 12/N-month steps from `from` (default: from the 1st of January). */
  perYear?: number;
  /** An explicit step from `from`. */
  every?: { months?: number; weeks?: number };
  /** The first due date, a local date (YYYY-MM-DD). */
  from?: string;
  /** The due window, in days around the due date (default 0 before, 14 after). */
  window?: { daysBefore?: number; daysAfter?: number };
  /** The visit is created (shown in "My visits") and its assignee alerted this many days before its window opens (default 14). */
  noticeDays?: number;
  /** Who the visit is assigned to (the technician's name). */
  assignee?: string;
  /** IANA zone of the dates (default: the zone of the level's calendar, else the contract's first calendar). */
  timezone?: string;
}

/** One planned visit: a due date of a plan and its window as instants. */
export interface PlannedVisit {
  planId: string;
  kind: VisitKind;
  /** The due date, local (YYYY-MM-DD), in `timezone`. */
  due: string;
  timezone: string;
  /** The window [windowStart, windowEnd): local midnight of its first day to local midnight after its last. */
  windowStart: number;
  windowEnd: number;
  /** When the visit is created and its assignee alerted: 08:00 local, `noticeDays` before the window opens. */
  noticeAt: number;
  assignee: string | null;
  title: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PLAN_KEYS = new Set(['id', 'kind', 'title', 'level', 'perYear', 'every', 'from', 'window', 'noticeDays', 'assignee', 'timezone']);
const MAX_PLANS = 50;
const NOTICE_HOUR = 8;

function localDay(s: string, zone: string): DateTime | null {
  const m = DATE.exec(s);
  if (!m) return null;
  const d = DateTime.fromObject({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }, { zone });
  return d.isValid && d.toFormat('yyyy-MM-dd') === s && d.year >= 2000 && d.year <= 2999 ? d : null;
}

const wholeIn = (v: unknown, min: number, max: number): boolean => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** The zone a plan's dates are in: its own, else its level's calendar's, else the first calendar's. */
export function planZone(plan: Pick<MaintenancePlan, 'timezone' | 'level'>, calendars: unknown, policies: unknown): string | null {
  if (plan.timezone) return plan.timezone;
  const cals = isPlainObject(calendars) ? calendars : {};
  const zoneOf = (id: unknown): string | null => {
    const c = typeof id === 'string' && Object.hasOwn(cals, id) ? cals[id] : undefined;
    return isPlainObject(c) && typeof c.timezone === 'string' ? c.timezone : null;
  };
  const pol = plan.level && isPlainObject(policies) && Object.hasOwn(policies, plan.level) ? policies[plan.level] : undefined;
  return (isPlainObject(pol) ? zoneOf(pol.calendar) : null) ?? zoneOf(Object.keys(cals)[0]);
}

/**
 * Every problem of a contract's `maintenance` section, each with its path
 * (`maintenance[0].every`); [] when it is valid or absent. `calendars` and
 * `policies` are the contract's: a level names a policy, and a plan without
 * its own zone needs a calendar to take it from.
 */
export function checkMaintenance(section: unknown, calendars: unknown, policies: unknown): ValidationIssue[] {
  if (section === undefined || section === null) return [];
  if (!Array.isArray(section)) return [{ path: 'maintenance', message: `must be a list of plans, got ${describe(section)}` }];
  const issues: ValidationIssue[] = [];
  if (section.length > MAX_PLANS) issues.push({ path: 'maintenance', message: `at most ${MAX_PLANS} plans, got ${section.length}` });
  const ids = new Set<string>();
  section.forEach((p: unknown, i) => {
    const at = (k: string) => `maintenance[${i}]${k ? `.${k}` : ''}`;
    const bad = (k: string, message: string) => issues.push({ path: at(k), message });
    if (!isPlainObject(p)) return bad('', `must be a plan object, got ${describe(p)}`);
    for (const k of Object.keys(p)) if (!PLAN_KEYS.has(k)) bad(k, `unknown field (allowed: ${[...PLAN_KEYS].join(', ')})`);
    if (typeof p.id !== 'string' || !/^[A-Za-z0-9_-]{1,60}$/.test(p.id)) bad('id', `must be 1-60 letters, digits, - or _, got ${describe(p.id)}`);
    else if (ids.has(p.id)) bad('id', `"${p.id}" is used by another plan`);
    else ids.add(p.id);
    if (!(VISIT_KINDS as readonly unknown[]).includes(p.kind)) bad('kind', `must be one of ${VISIT_KINDS.join(', ')}, got ${describe(p.kind)}`);
    for (const k of ['title', 'assignee'] as const)
      if (p[k] !== undefined && (typeof p[k] !== 'string' || !p[k].trim() || p[k].length > 200)) bad(k, 'must be a non-empty text of at most 200 characters');
    if (p.level !== undefined && !(typeof p.level === 'string' && isPlainObject(policies) && Object.hasOwn(policies, p.level)))
      bad('level', `names no policy (${describe(p.level)} is not in policies)`);
    if ((p.perYear === undefined) === (p.every === undefined)) bad('every', 'give either perYear (visits a year) or every ({"months": n} or {"weeks": n}), not both');
    if (p.perYear !== undefined && !(PER_YEAR as readonly unknown[]).includes(p.perYear))
      bad('perYear', `must be one of ${PER_YEAR.join(', ')} (a whole number of months apart), got ${describe(p.perYear)}`);
    if (p.every !== undefined) {
      const e = p.every;
      const keys = isPlainObject(e) ? Object.keys(e) : [];
      if (!isPlainObject(e) || keys.length !== 1 || !(keys[0] === 'months' || keys[0] === 'weeks')) bad('every', `must be {"months": n} or {"weeks": n}, got ${describe(e)}`);
      else if (!wholeIn(e[keys[0] as string], 1, keys[0] === 'months' ? 60 : 260))
        bad(`every.${keys[0] as string}`, `must be a whole number from 1 to ${keys[0] === 'months' ? 60 : 260}, got ${describe(e[keys[0] as string])}`);
      if (p.from === undefined) bad('from', 'is required with every: the first due date (YYYY-MM-DD)');
    }
    if (p.timezone !== undefined && (typeof p.timezone !== 'string' || !IANAZone.isValidZone(p.timezone))) bad('timezone', `must be an IANA zone such as Europe/Oslo, got ${describe(p.timezone)}`);
    const zone = planZone({ timezone: typeof p.timezone === 'string' ? p.timezone : undefined, level: typeof p.level === 'string' ? p.level : undefined }, calendars, policies);
    if (!zone) bad('timezone', 'is needed: the contract has no calendar to take the zone from');
    if (p.from !== undefined && (typeof p.from !== 'string' || !localDay(p.from, 'UTC'))) bad('from', `must be a date YYYY-MM-DD between 2000 and 2999, got ${describe(p.from)}`);
    if (p.window !== undefined) {
      const w = p.window;
      if (!isPlainObject(w)) bad('window', `must be {"daysBefore": n, "daysAfter": n}, got ${describe(w)}`);
      else
        for (const k of Object.keys(w)) {
          if (k !== 'daysBefore' && k !== 'daysAfter') bad(`window.${k}`, 'unknown field (allowed: daysBefore, daysAfter)');
          else if (!wholeIn(w[k], 0, 180)) bad(`window.${k}`, `must be a whole number of days from 0 to 180, got ${describe(w[k])}`);
        }
    }
    if (p.noticeDays !== undefined && !wholeIn(p.noticeDays, 0, 180)) bad('noticeDays', `must be a whole number of days from 0 to 180, got ${describe(p.noticeDays)}`);
  });
  return issues;
}

/** The plans of a (valid) section that apply to a contract with this default policy (its service level). */
export function activePlans(section: unknown, defaultPolicy: string | null): MaintenancePlan[] {
  if (!Array.isArray(section)) return [];
  return (section as MaintenancePlan[]).filter((p) => p.level === undefined || p.level === defaultPolicy);
}

/** The step between two due dates, as a luxon duration object. */
function step(plan: MaintenancePlan): { months: number } | { weeks: number } {
  if (plan.perYear !== undefined) return { months: 12 / plan.perYear };
  return plan.every?.weeks !== undefined ? { weeks: plan.every.weeks } : { months: plan.every?.months ?? 12 };
}

/** The n-th due date (n = 0 is `from`), always counted from the first so that a 31st stays the 31st where the month has one. */
function nth(first: DateTime, s: { months: number } | { weeks: number }, n: number): DateTime {
  return 'months' in s ? first.plus({ months: s.months * n }) : first.plus({ weeks: s.weeks * n });
}

/** A planned visit of `plan` due on the local day `due`. */
function visitOn(plan: MaintenancePlan, due: DateTime, zone: string): PlannedVisit {
  const start = due.minus({ days: plan.window?.daysBefore ?? 0 }).startOf('day');
  const end = due.plus({ days: (plan.window?.daysAfter ?? 14) + 1 }).startOf('day');
  const notice = start.minus({ days: plan.noticeDays ?? 14 }).set({ hour: NOTICE_HOUR });
  return {
    planId: plan.id,
    kind: plan.kind,
    due: due.toFormat('yyyy-MM-dd'),
    timezone: zone,
    windowStart: start.toMillis(),
    windowEnd: end.toMillis(),
    noticeAt: notice.toMillis(),
    assignee: plan.assignee ?? null,
    title: plan.title ?? plan.kind,
  };
}

/**
 * The visits of `plan` whose window overlaps [from, to) (instants), in date
 * order. `zone` is the plan's zone (`planZone`). A plan without `from` and
 * with `perYear` is aligned to the 1st of January (4 a year: Jan, Apr, Jul, Oct 1st).
 */
export function plannedVisits(plan: MaintenancePlan, zone: string, from: number, to: number): PlannedVisit[] {
  const first = localDay(plan.from ?? '2000-01-01', zone);
  if (!first || to <= from) return [];
  const s = step(plan);
  const out: PlannedVisit[] = [];
  // Start a little before the first date whose window can reach `from` (windows are at most 181 days long).
  const reach = DateTime.fromMillis(from, { zone }).minus({ days: 200 });
  let n = 0;
  if (reach > first) {
    const gone = 'months' in s ? (reach.year - first.year) * 12 + reach.month - first.month : Math.floor(reach.diff(first, 'weeks').weeks);
    n = Math.max(0, Math.floor(gone / ('months' in s ? s.months : s.weeks)) - 1);
  }
  for (let guard = 0; guard < 10_000; guard++, n++) {
    const due = nth(first, s, n);
    const v = visitOn(plan, due, zone);
    if (v.windowStart >= to) break;
    if (v.windowEnd > from) out.push(v);
  }
  return out;
}

/** The planned visit of `plan` due on `due` (YYYY-MM-DD), or null when no due date of the plan falls on it. */
export function visitDueOn(plan: MaintenancePlan, zone: string, due: string): PlannedVisit | null {
  const d = localDay(due, zone);
  if (!d) return null;
  return plannedVisits(plan, zone, d.toMillis(), d.plus({ days: 1 }).toMillis()).find((v) => v.due === due) ?? null;
}

/**
 * A planned visit is a ticket of its own kind. What makes it one travels in
 * the ticket's intake values (they sync with the ticket to every device and
 * the server): these keys, read back with `visitOf`.
 */
export const VISIT_INTAKE = { kind: 'visit_kind', plan: 'visit_plan', due: 'visit_due', windowStart: 'visit_window_start', windowEnd: 'visit_window_end', noticeAt: 'visit_notice' } as const;

/** A ticket's visit facts (from its intake values), or null for an ordinary call. */
export interface VisitFacts {
  kind: VisitKind;
  planId: string;
  due: string;
  windowStart: number;
  windowEnd: number;
  /** When the assignee is alerted (the plan's notice). */
  noticeAt: number;
}

export function visitIntake(v: PlannedVisit): Record<string, string> {
  return {
    [VISIT_INTAKE.kind]: v.kind,
    [VISIT_INTAKE.plan]: v.planId,
    [VISIT_INTAKE.due]: v.due,
    [VISIT_INTAKE.windowStart]: formatInstant(v.windowStart),
    [VISIT_INTAKE.windowEnd]: formatInstant(v.windowEnd),
    [VISIT_INTAKE.noticeAt]: formatInstant(v.noticeAt),
  };
}

export function visitOf(intake: Readonly<Record<string, string | null | undefined>>): VisitFacts | null {
  const kind = intake[VISIT_INTAKE.kind];
  if (!(VISIT_KINDS as readonly unknown[]).includes(kind)) return null;
  const ws = parseInstant(intake[VISIT_INTAKE.windowStart]);
  const we = parseInstant(intake[VISIT_INTAKE.windowEnd]);
  const planId = intake[VISIT_INTAKE.plan];
  const due = intake[VISIT_INTAKE.due];
  if (!planId || !due || ws === null || we === null) return null;
  return { kind: kind as VisitKind, planId, due, windowStart: ws, windowEnd: we, noticeAt: parseInstant(intake[VISIT_INTAKE.noticeAt]) ?? ws };
}

/** The identity of a planned visit: the same on every device (the ticket id is derived from it). */
export function visitKey(contractId: string, planId: string, due: string): string {
  return `visit|${contractId}|${planId}|${due}`;
}

/**
 * JSON boundary of the engine: contract files (`checkContract`,
 * `loadContract`) and one line of `vakt sla eval` (`evalCase`).
 */
import { validateCalendar } from './calendar.js';
import { CalendarCache } from './calendar-cache.js';
import type { CompiledCalendar } from './calendar.js';
import { SlaError, describe, formatIssue, idIssue, isPlainObject, issue, own, prefixIssues } from './errors.js';
import type { SlaErrorCode, ValidationIssue } from './errors.js';
import { evaluateTicket } from './evaluate.js';
import type { TargetStatus, TraceItem, WarningOptions } from './evaluate.js';
import { parseEvents } from './events.js';
import { METRICS, parsePolicy } from './policy.js';
import type { Policy } from './policy.js';
import { formatInstant, parseInstant } from './time.js';
import { INSTANT_RANGE_TEXT, instantInRange } from '../time-range.js';
import { servicesIssues } from '../agreements/availability.js';
import { checkMaintenance } from '../agreements/maintenance.js';
import { REPORTS_WARRANTY_KEYS, reportsWarrantyIssues } from '../agreements/reports-warranty.js';

/** Calendars and policies, compiled and normalised. */
export interface Contract {
  calendars: Map<string, CompiledCalendar>;
  policies: Map<string, Policy>;
}

const defaultCache = new CalendarCache(512);

function pathKey(prefix: string, id: string): string {
  return /^[A-Za-z0-9_-]+$/.test(id) ? `${prefix}.${id}` : `${prefix}[${JSON.stringify(id)}]`;
}

/** Validates a `calendars` map. */
function checkCalendars(json: unknown): { issues: ValidationIssue[]; ids: Set<string> } {
  const issues: ValidationIssue[] = [];
  const ids = new Set<string>();
  if (!isPlainObject(json)) {
    issues.push(issue('calendars', 'calendarsNotMap', { got: describe(json) }));
    return { issues, ids };
  }
  for (const [id, cal] of Object.entries(json)) {
    const bad = idIssue(pathKey('calendars', id), id);
    if (bad) {
      issues.push(bad);
      continue;
    }
    ids.add(id);
    issues.push(...prefixIssues(pathKey('calendars', id), validateCalendar(cal, id)));
  }
  return { issues, ids };
}

/** Validates a `policies` map against the calendar ids. */
function checkPolicies(json: unknown, calendarIds: Set<string>): { issues: ValidationIssue[]; policies: Map<string, Policy> } {
  const issues: ValidationIssue[] = [];
  const policies = new Map<string, Policy>();
  if (!isPlainObject(json)) {
    issues.push(issue('policies', 'policiesNotMap', { got: describe(json) }));
    return { issues, policies };
  }
  for (const [id, pol] of Object.entries(json)) {
    const bad = idIssue(pathKey('policies', id), id);
    if (bad) {
      issues.push(bad);
      continue;
    }
    const local: ValidationIssue[] = [];
    const p = parsePolicy(pol, id, calendarIds, local);
    issues.push(...prefixIssues(pathKey('policies', id), local));
    if (p) policies.set(id, p);
  }
  return { issues, policies };
}

const CONTRACT_KEYS = new Set(['name', 'description', 'calendars', 'policies', 'wording', 'criticalPolicy', 'services', 'maintenance', ...REPORTS_WARRANTY_KEYS]);

/**
 * Checks a contract file `{ calendars, policies, name?, description?, wording?, criticalPolicy? }`
 * (`criticalPolicy`: the policy a call marked "critical fault" gets; it must name a policy).
 * Returns every problem with its path (e.g. `calendars.dk-office.week.tue[1]`);
 * an empty list means the contract is valid.
 */
export function checkContract(json: unknown): ValidationIssue[] {
  if (!isPlainObject(json)) return [issue('', 'contractNotObject', { got: describe(json) })];
  const issues: ValidationIssue[] = [];
  for (const k of Object.keys(json)) if (!CONTRACT_KEYS.has(k)) issues.push(issue(k, 'unknownField', { allowed: [...CONTRACT_KEYS].join(', ') }));
  for (const k of ['name', 'description'] as const) if (json[k] !== undefined && typeof json[k] !== 'string') issues.push(issue(k, 'mustBeString'));
  const cals = checkCalendars(json.calendars);
  issues.push(...cals.issues);
  const pols = checkPolicies(json.policies, cals.ids);
  issues.push(...pols.issues);
  issues.push(...checkMaintenance(json.maintenance, json.calendars, json.policies));
  issues.push(...reportsWarrantyIssues(json));
  if (json.criticalPolicy !== undefined && json.criticalPolicy !== null) {
    const cp = json.criticalPolicy;
    if (typeof cp !== 'string' || !cp) issues.push(issue('criticalPolicy', 'mustNamePolicy', { got: describe(cp) }));
    else if (!(isPlainObject(json.policies) && Object.hasOwn(json.policies, cp))) issues.push(issue('criticalPolicy', 'namesNoPolicy', { id: cp }));
  }
  issues.push(...servicesIssues(json.services, cals.ids));
  if (json.wording !== undefined) {
    if (!isPlainObject(json.wording)) issues.push(issue('wording', 'wordingNotMap', { got: describe(json.wording) }));
    else
      for (const [k, v] of Object.entries(json.wording)) {
        const p = `wording[${JSON.stringify(k)}]`;
        if (typeof v !== 'string' || !v.trim()) issues.push(issue(p, 'nonEmptyString'));
        const dot = k.lastIndexOf('.');
        const polId = dot > 0 && (METRICS as readonly string[]).includes(k.slice(dot + 1)) ? k.slice(0, dot) : k;
        const metric = polId === k ? null : k.slice(dot + 1);
        const pol = isPlainObject(json.policies) ? own(json.policies, polId) : undefined;
        if (pol === undefined) issues.push(issue(p, 'namesNoPolicy', { id: polId }));
        else if (metric && !(isPlainObject(pol) && isPlainObject(pol.targets) && own(pol.targets, metric) !== undefined)) issues.push(issue(p, 'policyHasNoTarget', { policy: polId, metric }));
      }
  }
  return issues;
}

/**
 * Validates and compiles a contract's calendars and policies (through `cache`).
 * Throws `SlaError` with code invalid_calendar / invalid_policy.
 */
export function loadContract(json: { calendars?: unknown; policies?: unknown }, cache: CalendarCache = defaultCache): Contract {
  const cals = checkCalendars(json.calendars);
  if (cals.issues.length) throw new SlaError('invalid_calendar', cals.issues);
  const calendars = new Map<string, CompiledCalendar>();
  for (const [id, cal] of Object.entries(json.calendars as Record<string, unknown>)) calendars.set(id, cache.get(cal, id));
  const pols = checkPolicies(json.policies, cals.ids);
  if (pols.issues.length) throw new SlaError('invalid_policy', pols.issues);
  return { calendars, policies: pols.policies };
}

/** A trace item as JSON (instants as UTC ISO strings). */
export type TraceItemJson = { kind: 'counted' | 'closed' | 'paused' | 'resolved'; from: string; to: string; minutes: number; note?: string } | { kind: 'rule'; note: string; at?: string };

/** One target of an eval result line (§5). */
export interface TargetResultJson {
  metric: string;
  state: string;
  dueAt: string | null;
  stoppedAt: string | null;
  breached: boolean;
  elapsedMinutes: number;
  remainingMinutes: number | null;
  missed?: number;
  warnAt?: string[];
  trace?: TraceItemJson[];
}

/** One result line of `vakt sla eval`. */
export type EvalResultJson = { id?: unknown; targets: TargetResultJson[]; nextChangeAt?: string | null } | { id?: unknown; error: { code: SlaErrorCode; message: string } };

export interface EvalOptions {
  /** Add each target's `trace`. */
  explain?: boolean;
  /** Add `warnAt` per target and `nextChangeAt` per case. */
  schedule?: boolean;
  warnings?: WarningOptions;
  cache?: CalendarCache;
  /** Line number for messages about the line itself (`vakt sla eval`). */
  line?: number;
}

const iso = (t: number | null): string | null => (t === null ? null : formatInstant(t));

function traceJson(items: TraceItem[]): TraceItemJson[] {
  return items.map((i) =>
    i.kind === 'rule'
      ? i.at === undefined
        ? { kind: 'rule', note: i.note }
        : { kind: 'rule', note: i.note, at: formatInstant(i.at) }
      : { kind: i.kind, from: formatInstant(i.from), to: formatInstant(i.to), minutes: i.minutes, ...(i.note ? { note: i.note } : {}) },
  );
}

/** A target status as the spec's JSON (§5). */
export function targetJson(t: TargetStatus, opts: { schedule?: boolean } = {}): TargetResultJson {
  const out: TargetResultJson = {
    metric: t.metric,
    state: t.state,
    dueAt: iso(t.dueAt),
    stoppedAt: iso(t.stoppedAt),
    breached: t.breached,
    elapsedMinutes: t.elapsedMinutes,
    remainingMinutes: t.remainingMinutes,
  };
  if (t.missed !== undefined) out.missed = t.missed;
  if (opts.schedule) out.warnAt = t.warnAt.map(formatInstant);
  if (t.trace) out.trace = traceJson(t.trace);
  return out;
}

function errorResult(id: unknown, code: SlaErrorCode, issues: ValidationIssue[]): EvalResultJson {
  const message = issues.map(formatIssue).join('; ');
  return id === undefined ? { error: { code, message } } : { id, error: { code, message } };
}

/**
 * Evaluates one case of `vakt sla eval` (already parsed from JSON) and returns
 * its result line as an object. Never throws for bad input: returns an error result.
 */
export function evalCase(json: unknown, options: EvalOptions = {}): EvalResultJson {
  if (!isPlainObject(json)) return errorResult(undefined, 'invalid_json', [{ path: '', message: `a case must be a JSON object, got ${describe(json)}` }]);
  const id = json.id;
  let contract: Contract;
  try {
    contract = loadContract(json, options.cache ?? defaultCache);
  } catch (e) {
    if (e instanceof SlaError) return errorResult(id, e.code, e.issues);
    throw e;
  }
  const issues: ValidationIssue[] = [];
  const events = parseEvents(json.events, new Set(contract.policies.keys()), issues);
  const now = parseInstant(json.now);
  if (now === null) issues.push({ path: 'now', message: `must be an ISO-8601 time with an offset, got ${describe(json.now)}` });
  else if (!instantInRange(now)) issues.push({ path: 'now', message: `must be ${INSTANT_RANGE_TEXT}, got ${describe(json.now)}` });
  if (issues.length || now === null) return errorResult(id, 'invalid_events', issues);
  const res = evaluateTicket({
    events,
    policies: contract.policies,
    calendars: contract.calendars,
    now,
    explain: options.explain === true,
    ...(options.warnings ? { warnings: options.warnings } : {}),
  });
  const targets = res.targets.map((t) => targetJson(t, { schedule: options.schedule === true }));
  const out: EvalResultJson = id === undefined ? { targets } : { id, targets };
  if (options.schedule) (out as { nextChangeAt?: string | null }).nextChangeAt = iso(res.nextChangeAt);
  return out;
}

/** Parses one line of JSON and evaluates it; unparsable lines give an `invalid_json` result. */
export function evalLine(line: string, options: EvalOptions = {}): EvalResultJson {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (e) {
    return { error: { code: 'invalid_json', message: `${options.line !== undefined ? `line ${options.line}: ` : ''}not valid JSON: ${(e as Error).message}` } };
  }
  return evalCase(json, options);
}

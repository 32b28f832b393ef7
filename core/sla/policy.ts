/**
 * Policies (§3) and durations (§2): the contract's promises, validated.
 */
import { describe, isPlainObject, issue, namingIssues } from './errors.js';
import type { ValidationIssue } from './errors.js';
import { HOUR, MINUTE, parseHHMM } from './time.js';

/** Ticket statuses (§5). */
import { TICKET_STATUSES, type TicketStatus, isClosedStatus } from '../domain/ticket-status.js';
import { SLA_METRICS, type Metric } from '../domain/ticket-vocabulary.js';
export const STATUSES = TICKET_STATUSES;
export type Status = TicketStatus;

/** A duration in the contract format (§2). */
export type DurationJson = { minutes: number } | { hours: number } | { businessDays: number } | { nextBusinessDay: { cutoff: string } };

/** A duration, normalised. */
export type Duration = { kind: 'open'; ms: number; text: string } | { kind: 'businessDays'; days: number; text: string } | { kind: 'nextBusinessDay'; cutoffMs: number; cutoff: string; text: string };

export interface ResponseTargetJson {
  within: DurationJson;
  calendar?: string;
  pausable?: boolean;
}
export interface ResolutionTargetJson {
  within: DurationJson;
  calendar?: string;
  pausable?: boolean;
  startsAt?: 'created' | 'response';
}
export interface UpdateTargetJson {
  first: DurationJson;
  every: DurationJson;
  calendar?: string;
  pausable?: boolean;
  startsAt?: 'created' | 'response';
}

/** A policy in the contract format (§3). */
export interface PolicyJson {
  id?: string;
  name?: string;
  description?: string;
  calendar: string;
  pauseWhen?: Status[];
  targets: { response?: ResponseTargetJson; resolution?: ResolutionTargetJson; update?: UpdateTargetJson };
}

export type { Metric };
export const METRICS: readonly Metric[] = SLA_METRICS;

/** A target, normalised: defaults applied, durations parsed. */
export interface Target {
  metric: Metric;
  calendar: string;
  pausable: boolean;
  startsAt: 'created' | 'response';
  /** response / resolution: the promise; update: the first update. */
  within: Duration;
  /** update only: the interval between updates. */
  every: Duration | null;
}

/** A policy, normalised. */
export interface Policy {
  id: string;
  name: string | undefined;
  calendar: string;
  pauseWhen: ReadonlySet<Status>;
  targets: Target[];
}

const POLICY_KEYS = new Set(['id', 'name', 'description', 'calendar', 'pauseWhen', 'targets']);
const TARGET_KEYS: Record<Metric, Set<string>> = {
  response: new Set(['within', 'calendar', 'pausable']),
  resolution: new Set(['within', 'calendar', 'pausable', 'startsAt']),
  update: new Set(['first', 'every', 'calendar', 'pausable', 'startsAt']),
};

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

/** Parses a duration; pushes issues and returns null when invalid. */
export function parseDuration(v: unknown, path: string, issues: ValidationIssue[], openOnly = false): Duration | null {
  const kinds = openOnly ? 'minutes or hours' : 'minutes, hours, businessDays or nextBusinessDay';
  if (!isPlainObject(v)) {
    issues.push(issue(path, 'durationNotObject', { kinds, got: describe(v) }));
    return null;
  }
  const keys = Object.keys(v);
  if (keys.length !== 1) {
    issues.push(issue(path, 'durationOneOf', { kinds, got: keys.length ? keys.join(', ') : 'none' }));
    return null;
  }
  const k = keys[0] as string;
  const val = v[k];
  const p = `${path}.${k}`;
  if (k === 'minutes' || k === 'hours') {
    if (typeof val !== 'number' || !Number.isFinite(val)) {
      issues.push(issue(p, 'notNumber', { got: describe(val) }));
      return null;
    }
    if (val < 0) {
      issues.push(issue(p, 'negative', { got: val }));
      return null;
    }
    const ms = Math.round(val * (k === 'hours' ? HOUR : MINUTE));
    return { kind: 'open', ms, text: k === 'hours' ? plural(val, 'hour') : plural(val, 'minute') };
  }
  if (openOnly && (k === 'businessDays' || k === 'nextBusinessDay')) {
    issues.push(issue(p, 'updateOpenTime', { kind: k }));
    return null;
  }
  if (k === 'businessDays') {
    if (typeof val !== 'number' || !Number.isInteger(val)) {
      issues.push(issue(p, 'wholeBusinessDays', { got: describe(val) }));
      return null;
    }
    if (val < 0) {
      issues.push(issue(p, 'negative', { got: val }));
      return null;
    }
    return { kind: 'businessDays', days: val, text: plural(val, 'business day') };
  }
  if (k === 'nextBusinessDay') {
    if (!isPlainObject(val) || Object.keys(val).some((x) => x !== 'cutoff')) {
      issues.push(issue(p, 'cutoffNotObject', { got: describe(val) }));
      return null;
    }
    const c = parseHHMM(val.cutoff);
    if (c === null) {
      issues.push(issue(`${p}.cutoff`, 'cutoffTime', { got: describe(val.cutoff) }));
      return null;
    }
    return { kind: 'nextBusinessDay', cutoffMs: c, cutoff: val.cutoff as string, text: `next business day (cut-off ${String(val.cutoff)})` };
  }
  issues.push(issue(p, 'durationKind', { kinds }));
  return null;
}

/**
 * Validates a policy (§3). `calendarIds` are the calendars it may name.
 * Returns the normalised policy, or null with the issues pushed
 * (paths relative to the policy, e.g. `targets.resolution.within.hours`).
 */
export function parsePolicy(json: unknown, key: string | undefined, calendarIds: ReadonlySet<string>, issues: ValidationIssue[]): Policy | null {
  const before = issues.length;
  if (!isPlainObject(json)) {
    issues.push(issue('', 'policyNotObject', { got: describe(json) }));
    return null;
  }
  for (const k of Object.keys(json)) if (!POLICY_KEYS.has(k)) issues.push(issue(k, 'unknownField', { allowed: [...POLICY_KEYS].join(', ') }));
  issues.push(...namingIssues(json, key, 'policy'));
  const checkCal = (v: unknown, path: string): void => {
    if (typeof v !== 'string') issues.push(issue(path, 'mustNameCalendar', { got: describe(v) }));
    else if (!calendarIds.has(v)) issues.push(calendarIds.size ? issue(path, 'unknownCalendar', { id: v, known: [...calendarIds].join(', ') }) : issue(path, 'unknownCalendarNone', { id: v }));
  };
  checkCal(json.calendar, 'calendar');
  const pauseWhen = new Set<Status>();
  if (json.pauseWhen !== undefined) {
    if (!Array.isArray(json.pauseWhen)) issues.push(issue('pauseWhen', 'statusList', { got: describe(json.pauseWhen) }));
    else
      json.pauseWhen.forEach((s, i) => {
        if (!(STATUSES as readonly unknown[]).includes(s)) issues.push(issue(`pauseWhen[${i}]`, 'unknownStatus', { got: describe(s), allowed: STATUSES.join(', ') }));
        else if (isClosedStatus(s)) issues.push(issue(`pauseWhen[${i}]`, 'stopsNotPauses', { status: s }));
        else pauseWhen.add(s as Status);
      });
  }
  const targets: Target[] = [];
  if (!isPlainObject(json.targets)) {
    issues.push(issue('targets', 'targetsNotObject', { got: describe(json.targets) }));
  } else {
    for (const k of Object.keys(json.targets)) {
      if (!(METRICS as readonly string[]).includes(k)) issues.push(issue(`targets.${k}`, 'unknownTarget'));
    }
    for (const metric of METRICS) {
      const t = json.targets[metric];
      if (t === undefined) continue;
      const p = `targets.${metric}`;
      if (!isPlainObject(t)) {
        issues.push(issue(p, 'mustBeObject', { got: describe(t) }));
        continue;
      }
      for (const k of Object.keys(t)) if (!TARGET_KEYS[metric].has(k)) issues.push(issue(`${p}.${k}`, 'unknownField', { allowed: [...TARGET_KEYS[metric]].join(', ') }));
      if (t.calendar !== undefined) checkCal(t.calendar, `${p}.calendar`);
      if (t.pausable !== undefined && typeof t.pausable !== 'boolean') issues.push(issue(`${p}.pausable`, 'mustBeBoolean', { got: describe(t.pausable) }));
      if (t.startsAt !== undefined && t.startsAt !== 'created' && t.startsAt !== 'response') issues.push(issue(`${p}.startsAt`, 'startsAt', { got: describe(t.startsAt) }));
      const pausable = typeof t.pausable === 'boolean' ? t.pausable : metric !== 'response';
      let within: Duration | null;
      let every: Duration | null = null;
      if (metric === 'update') {
        within = parseDuration(t.first, `${p}.first`, issues, true);
        every = parseDuration(t.every, `${p}.every`, issues, true);
        if (every && every.kind === 'open' && every.ms <= 0) {
          issues.push(issue(`${p}.every`, 'moreThanZero'));
          every = null;
        }
      } else {
        within = parseDuration(t.within, `${p}.within`, issues);
        if (within && within.kind !== 'open' && pausable) {
          issues.push(t.pausable === undefined ? issue(`${p}.pausable`, 'notPausableByDefault', { kind: within.kind, metric }) : issue(`${p}.pausable`, 'notPausable', { kind: within.kind }));
        }
      }
      if (within && (metric !== 'update' || every)) {
        targets.push({
          metric,
          calendar: typeof t.calendar === 'string' ? t.calendar : (json.calendar as string),
          pausable,
          startsAt: t.startsAt === 'response' ? 'response' : 'created',
          within,
          every,
        });
      }
    }
  }
  if (issues.length > before) return null;
  return { id: key ?? (json.id as string), name: json.name as string | undefined, calendar: json.calendar as string, pauseWhen, targets };
}

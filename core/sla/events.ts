/**
 * Ticket events (§5): parsing and validation.
 */
import { SLA_EVENT_TYPES } from '../domain/ticket-vocabulary.js';
import { describe, isPlainObject } from './errors.js';
import type { ValidationIssue } from './errors.js';
import { STATUSES } from './policy.js';
import type { Status } from './policy.js';
import { parseInstant } from './time.js';
import { INSTANT_RANGE_TEXT, instantInRange } from '../time-range.js';

/** A ticket event with its time as epoch ms. */
export type TicketEvent =
  | { type: 'created'; at: number; policy: string }
  | { type: 'responded'; at: number }
  | { type: 'status'; at: number; status: Status }
  | { type: 'update_logged'; at: number }
  | { type: 'policy_changed'; at: number; policy: string };

export { SLA_EVENT_TYPES as EVENT_TYPES };

/**
 * Parses the `events` list of a case. Times must carry an offset; exactly one
 * `created`; no event before it; policies must be among `policyIds`.
 * Extra fields on an event are ignored (the app may store more).
 */
export function parseEvents(json: unknown, policyIds: ReadonlySet<string>, issues: ValidationIssue[]): TicketEvent[] {
  const out: TicketEvent[] = [];
  if (!Array.isArray(json)) {
    issues.push({ path: 'events', message: `must be a list of events, got ${describe(json)}` });
    return out;
  }
  const before = issues.length;
  json.forEach((e, i) => {
    const p = `events[${i}]`;
    if (!isPlainObject(e)) {
      issues.push({ path: p, message: `must be an object, got ${describe(e)}` });
      return;
    }
    let at = parseInstant(e.at);
    if (at === null) {
      issues.push({ path: `${p}.at`, message: `must be an ISO-8601 time with an offset (e.g. "2026-03-30T09:00:00+02:00"), got ${describe(e.at)}` });
    } else if (!instantInRange(at)) {
      issues.push({ path: `${p}.at`, message: `must be ${INSTANT_RANGE_TEXT}, got ${describe(e.at)}` });
      at = null;
    }
    const checkPolicy = (): string | null => {
      if (typeof e.policy !== 'string') {
        issues.push({ path: `${p}.policy`, message: `must name a policy, got ${describe(e.policy)}` });
        return null;
      }
      if (!policyIds.has(e.policy)) {
        issues.push({ path: `${p}.policy`, message: `unknown policy "${e.policy}" (known: ${[...policyIds].join(', ') || 'none'})` });
        return null;
      }
      return e.policy;
    };
    switch (e.type) {
      case 'created':
      case 'policy_changed': {
        const pol = checkPolicy();
        if (pol !== null && at !== null) out.push({ type: e.type, at, policy: pol });
        break;
      }
      case 'responded':
      case 'update_logged':
        if (at !== null) out.push({ type: e.type, at });
        break;
      case 'status':
        if (!(STATUSES as readonly unknown[]).includes(e.status)) {
          issues.push({ path: `${p}.status`, message: `unknown status ${describe(e.status)} (use ${STATUSES.join(', ')})` });
        } else if (at !== null) out.push({ type: 'status', at, status: e.status as Status });
        break;
      default:
        issues.push({ path: `${p}.type`, message: `unknown event type ${describe(e.type)} (use ${SLA_EVENT_TYPES.join(', ')})` });
    }
  });
  if (issues.length > before) return out;
  const created = json.flatMap((e, i) => (isPlainObject(e) && e.type === 'created' ? [i] : []));
  if (created.length === 0) {
    issues.push({ path: 'events', message: 'needs exactly one "created" event, found none' });
    return out;
  }
  if (created.length > 1) {
    issues.push({ path: `events[${created[1] as number}]`, message: `a second "created" event (the first is events[${created[0] as number}])` });
    return out;
  }
  const c = out.find((e) => e.type === 'created') as TicketEvent;
  out.forEach((e, i) => {
    if (e.at < c.at) issues.push({ path: `events[${i}].at`, message: `is before the "created" event (${String((json[created[0] as number] as Record<string, unknown>).at)})` });
  });
  return out;
}

/**
 * Checks of a pushed mutation beyond its zod schema, made before anything of it
 * is stored or any SLA state is re-derived (push.ts):
 *
 * - Instants that happened (a ticket's `createdAt`, an event's `at`, a record's
 *   `createdAt`) lie in the supported range (core/time-range.ts) and no later
 *   than the server's clock plus the allowed skew (`MAX_CLOCK_AHEAD_MS`). One far
 *   instant would otherwise make the SLA engine walk to it while the push holds
 *   the server.
 * - A record passes the checks the app makes (core/sync/records.ts): a contract
 *   whose calendars or policies the engine cannot load is refused, so no device
 *   pulls a contract that stops it from starting.
 *
 * A failed check is a `MutationProblem`: the reject reason and a message that
 * names the field.
 */
import { decodeHlc } from '../core/ids/hlc.js';
import { END_OF_RANGE_MS, INSTANT_RANGE_TEXT, instantInRange } from '../core/time-range.js';
import { MAX_CLOCK_AHEAD_MS } from '../core/sync/protocol.js';
import type { RejectReason } from '../core/sync/protocol.js';
import type { MutationKey, MutationPayload } from '../core/sync/mutations.js';
import { recordIssues } from '../core/sync/records.js';
import { sizeIssue } from '../core/sync/limits.js';

type ZodIssueLike = Parameters<typeof sizeIssue>[0];

export interface MutationProblem {
  reason: RejectReason;
  message: string;
}

export function iso(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms);
}

export function span(ms: number): string {
  const units: [number, string][] = [
    [365.25 * 86_400_000, 'years'],
    [86_400_000, 'days'],
    [3_600_000, 'hours'],
    [60_000, 'minutes'],
  ];
  for (const [size, name] of units) if (ms >= 2 * size) return `${Math.floor(ms / size)} ${name}`;
  return `${Math.ceil(ms / 60_000)} minute(s)`;
}

/** An instant that happened: in the supported range and not after `now` plus the allowed skew. */
export function instantProblem(path: string, ms: number, now: number): MutationProblem | null {
  if (!instantInRange(ms)) return { reason: 'invalid_payload', message: `${path}: ${iso(ms)} is not ${INSTANT_RANGE_TEXT}` };
  const limit = Math.min(now + MAX_CLOCK_AHEAD_MS, END_OF_RANGE_MS - 1);
  if (ms > limit) {
    return {
      reason: 'clock_ahead',
      message: `${path}: ${iso(ms)} is ${span(ms - now)} ahead of the server's clock (at most ${span(MAX_CLOCK_AHEAD_MS)} allowed); check this device's clock and redo the change.`,
    };
  }
  return null;
}

/**
 * The mutation's HLC: its node must be the pushing device (the server's id for it), so no device
 * stamps a change in another's name, and its wall time may be at most `MAX_CLOCK_AHEAD_MS` ahead of
 * the server's clock, so no device wins every last-writer-wins field by running its clock ahead.
 * Checked before anything of the mutation is stored; a refused mutation never moves the tenant's HLC.
 */
export function hlcProblem(hlc: string, deviceId: string, now: number): MutationProblem | null {
  const h = decodeHlc(hlc);
  if (h.node !== deviceId) {
    return {
      reason: 'foreign_hlc',
      message: `hlc: the change is stamped with device ${JSON.stringify(h.node.slice(0, 100))}, not this device (${deviceId}); a device stamps its changes with its own id.`,
    };
  }
  if (h.wall > now + MAX_CLOCK_AHEAD_MS) {
    return {
      reason: 'clock_ahead',
      message: `This device's clock is ${span(h.wall - now)} ahead of the server's (at most ${span(MAX_CLOCK_AHEAD_MS)} allowed); set the clock right and redo the change.`,
    };
  }
  return null;
}

/**
 * A payload its zod schema refused: `too_large` when the first issue is a size limit (core/sync/limits.ts),
 * else `invalid_payload`; the message names the field.
 */
export function schemaProblem(issues: readonly ZodIssueLike[]): MutationProblem {
  const i = issues[0];
  const where = i?.path.map((p) => (String(p).length > 40 ? `${String(p).slice(0, 40)}…` : String(p))).join('.') || 'payload'; // a key may be megabytes
  const size = i ? sizeIssue(i) : null;
  if (size) return { reason: 'too_large', message: `${where}: ${size.message} (docs/sync.md, Limits)` };
  return { reason: 'invalid_payload', message: `${where}: ${i?.message ?? 'invalid'}` };
}

/** The first problem of a parsed mutation the schema cannot see, or null. */
export function mutationProblem(key: MutationKey, payload: unknown, now: number): MutationProblem | null {
  switch (key) {
    case 'ticket.create@1':
    case 'ticket.create@2':
      return instantProblem('createdAt', (payload as MutationPayload<'ticket.create@2'>).createdAt, now);
    case 'ticket.event@1':
      return instantProblem('event.at', (payload as MutationPayload<'ticket.event@1'>).event.at, now);
    case 'record.put@1': {
      const m = payload as MutationPayload<'record.put@1'>;
      const first = recordIssues(m.kind, m.data)[0];
      if (first) return { reason: 'invalid_payload', message: `data.${first.path}: ${first.message}` };
      return instantProblem('data.createdAt', m.data.createdAt as number, now);
    }
    case 'alert.ack@1': {
      const m = payload as MutationPayload<'alert.ack@1'>;
      return instantProblem('at', m.at, now) ?? (m.until != null ? instantProblem('until', m.until, now + 24 * 3_600_000) : null);
    }
    default:
      return null;
  }
}

/**
 * The instants of an event entered on this device (docs/field.md, docs/desk.md):
 * the event's `at` is not before the ticket was created, and no instant of it
 * (`at`, a time entry's start/end, a visit's arrival/departure, the next
 * callback) is outside the supported range (core/time-range.ts) or later than
 * this device's clock plus the skew the sync server allows
 * (MAX_CLOCK_AHEAD_MS). Pulled events are checked by the server, not here.
 */
import { MAX_CLOCK_AHEAD_MS } from '../../core/sync/protocol.js';
import { instantInRange, OUT_OF_RANGE } from '../../core/time-range.js';
import { ValidationError } from '../errors.js';

const SKEW_TEXT = `${MAX_CLOCK_AHEAD_MS / 60_000} minutes`;

/**
 * Payload fields that hold an instant entered on the device (event type -> fields). Work may start
 * before the ticket is registered (the call comes first), so these are not bound by its creation.
 */
const DATA_INSTANTS: Record<string, readonly string[]> = {
  time_entry: ['start', 'end'],
  visit: ['arrivedAt', 'leftAt'],
};

/** Throws a ValidationError naming the first instant of the event that is out of bounds. */
export function checkEnteredInstants(type: string, at: number, data: Record<string, unknown>, createdAt: number, now: number): void {
  const latest = now + MAX_CLOCK_AHEAD_MS;
  const check = (ms: number, path: string) => {
    if (!instantInRange(ms)) throw new ValidationError(OUT_OF_RANGE, path);
    if (ms > latest) throw new ValidationError(`is in the future (later than this device's clock plus ${SKEW_TEXT})`, path);
  };
  check(at, 'event.at');
  if (at < createdAt) throw new ValidationError('is before the ticket was created', 'event.at');
  for (const f of DATA_INSTANTS[type] ?? []) {
    const v = data[f];
    if (typeof v === 'number') check(v, `event.data.${f}`);
  }
  // A next callback is planned ahead, but inside the supported range.
  const next = data.nextCallbackAt;
  if (typeof next === 'number' && !instantInRange(next)) throw new ValidationError(OUT_OF_RANGE, 'event.data.nextCallbackAt');
}

/** A ticket's creation instant entered on this device (register's `at`). */
export function checkCreatedAt(at: number, now: number): void {
  if (!instantInRange(at)) throw new ValidationError(OUT_OF_RANGE, 'ticket.at');
  if (at > now + MAX_CLOCK_AHEAD_MS) throw new ValidationError(`is in the future (later than this device's clock plus ${MAX_CLOCK_AHEAD_MS / 3_600_000} hours)`, 'ticket.at');
}

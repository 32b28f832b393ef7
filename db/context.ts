/** What every repository shares: the connection, time, ids, the HLC and the outbox writer. */
import type BetterSqlite3 from 'better-sqlite3';
import type { z } from 'zod';
import type { Clock } from '../core/clock.js';
import type { Hlc } from '../core/ids/hlc.js';
import type { Uuid7Generator } from '../core/ids/uuid7.js';
import type { MutationKey, MutationPayload } from '../core/sync/mutations.js';
import { ValidationError } from './errors.js';

export interface Ctx {
  db: BetterSqlite3.Database;
  clock: Clock;
  newId: Uuid7Generator;
  hlc: Hlc;
  deviceId(): string;
  /** Runs `fn` in an IMMEDIATE transaction (a savepoint when nested). */
  tx<T>(fn: () => T): T;
  /**
   * Writes a mutation to the outbox, typed by its `name@version` (core/sync/mutations.ts); call
   * inside the transaction of the change. Returns the mutation's id.
   */
  mutate<K extends MutationKey>(key: K, payload: MutationPayload<K>, hlc: string): string;
  supportCodeLogN: number;
}

/**
 * Validates `input` against `schema`; throws ValidationError naming the first bad field. For input at
 * an entry that no contract validated (the outbox's mutations, a test's raw input); the repos take
 * their input parsed and do not call it (docs/architecture.md "Where input is validated").
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where: string): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue ? formatPath(issue.path) : '';
  throw new ValidationError(`${issue?.message ?? 'invalid input'}`, path ? `${where}.${path}` : where);
}

export function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}

export function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined) return fallback;
  return JSON.parse(text) as T;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

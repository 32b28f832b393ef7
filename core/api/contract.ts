/**
 * The one API contract between the renderer and the app's services.
 *
 * Each method: a name -> a request schema -> a result schema. Both hosts (the
 * Electron IPC host and the browser shell's HTTP host) validate every request
 * against this contract before a handler sees it. The renderer and preload
 * import only the *types* from here.
 */
import { z } from 'zod';
import { ISSUE_TEXT } from '../domain/issue-keys.js';
import type { IssueKey, IssueValues } from '../domain/issue-keys.js';
import { alertEvents, alertMethods } from './alerts.js';
import { deskEvents, deskMethods } from './desk.js';
import { fieldMethods } from './field.js';
import { oncallMethods } from './oncall.js';
import { reportsMethods } from './reports.js';
import { syncEvents, syncMethods } from './sync.js';
import { agreementsMethods } from './agreements.js';
import { availabilityMethods } from './availability.js';
import { termsMethods } from './terms.js';
import type { KeyedIssue } from '../domain/issue-keys.js';

const empty = z.object({}).strict();

/** A group of contract methods: name -> { request, result } schemas. */
export type MethodGroup = Record<string, { request: z.ZodType; result: z.ZodType }>;

/**
 * The database's background integrity check (PRAGMA quick_check after start and daily, docs/store.md):
 * `pending` until the first check ends; `damaged` names the problems and the backups to restore, newest first.
 */
export const integrityStatusSchema = z.object({
  state: z.enum(['pending', 'ok', 'damaged']),
  checkedAt: z.number().int().nullable(),
  file: z.string(),
  problems: z.array(z.string()),
  backups: z.array(z.string()),
});
export type IntegrityStatus = z.output<typeof integrityStatusSchema>;

const appMethods = {
  'app.info': {
    request: empty,
    result: z.object({
      name: z.string(),
      version: z.string(),
      host: z.enum(['electron', 'browser']),
      dataDir: z.string(),
      now: z.number().int(),
      timezone: z.string(),
    }),
  },
  'app.echo': {
    request: z.object({ text: z.string().max(1000) }).strict(),
    result: z.object({ text: z.string() }),
  },
  'app.integrity': { request: empty, result: integrityStatusSchema },
} as const;

export const methods = {
  ...appMethods,
  ...alertMethods,
  ...deskMethods,
  ...reportsMethods,
  ...fieldMethods,
  ...syncMethods,
  ...oncallMethods,
  ...agreementsMethods,
  ...availabilityMethods,
  ...termsMethods,
} as const;

/** Events the services push to the renderer (SSE in the browser shell, IPC in Electron). */
export const events = {
  'app.heartbeat': z.object({ now: z.number().int() }),
  'app.integrity': integrityStatusSchema,
  ...alertEvents,
  ...deskEvents,
  ...syncEvents,
} as const;

export type Methods = typeof methods;
export type Method = keyof Methods;
export type Request<M extends Method> = z.input<Methods[M]['request']>;
export type Result<M extends Method> = z.output<Methods[M]['result']>;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;
/** One event as the services push it (payload checked against `events` by whoever reads it). */
export interface PushEvent {
  name: EventName;
  payload: unknown;
}

export type ApiErrorCode = 'unknown_method' | 'invalid_request' | 'not_found' | 'conflict' | 'internal';
export interface ApiError {
  code: ApiErrorCode;
  message: string;
  /** Where the input was wrong, e.g. "contacts[1].phone". */
  path?: string;
  /** Every problem of the request (the first is `message`/`path`), so a form shows them all at once. */
  issues?: ApiIssue[];
}
/**
 * One problem of a request at its field. `key` (with `values`) names the kind
 * of problem so the renderer can say it in the user's language; `message` is
 * the English text (core/domain/issue-keys.ts).
 */
export type ApiIssue = KeyedIssue;
export type Reply<T> = { ok: true; result: T } | { ok: false; error: ApiError };

/** The IPC channel prefix: the preload may only invoke channels under it. */
export const CHANNEL_PREFIX = 'vakt:';
export const EVENT_CHANNEL = 'vakt-event';

/** What `window.api` looks like (Electron) and what the renderer's transport offers. */
export interface VaktBridge {
  call<M extends Method>(method: M, request: Request<M>): Promise<Reply<Result<M>>>;
  subscribe(listener: (event: PushEvent) => void): () => void;
}

export function isMethod(name: string): name is Method {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

/** A zod issue as an ApiIssue: its path, message and (where known) the kind of problem. */
export function apiIssue(i: z.core.$ZodIssue): ApiIssue {
  const out: ApiIssue = { path: formatPath(i.path), message: i.message };
  if (i.code === 'too_big' && i.origin === 'string') return { ...out, key: 'tooLong', values: { max: Number(i.maximum) } };
  if ((i.code === 'too_small' && i.origin === 'string' && Number(i.minimum) <= 1) || (i.code === 'invalid_type' && i.input === undefined)) return { ...out, key: 'required' };
  const params = i.code === 'custom' ? (i.params as { key?: unknown; values?: IssueValues } | undefined) : undefined;
  const key = params?.key;
  if (key === 'notPhone' || key === 'requiredByContract' || key === 'required') return { ...out, key };
  // A problem of the domain's own checks (e.g. a reserved id, core/id-schema.ts), with its values.
  if (typeof key === 'string' && Object.hasOwn(ISSUE_TEXT, key)) return { ...out, key: key as IssueKey, ...(params?.values ? { values: params.values } : {}) };
  return out;
}

/** Formats a zod issue path as `a.b[2].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

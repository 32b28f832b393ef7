/** Messages between StoreClient (any thread) and the store worker. */
import { errorClasses } from './errors.js';

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  props: Record<string, unknown>;
}

/** One repository call of a batch (StoreClient.batch): `path` is "repo.method". */
export type BatchCall = { path: string; args: unknown[] };

export type Request = { id: number; path: string; args: unknown[]; now: number };
export type Reply = { id: number; ok: true; result: unknown; ms: number } | { id: number; ok: false; error: SerializedError; ms: number };
/** Sent by the worker on its own (no request): something to log, e.g. a background checkpoint that failed. */
export type Notice = { type: 'log'; message: string };
export type Hello = { type: 'ready'; info: unknown } | { type: 'open-failed'; error: SerializedError } | { type: 'upgrading'; from: number; to: number };

export function serializeError(e: unknown): SerializedError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e), props: {} };
  const props: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    if (k === 'name' || k === 'message' || k === 'stack') continue;
    try {
      structuredClone(v);
      props[k] = v;
    } catch {
      // not transferable; dropped
    }
  }
  const err: SerializedError = { name: e.name, message: e.message, props };
  if (e.stack !== undefined) err.stack = e.stack;
  return err;
}

/** Re-creates the error with its original class when it is one of the store's, else a plain Error with the same name. */
export function deserializeError(s: SerializedError): Error {
  const cls = (errorClasses as Record<string, { prototype: Error }>)[s.name];
  const e: Error = cls ? (Object.create(cls.prototype) as Error) : new Error(s.message);
  Object.defineProperty(e, 'message', { value: s.message, writable: true, configurable: true, enumerable: false });
  Object.defineProperty(e, 'name', { value: s.name, writable: true, configurable: true, enumerable: false });
  if (s.stack !== undefined) Object.defineProperty(e, 'stack', { value: s.stack, writable: true, configurable: true, enumerable: false });
  Object.assign(e, s.props);
  return e;
}

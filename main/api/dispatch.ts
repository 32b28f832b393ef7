/**
 * One dispatcher for both hosts: validates a request against the contract,
 * runs the handler, and shapes the reply. The Electron IPC host and the
 * browser shell's HTTP host both go through here, so they cannot drift apart.
 */
import type { z } from 'zod';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../core/json-depth.js';
import { apiIssue, isMethod, methods } from '../../core/api/contract.js';
import type { ApiError, ApiIssue, MethodGroup, Reply } from '../../core/api/contract.js';

/** Handlers for a group of contract methods: each gets the validated request and returns the result. */
export type HandlersFor<G extends MethodGroup> = {
  [M in keyof G]: (request: z.output<G[M]['request']>) => Promise<z.output<G[M]['result']>> | z.output<G[M]['result']>;
};

export type Handlers = HandlersFor<typeof methods>;

/** A failure a handler throws on purpose, with a code and a path the user can act on. */
export class ApiFailure extends Error {
  constructor(
    readonly code: ApiError['code'],
    message: string,
    readonly path?: string,
    /** Every problem, when there are several (the first is `message` / `path`). */
    readonly issues?: ApiIssue[],
  ) {
    super(message);
    this.name = 'ApiFailure';
  }

  /** An invalid request with all its problems (at least one). */
  static invalid(issues: [ApiIssue, ...ApiIssue[]]): ApiFailure {
    return new ApiFailure('invalid_request', issues[0].message, issues[0].path, issues);
  }
}

export type Dispatch = (method: string, request: unknown) => Promise<Reply<unknown>>;

export function createDispatcher(handlers: Handlers, log: (msg: string, err?: unknown) => void = () => {}): Dispatch {
  return async (method, request) => {
    if (!isMethod(method)) {
      return { ok: false, error: { code: 'unknown_method', message: `unknown method "${method}"` } };
    }
    // Both hosts pass requests here: the shell has refused deep JSON text already, but an IPC request arrives structured-cloned.
    if (nestsDeeperThan(request, MAX_JSON_DEPTH)) {
      return { ok: false, error: { code: 'invalid_request', message: `${method}: the request nests deeper than ${MAX_JSON_DEPTH} levels` } };
    }
    const parsed = methods[method].request.safeParse(request ?? {});
    if (!parsed.success) {
      // every problem at its field (a form shows them all at once); the first one is the message
      const issues = parsed.error.issues.map(apiIssue);
      const path = issues[0]?.path ?? '';
      return {
        ok: false,
        error: {
          code: 'invalid_request',
          message: `${method}: ${path ? path + ': ' : ''}${issues[0]?.message ?? 'invalid request'}`,
          ...(path ? { path } : {}),
          issues,
        },
      };
    }
    try {
      const handler = handlers[method] as (r: unknown) => unknown;
      const result = await handler(parsed.data);
      return { ok: true, result };
    } catch (err) {
      if (err instanceof ApiFailure) {
        return { ok: false, error: { code: err.code, message: err.message, ...(err.path ? { path: err.path } : {}), ...(err.issues ? { issues: err.issues } : {}) } };
      }
      log(`handler ${method} failed`, err);
      return { ok: false, error: { code: 'internal', message: `${method} failed: ${(err as Error)?.message ?? String(err)}` } };
    }
  };
}

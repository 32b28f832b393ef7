/** What every handler wraps its store calls in: store errors become API failures. */
import { ApiFailure } from './dispatch.js';

/** Store errors -> API failures with the path the user can act on. */
export async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = err as Error & { path?: string };
    if (err instanceof ApiFailure) throw err;
    const message = e.path && e.message.startsWith(`${e.path}: `) ? e.message.slice(e.path.length + 2) : e.message;
    if (e.name === 'ValidationError') throw new ApiFailure('invalid_request', message, e.path);
    if (e.name === 'NotFoundError') throw new ApiFailure('not_found', message);
    if (e.name === 'ConflictError') throw new ApiFailure('conflict', message);
    throw err;
  }
}

/** Like guard, but a store path under `from.` (e.g. `contact.phone`) is given as the request's field (`phone`). */
export async function guardAt<T>(from: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await guard(fn);
  } catch (err) {
    if (err instanceof ApiFailure && err.path && (err.path === from || err.path.startsWith(`${from}.`))) {
      throw new ApiFailure(err.code, err.message, err.path === from ? undefined : err.path.slice(from.length + 1));
    }
    throw err;
  }
}

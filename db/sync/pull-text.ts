/**
 * A pull page handed to the store as the server's JSON text (main/sync/http-transport.ts `pullText`):
 * parsed here, in the store's worker thread, once, instead of on the main thread and then copied
 * object by object into the worker. The page's envelope is checked here; its changes are checked where
 * they are applied, as for a parsed page (pull.ts, db/sync-records-apply.ts). `expect` is what the
 * main thread read of the envelope (it asked for the next page from that cursor): a page whose text
 * says otherwise is refused, nothing stored.
 */
import type { Change } from '../../core/sync/mutations.js';
import { ValidationError } from '../errors.js';
import type { PulledPageInput } from './pull.js';

export interface PulledTextExpect {
  cursor: string;
  hlc: string | null;
  /** Given when the owner loads a first sync in bulk (pull.ts); the text's `more` must agree. */
  more?: boolean;
}

/** The page in `text`, checked against `expect`; a ValidationError naming what is wrong otherwise. */
export function parsePulledText(text: string, expect: PulledTextExpect): PulledPageInput {
  let page: unknown;
  try {
    page = JSON.parse(text);
  } catch (e) {
    throw new ValidationError(`the pull page is not JSON (${(e as Error).message})`, 'pull');
  }
  if (!page || typeof page !== 'object' || Array.isArray(page)) throw new ValidationError('the pull page is not an object', 'pull');
  const p = page as { changes?: unknown; cursor?: unknown; more?: unknown; hlc?: unknown };
  if (!Array.isArray(p.changes)) throw new ValidationError('the pull page has no list of changes', 'pull.changes');
  if (p.cursor !== expect.cursor) throw new ValidationError(`the pull page's cursor ${JSON.stringify(p.cursor)} is not the ${JSON.stringify(expect.cursor)} read of it`, 'pull.cursor');
  if ((p.hlc ?? null) !== expect.hlc) throw new ValidationError(`the pull page's hlc ${JSON.stringify(p.hlc)} is not the ${JSON.stringify(expect.hlc)} read of it`, 'pull.hlc');
  if (expect.more !== undefined && (p.more === true) !== expect.more) throw new ValidationError(`the pull page's more ${JSON.stringify(p.more)} is not the ${expect.more} read of it`, 'pull.more');
  const changes = p.changes as unknown[];
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i] as { kind?: unknown } | null;
    if (!c || typeof c !== 'object' || typeof c.kind !== 'string') throw new ValidationError('a change has no kind', `pull.changes[${i}]`);
  }
  return { changes: changes as Change[], cursor: expect.cursor, hlc: expect.hlc, ...(expect.more !== undefined ? { more: expect.more } : {}) };
}

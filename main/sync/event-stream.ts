/**
 * The device's end of `GET /v1/events` (server/events.ts): a server-sent event stream read with
 * fetch. Each `event: poke` calls `onPoke`; comment lines (`: ping`) only prove the stream alive.
 * No byte for `idleMs` (two of the server's heartbeats) means a dead connection: it is aborted and
 * the caller reconnects.
 */
import { SyncHttpError, SyncNetworkError } from './types.js';

export interface EventStreamOptions {
  url: string;
  headers: Record<string, string>;
  fetch: typeof globalThis.fetch;
  /** Default 60 s. */
  idleMs?: number;
}

/** Calls `onPoke` per poke; settles when the stream ends or `signal` aborts (then it resolves). */
export async function readEvents(o: EventStreamOptions, onPoke: () => void, signal: AbortSignal): Promise<void> {
  const ctl = new AbortController();
  const abort = () => ctl.abort();
  signal.addEventListener('abort', abort, { once: true });
  let idle: ReturnType<typeof setTimeout> | null = null;
  const alive = () => {
    if (idle) clearTimeout(idle);
    idle = setTimeout(abort, o.idleMs ?? 60_000);
  };
  try {
    alive();
    let res: Response;
    try {
      res = await o.fetch(o.url, { method: 'GET', headers: { ...o.headers, accept: 'text/event-stream' }, signal: ctl.signal });
    } catch (e) {
      if (signal.aborted) return;
      throw new SyncNetworkError(`cannot reach the sync server's event stream: ${(e as Error).message}`);
    }
    if (res.status !== 200 || !res.body) {
      const text = await res.text().catch(() => '');
      let j: { error?: string; message?: string } = {};
      try {
        j = JSON.parse(text) as typeof j;
      } catch {
        /* not JSON */
      }
      throw new SyncHttpError(res.status, j.error ?? 'http_error', j.message ?? `the sync server answered ${res.status} to GET /v1/events`);
    }
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        alive();
        buf += value;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (block.split('\n').some((l) => l === 'event: poke')) onPoke();
        }
      }
    } catch (e) {
      if (signal.aborted) return;
      throw new SyncNetworkError(`the sync server's event stream broke: ${(e as Error).message}`);
    }
  } finally {
    if (idle) clearTimeout(idle);
    signal.removeEventListener('abort', abort);
  }
}

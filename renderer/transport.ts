/**
 * The only module that knows which host the renderer runs under.
 *
 * - Electron: the preload's `window.api` (IPC).
 * - Browser shell: HTTP to `/api/rpc/<method>` with the per-launch secret,
 *   which arrives in the URL fragment (never sent to a server) and is kept in
 *   sessionStorage; pushes come over server-sent events read with fetch, so
 *   the secret travels in a header there too.
 */
import type { EventName, Method, Reply, Request, Result, VaktBridge } from '../core/api/contract.js';

declare global {
  interface Window {
    api?: VaktBridge;
  }
}

type PushListener = (event: { name: EventName; payload: unknown }) => void;

function browserSecret(): string {
  const match = /(?:^#|&)k=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem('vakt.secret', match[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return match[1];
  }
  return sessionStorage.getItem('vakt.secret') ?? '';
}

function httpBridge(): VaktBridge {
  const secret = browserSecret();
  const headers = { authorization: `Bearer ${secret}`, 'content-type': 'application/json' };
  return {
    async call<M extends Method>(method: M, request: Request<M>): Promise<Reply<Result<M>>> {
      try {
        const res = await fetch(`/api/rpc/${method}`, { method: 'POST', headers, body: JSON.stringify(request) });
        return (await res.json()) as Reply<Result<M>>;
      } catch (err) {
        return { ok: false, error: { code: 'internal', message: `the app's services did not answer: ${(err as Error).message}` } };
      }
    },
    subscribe(listener: PushListener): () => void {
      const controller = new AbortController();
      void (async () => {
        for (let attempt = 0; !controller.signal.aborted; attempt++) {
          try {
            const res = await fetch('/api/events', { headers, signal: controller.signal });
            if (!res.body) throw new Error('no event stream');
            const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
            let buffer = '';
            attempt = 0;
            for (;;) {
              const { value, done } = await reader.read();
              if (done) break;
              buffer += value;
              let end: number;
              while ((end = buffer.indexOf('\n\n')) >= 0) {
                const frame = buffer.slice(0, end);
                buffer = buffer.slice(end + 2);
                const name = /^event: (.+)$/m.exec(frame)?.[1];
                const data = /^data: (.*)$/m.exec(frame)?.[1];
                if (name && data !== undefined) listener({ name: name as EventName, payload: JSON.parse(data) as unknown });
              }
            }
          } catch {
            if (controller.signal.aborted) return;
          }
          await new Promise((r) => setTimeout(r, Math.min(30_000, 500 * 2 ** attempt)));
        }
      })();
      return () => controller.abort();
    },
  };
}

export const bridge: VaktBridge = window.api ?? httpBridge();

export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

/** Calls a contract method and returns its result, or throws an ApiCallError. */
export async function call<M extends Method>(method: M, request: Request<M>): Promise<Result<M>> {
  const reply = await bridge.call(method, request);
  if (reply.ok) return reply.result;
  throw new ApiCallError(reply.error.code, reply.error.message, reply.error.path);
}

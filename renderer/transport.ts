/**
 * The only module that knows which host the renderer runs under.
 *
 * - Electron: the preload's `window.api` (IPC).
 * - Browser shell: HTTP to `/api/rpc/<method>` with the per-launch secret,
 *   which arrives in the URL fragment (never sent to a server), or is traded
 *   for the one-time launch code there, and is kept in sessionStorage; pushes come over server-sent events read with fetch, so
 *   the secret travels in a header there too.
 *
 * Pushes: ONE source per window (one event stream, or one IPC listener),
 * fanned out to every `bridge.subscribe` (`renderer/push-hub.ts`), so that no
 * panel can take a connection the calls need; on the shell, one stream for
 * all the app's tabs (a Web Lock picks the tab that reads it).
 *
 * `callWithFile` is the one way to send a file's bytes (a photo): over IPC as
 * base64 in the request, on the shell as a raw body to `/api/upload/<method>`
 * (its own size limit, not the 1 MiB JSON one), with progress either way.
 */
import type { ApiIssue, EventName, Method, Reply, Request, Result, VaktBridge } from '../core/api/contract.js';
import { fanOut, shareAcrossTabs } from './push-hub.js';
import type { IssueKey, IssueValues } from '../core/domain/issue-keys.js';
import { errorText } from './errors.js';

/** A failure of the transport itself, keyed (core/domain/issue-keys.ts) so that errorText says it in the user's language; `message` in English. */
const transportIssue = (key: IssueKey, message: string, values: IssueValues = {}): ApiIssue => ({ path: '', message, key, values });

declare global {
  interface Window {
    api?: VaktBridge;
  }
}

type PushListener = (event: { name: EventName; payload: unknown }) => void;

let secret: Promise<string> | undefined;

/**
 * The per-launch secret: from the fragment (`#k=`, `vakt serve`'s URL), or
 * traded once for a one-time launch code (`#c=`, what `vakt start` gives
 * Chromium, so that the secret is never on a command line), else from
 * sessionStorage (a reload). The fragment is removed from the address bar.
 */
function browserSecret(): Promise<string> {
  secret ??= (async () => {
    const hash = window.location.hash;
    const key = /(?:^#|&)k=([A-Za-z0-9_-]+)/.exec(hash)?.[1];
    const code = /(?:^#|&)c=([A-Za-z0-9_-]+)/.exec(hash)?.[1];
    if (key || code) history.replaceState(null, '', window.location.pathname + window.location.search);
    if (code) {
      const res = await fetch('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
      const reply = (await res.json()) as Reply<{ secret: string }>;
      if (!reply.ok) throw new Error(reply.error.message);
      sessionStorage.setItem('vakt.secret', reply.result.secret);
      return reply.result.secret;
    }
    if (key) sessionStorage.setItem('vakt.secret', key);
    return key ?? sessionStorage.getItem('vakt.secret') ?? '';
  })();
  return secret;
}

const authHeader = async () => ({ authorization: `Bearer ${await browserSecret()}` });

function httpBridge(): VaktBridge {
  void browserSecret().catch(() => {}); // take the fragment off the address bar at once
  return {
    async call<M extends Method>(method: M, request: Request<M>): Promise<Reply<Result<M>>> {
      let headers: Record<string, string>;
      try {
        headers = { ...(await authHeader()), 'content-type': 'application/json' };
      } catch (err) {
        return { ok: false, error: { code: 'internal', message: (err as Error).message } };
      }
      try {
        const res = await fetch(`/api/rpc/${method}`, { method: 'POST', headers, body: JSON.stringify(request) });
        return (await res.json()) as Reply<Result<M>>;
      } catch (err) {
        const detail = (err as Error).message;
        const noAnswer = transportIssue('noAnswer', `the app's services did not answer: ${detail}`, { detail });
        return { ok: false, error: { code: 'internal', message: noAnswer.message, issues: [noAnswer] } };
      }
    },
    subscribe(listener: PushListener): () => void {
      const controller = new AbortController();
      void (async () => {
        for (let attempt = 0; !controller.signal.aborted; attempt++) {
          try {
            const res = await fetch('/api/events', { headers: await authHeader(), signal: controller.signal });
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

const host: VaktBridge = window.api ?? httpBridge();

/** The host's bridge, with its pushes opened once and shared by every subscriber. */
export const bridge: VaktBridge = {
  call: <M extends Method>(method: M, request: Request<M>) => host.call(method, request),
  subscribe: fanOut(window.api ? (listener) => host.subscribe(listener) : shareAcrossTabs((listener) => host.subscribe(listener), 'vakt-events')),
};

export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly path?: string,
    /** The services' message as sent (English), when `message` is its translation (renderer/errors.ts). */
    readonly raw: string = message,
    /** Every problem of the request at its field (the first is `message` / `path`). */
    readonly issues?: ApiIssue[],
  ) {
    super(message);
  }
}

/** Calls a contract method and returns its result, or throws an ApiCallError. */
export async function call<M extends Method>(method: M, request: Request<M>): Promise<Result<M>> {
  return unwrap(await bridge.call(method, request));
}

function unwrap<R>(reply: Reply<R>): R {
  if (reply.ok) return reply.result;
  throw new ApiCallError(reply.error.code, errorText(reply.error), reply.error.path, reply.error.message, reply.error.issues);
}

/** Progress of an upload: bytes done of the total. */
export type UploadProgress = (done: number, total: number) => void;

function readAsBase64(file: Blob, onProgress?: UploadProgress): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onprogress = (e) => onProgress?.(e.loaded, file.size);
    r.onload = () => {
      const url = String(r.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    r.onerror = () => reject(r.error ?? new Error('could not read the file'));
    r.readAsDataURL(file);
  });
}

async function httpUpload(method: string, request: object, field: string, file: Blob, onProgress?: UploadProgress): Promise<Reply<unknown>> {
  const failed = (i: ApiIssue): Reply<unknown> => ({ ok: false, error: { code: 'internal', message: i.message, issues: [i] } });
  const { authorization } = await authHeader();
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/upload/${method}?field=${encodeURIComponent(field)}&request=${encodeURIComponent(JSON.stringify(request))}`);
    xhr.setRequestHeader('authorization', authorization);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      try {
        resolve(JSON.parse(xhr.responseText) as Reply<unknown>);
      } catch {
        const status = `${xhr.status} ${xhr.statusText}`.trim();
        resolve(failed(transportIssue('uploadHttp', `the upload was answered with HTTP ${status}`, { status })));
      }
    };
    xhr.onerror = () => resolve(failed(transportIssue('uploadCutOff', "the upload was cut off: the app's services did not answer")));
    xhr.send(file);
  });
}

/**
 * Calls a method that takes a file's bytes in one field (field.photo's
 * dataBase64) with `file` as that field; the result, or an ApiCallError.
 */
export async function callWithFile<M extends Method, F extends keyof Request<M> & string>(
  method: M,
  request: Omit<Request<M>, F>,
  field: F,
  file: Blob,
  onProgress?: UploadProgress,
): Promise<Result<M>> {
  return unwrap(
    window.api
      ? await bridge.call(method, { ...request, [field]: await readAsBase64(file, onProgress) } as Request<M>)
      : ((await httpUpload(method, request, field, file, onProgress)) as Reply<Result<M>>),
  );
}

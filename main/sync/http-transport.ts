/** SyncTransport over HTTP (fetch), with the version headers and the device token. */
import { HEADER_PROTOCOL, HEADER_SCHEMA, PROTOCOL_VERSION, SCHEMA_VERSION } from '../../core/sync/protocol.js';
import type { PullResponse, PushResponse } from '../../core/sync/mutations.js';
import { readEvents } from './event-stream.js';
import { SyncHttpError, SyncNetworkError } from './types.js';
import type { PendingMutation, PulledText, SyncTransport } from './types.js';

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string | Uint8Array; signal?: AbortSignal },
) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  /** The body as bytes (attachment downloads; global fetch has it). */
  arrayBuffer?(): Promise<ArrayBuffer>;
}>;

export interface HttpTransportOptions {
  baseUrl: string;
  token: () => Promise<string | null> | string | null;
  fetch?: FetchLike;
  timeoutMs?: number;
  protocolVersion?: number;
  schemaVersion?: number;
  /** Listen to `GET /v1/events` (pokes); default: when no `fetch` is injected (it must stream). */
  events?: boolean;
  /** No byte on the event stream for this long: dead, reconnect (default 60 s). */
  eventsIdleMs?: number;
}

export class HttpSyncTransport implements SyncTransport {
  private readonly fetch: FetchLike;
  readonly events?: (onPoke: () => void, signal: AbortSignal) => Promise<void>;
  constructor(private readonly o: HttpTransportOptions) {
    this.fetch = o.fetch ?? (globalThis.fetch as unknown as FetchLike);
    if (o.events ?? !o.fetch) {
      this.events = async (onPoke, signal) => {
        const url = `${o.baseUrl.replace(/\/$/, '')}/v1/events`;
        const f = (o.fetch ?? globalThis.fetch) as typeof globalThis.fetch;
        await readEvents({ url, headers: this.headers(await o.token()), fetch: f, ...(o.eventsIdleMs ? { idleMs: o.eventsIdleMs } : {}) }, onPoke, signal);
      };
    }
  }

  headers(token: string | null): Record<string, string> {
    return {
      [HEADER_PROTOCOL]: String(this.o.protocolVersion ?? PROTOCOL_VERSION),
      [HEADER_SCHEMA]: String(this.o.schemaVersion ?? SCHEMA_VERSION),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    };
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return parseBody(await this.send(method, path, body)) as T;
  }

  /** The reply's text; an error status is thrown as SyncHttpError. */
  private async send(method: string, path: string, body?: unknown): Promise<string> {
    const token = await this.o.token();
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), this.o.timeoutMs ?? 30_000);
    let res: Awaited<ReturnType<FetchLike>>;
    let text: string;
    try {
      res = await this.fetch(`${this.o.baseUrl.replace(/\/$/, '')}${path}`, {
        method,
        headers: { ...this.headers(token), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: ctl.signal,
      });
      text = await res.text();
    } catch (e) {
      throw new SyncNetworkError(`cannot reach the sync server: ${(e as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
    if (res.status >= 400) {
      const j = (parseBody(text) ?? {}) as { error?: string; message?: string };
      throw new SyncHttpError(res.status, j.error ?? 'http_error', j.message ?? `the sync server answered ${res.status}`);
    }
    return text;
  }

  push(mutations: PendingMutation[]): Promise<PushResponse> {
    return this.request('POST', '/v1/sync/push', { mutations });
  }

  pull(cursor: string, limit: number): Promise<PullResponse> {
    return this.request('POST', '/v1/sync/pull', { cursor, limit });
  }

  /** The pull page as text: only its envelope is read here; the store parses the changes (types.ts PulledText). */
  async pullText(cursor: string, limit: number): Promise<PulledText> {
    const text = await this.send('POST', '/v1/sync/pull', { cursor, limit });
    return { text, ...readPullEnvelope(text) };
  }
}

function parseBody(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/**
 * The cursor, `more` and HLC of a pull page without parsing its changes: the server writes them after
 * the changes (server/pull.ts), so the tail after the last `],"cursor":` is read. Another layout is
 * parsed whole. The store checks the text says the same (db/sync/pull-text.ts).
 */
export function readPullEnvelope(text: string): Omit<PulledText, 'text'> {
  const at = text.startsWith('{"changes":[') ? text.lastIndexOf('],"cursor":') : -1;
  const env = (at > 0 ? parseBody(`{${text.slice(at + 2)}`) : null) ?? parseBody(text);
  const e = (env ?? {}) as { cursor?: unknown; more?: unknown; hlc?: unknown };
  if (typeof e.cursor !== 'string' || !e.cursor) throw new Error(`the sync server's pull reply has no cursor: ${text.slice(0, 80)}`);
  if (e.hlc !== undefined && e.hlc !== null && typeof e.hlc !== 'string') throw new Error(`the sync server's pull reply has a hlc that is not a string`);
  return { cursor: e.cursor, more: e.more === true, hlc: (e.hlc as string | null | undefined) ?? null };
}

/**
 * The browser shell's host: the same services as the Electron host, served on
 * 127.0.0.1 over HTTP.
 *
 * - `GET /` and static files: the built renderer (no data in them).
 * - `POST /api/rpc/<method>`: one contract call; JSON body in (at most
 *   MAX_BODY_BYTES), `Reply` out.
 * - `POST /api/upload/<method>`: a call that takes bytes (a photo), sent as
 *   they are with their own limit (`main/hosts/http/upload.ts`).
 * - `GET /api/events`: server-sent events for pushes.
 *
 * Every `/api/` request must carry the per-launch secret as
 * `Authorization: Bearer <secret>`, or it gets 401, except `POST /api/session`,
 * which exchanges a one-time launch code for it (`main/hosts/http/launch-code.ts`). A request whose `Origin`
 * (or `Host`) is not this server's gets 403, so that no other web page the
 * user has open can reach the API (CSRF, DNS rebinding).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Services } from '../../app/services.js';
import { BadJson, BodyTooLarge, drain, parseJsonBody, readBody, replyStatus, sendJson } from './body.js';
import { handleUpload } from './upload.js';
import { LAUNCH_CODE_TTL_MS, LaunchCodes } from './launch-code.js';
import { resolveIn, StaticFiles } from './static.js';

export const MAX_BODY_BYTES = 1024 * 1024;

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface ShellOptions {
  services: Services;
  /** Folder holding the built renderer (index.html, app.js). */
  rendererDir: string;
  /** The renderer's files, when the caller began reading them already (`StaticFiles.preload`). */
  statics?: StaticFiles;
  port?: number;
  /** Defaults to a fresh random secret. */
  secret?: string;
}

export interface Shell {
  readonly port: number;
  readonly origin: string;
  readonly secret: string;
  /** The URL to open: the secret travels in the fragment, which is never sent to a server. */
  readonly url: string;
  /**
   * A URL with a fresh one-time launch code instead of the secret, for a
   * command line (Chromium's): the page exchanges the code for the secret once.
   */
  launchUrl(): string;
  close(): Promise<void>;
}

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

function secretMatches(header: string | undefined, secret: string): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice(7));
  const want = Buffer.from(secret);
  return given.length === want.length && timingSafeEqual(given, want);
}

export async function startShell(opts: ShellOptions): Promise<Shell> {
  const secret = opts.secret ?? newSecret();
  const { services } = opts;
  let origin = '';
  let allowedHosts = new Set<string>();
  const streams = new Set<ServerResponse>();
  const launchCodes = new LaunchCodes(services.parts.clock);
  const statics = opts.statics ?? new StaticFiles(opts.rendererDir);

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      services.parts.log?.('shell request failed', err);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'internal', message: 'internal error' } });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', origin);
    } catch {
      sendJson(res, 400, { ok: false, error: { code: 'invalid_request', message: `request target is not a URL: ${req.url ?? ''}` } });
      return;
    }
    const host = req.headers.host ?? '';
    if (!allowedHosts.has(host)) {
      sendJson(res, 403, { ok: false, error: { code: 'forbidden', message: `host "${host}" is not this app` } });
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      const reqOrigin = req.headers.origin;
      if (reqOrigin !== undefined && !allowedHosts.has(reqOrigin.replace(/^http:\/\//, ''))) {
        sendJson(res, 403, { ok: false, error: { code: 'forbidden', message: `origin "${reqOrigin}" may not use this API` } });
        return;
      }
      if (url.pathname === '/api/session') {
        await redeemLaunchCode(req, res);
        return;
      }
      if (!secretMatches(req.headers.authorization, secret)) {
        sendJson(res, 401, { ok: false, error: { code: 'unauthorized', message: 'missing or wrong launch secret' } });
        return;
      }
      await handleApi(url, req, res);
      return;
    }
    await serveStatic(url.pathname, req, res);
  }

  async function redeemLaunchCode(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: { code: 'invalid_request', message: 'use POST' } });
    let code: unknown;
    try {
      code = (parseJsonBody((await readBody(req, 1024)).toString('utf8')) as { code?: unknown } | null)?.code;
    } catch (err) {
      if (!(err instanceof BadJson || err instanceof BodyTooLarge)) throw err;
      if (err instanceof BodyTooLarge) drain(req);
    }
    if (typeof code === 'string' && launchCodes.redeem(code)) return sendJson(res, 200, { ok: true, result: { secret } });
    sendJson(res, 401, {
      ok: false,
      error: { code: 'unauthorized', message: `this launch link was already used or has expired (a launch code works once, within ${LAUNCH_CODE_TTL_MS / 1000} s); run vakt start again` },
    });
  }

  async function handleApi(url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (url.pathname === '/api/events' && req.method === 'GET') {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    const upload = /^\/api\/upload\/([A-Za-z0-9_.-]+)$/.exec(url.pathname);
    if (upload?.[1]) {
      if (req.method !== 'POST') sendJson(res, 405, { ok: false, error: { code: 'invalid_request', message: 'use POST' } });
      else await handleUpload(services.dispatch, upload[1], url, req, res);
      return;
    }
    const match = /^\/api\/rpc\/([A-Za-z0-9_.-]+)$/.exec(url.pathname);
    if (!match || !match[1]) {
      sendJson(res, 404, { ok: false, error: { code: 'not_found', message: `no API route ${url.pathname}` } });
      return;
    }
    if (req.method !== 'POST') {
      sendJson(res, 405, { ok: false, error: { code: 'invalid_request', message: 'use POST' } });
      return;
    }
    let body: unknown;
    try {
      body = parseJsonBody((await readBody(req, MAX_BODY_BYTES)).toString('utf8'));
    } catch (err) {
      if (err instanceof BodyTooLarge) {
        sendJson(res, 413, { ok: false, error: { code: 'invalid_request', message: `request body over ${MAX_BODY_BYTES} bytes` } });
        drain(req);
      } else if (err instanceof BadJson) {
        sendJson(res, 400, { ok: false, error: { code: 'invalid_request', message: err.message } });
      } else throw err;
      return;
    }
    const reply = await services.dispatch(match[1], body);
    sendJson(res, replyStatus(reply), reply);
  }

  async function serveStatic(pathname: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    let rel: string;
    try {
      // the browser asks for /favicon.ico on its own: the app's icon
      rel = pathname === '/' ? 'index.html' : pathname === '/favicon.ico' ? 'icon.png' : decodeURIComponent(pathname).replace(/^\/+/, '');
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end(`malformed escape in path: ${pathname}`);
      return;
    }
    if (resolveIn(opts.rendererDir, rel) === null) {
      res.writeHead(403).end();
      return;
    }
    const file = await statics.get(rel);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`not found: ${pathname}`);
      return;
    }
    res.writeHead(200, {
      'content-type': file.type,
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : file.data);
  }

  const subscription = services.events.on((event) => {
    const frame = `event: ${event.name}\ndata: ${JSON.stringify(event.payload)}\n\n`;
    for (const s of streams) s.write(frame);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  return {
    port,
    origin,
    secret,
    url: `${origin}/#k=${secret}`,
    launchUrl: () => `${origin}/#c=${launchCodes.issue()}`,
    async close() {
      subscription.dispose();
      for (const s of streams) s.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

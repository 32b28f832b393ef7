/**
 * `GET /v1/events`: a server-sent event stream per connected device, authenticated like the rest
 * of /v1 (token and version headers). It says only "pull now":
 *
 *   event: poke            once when the stream opens (what changed while not connected)
 *   data: {}               and on every change of the device's tenant (server/pokes.ts) but
 *                          its own pushes (it pulls after pushing anyway)
 *
 * A comment line (`: ping`) every `heartbeatMs` keeps proxies from closing an idle stream and lets
 * the device notice a dead one. Pokes that come in while one is being written are coalesced.
 * Streams are ended when the server closes, and a device's when an admin revokes it, on any
 * server process (`dropDevice`, told through server/pokes.ts `revoked`).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from './auth.js';
import type { Pokes } from './pokes.js';

export interface EventsOptions {
  pokes: Pokes;
  principal: (req: FastifyRequest) => Principal;
  /** Default 25 s. */
  heartbeatMs?: number;
}

const POKE = 'event: poke\ndata: {}\n\n';

export function registerEvents(app: FastifyInstance, o: EventsOptions): { connected(): number; dropDevice(deviceId: string): void } {
  const open = new Set<() => void>();
  const byDevice = new Map<string, Set<() => void>>();
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });
  app.get('/v1/events', { config: { rateLimit: false } }, async (req, reply) => {
    const p = o.principal(req);
    const res = reply.raw;
    reply.hijack();
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      // nginx and the like: do not buffer the stream
      'x-accel-buffering': 'no',
    });
    res.socket?.setNoDelay(true);
    let waiting = false;
    const poke = () => {
      if (waiting) return;
      // false: the socket's buffer is full; one poke after it drains says it all
      if (!res.write(POKE)) {
        waiting = true;
        res.once('drain', () => {
          waiting = false;
          res.write(POKE);
        });
      }
    };
    const unsubscribe = o.pokes.subscribe(p.tenantId, p.deviceId, poke);
    const ping = setInterval(() => res.write(': ping\n\n'), o.heartbeatMs ?? 25_000);
    const end = () => {
      cleanup();
      res.end();
    };
    const cleanup = () => {
      clearInterval(ping);
      unsubscribe();
      open.delete(end);
      const set = byDevice.get(p.deviceId);
      set?.delete(end);
      if (set?.size === 0) byDevice.delete(p.deviceId);
    };
    open.add(end);
    let mine = byDevice.get(p.deviceId);
    if (!mine) byDevice.set(p.deviceId, (mine = new Set()));
    mine.add(end);
    res.on('close', cleanup);
    poke();
  });
  return {
    connected: () => open.size,
    dropDevice: (deviceId) => {
      for (const end of [...(byDevice.get(deviceId) ?? [])]) end();
    },
  };
}

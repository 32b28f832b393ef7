/**
 * One device's network path to the sync server, for the e2e tests: a TCP relay on loopback that the
 * device is enrolled through. `cut()` drops every open connection (requests in flight, the event
 * stream) and resets each new one, as a pulled cable or a lost VPN does; `restore()` lets them through
 * again. The device sees real network failures: it goes offline and comes back by its own retries.
 */
import { connect, createServer } from 'node:net';
import type { Socket } from 'node:net';

export interface Link {
  /** The server's address as this device reaches it. */
  url: string;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startLink(serverUrl: string): Promise<Link> {
  const target = new URL(serverUrl);
  const open = new Set<Socket>();
  let up = true;
  const relay = createServer((device) => {
    if (!up) {
      device.resetAndDestroy();
      return;
    }
    const server = connect(Number(target.port), target.hostname);
    const end = () => {
      device.destroy();
      server.destroy();
      open.delete(device);
      open.delete(server);
    };
    for (const s of [device, server]) {
      open.add(s);
      s.on('error', end).on('close', end);
    }
    device.pipe(server).pipe(device);
  });
  await new Promise<void>((resolve, reject) => relay.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = relay.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    cut() {
      up = false;
      for (const s of open) s.resetAndDestroy();
      open.clear();
    },
    restore() {
      up = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        relay.close(() => resolve());
      }),
  };
}

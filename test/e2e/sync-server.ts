/** A real `vakt server` on loopback for the e2e tests, on a fresh data dir; its URL and admin token. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SyncServer {
  url: string;
  admin: string;
  stop(): Promise<void>;
}

export async function startSyncServer(): Promise<SyncServer> {
  const dir = mkdtempSync(join(tmpdir(), 'vakt-e2e-server-'));
  const server = spawn(process.execPath, [join(import.meta.dirname, '..', '..', 'bin', 'vakt'), 'server', '--data-dir', dir, '--port', '0', '--log-level', 'warn'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = async () => {
    server.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    if (server.exitCode === null) server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const { url, admin } = await new Promise<{ url: string; admin: string }>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`vakt server did not start:\n${out}`)), 40_000);
      server.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)[\s\S]*ADMIN TOKEN: (\S+)\n/.exec(out);
        if (m?.[1] && m[2]) {
          clearTimeout(timer);
          resolve({ url: m[1], admin: m[2] });
        }
      });
    });
    return { url, admin, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

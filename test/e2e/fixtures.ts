/**
 * Starts a real `vakt serve` on a fresh data dir for each test and hands the
 * test its URL (with the per-launch secret).
 */
import { test as base } from '@playwright/test';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface VaktServer {
  url: string;
  origin: string;
  secret: string;
  dataDir: string;
  process: ChildProcess;
}

/** Runs `vakt serve` (or `verb`, e.g. ['start', '--browser']) on dataDir until it prints its URL. */
export async function startVakt(dataDir: string, env: NodeJS.ProcessEnv = {}, verb: string[] = ['serve']): Promise<VaktServer> {
  const bin = join(import.meta.dirname, '..', '..', 'bin', 'vakt');
  const child = spawn(process.execPath, [bin, ...verb, '--data-dir', dataDir], {
    env: { ...process.env, VAKT_NOTIFIER: 'memory', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`vakt serve printed no URL in 20 s\n${stderr}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^(http:\/\/127\.0\.0\.1:\d+\/#k=[A-Za-z0-9_-]+)$/m.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`vakt serve exited with ${code}\n${stderr}`)));
  });
  const [origin, secret] = url.split('/#k=') as [string, string];
  return { url, origin, secret, dataDir, process: child };
}

export async function stopVakt(server: VaktServer): Promise<void> {
  if (server.process.exitCode !== null) return;
  const exited = new Promise((r) => server.process.once('exit', r));
  server.process.kill('SIGTERM');
  const timer = setTimeout(() => server.process.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export const test = base.extend<{ vakt: VaktServer }>({
  vakt: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vakt-e2e-'));
    const server = await startVakt(dataDir);
    try {
      await use(server);
    } finally {
      await stopVakt(server);
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

export { expect } from '@playwright/test';

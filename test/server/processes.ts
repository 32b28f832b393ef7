/** Real `vakt server` processes for tests (server/main.ts through tsx), and enrolling a device over HTTP. */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { V } from './helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Proc {
  child: ChildProcess;
  url: string;
  adminToken: string | null;
  exited: Promise<number | null>;
  /** What it printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when the server has written `text` on stdout (the test hooks of server/main.ts). */
  says(text: string): Promise<void>;
}

export async function spawnServer(dataDir: string, env: Record<string, string> = {}, databaseUrl?: string, bootstrap = false, args: string[] = []): Promise<Proc> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(root, 'server/main.ts'),
      '--data-dir',
      dataDir,
      '--port',
      '0',
      '--log-level',
      'warn',
      ...(bootstrap ? ['--bootstrap', '--tenant', `test-${randomBytes(4).toString('hex')}`] : []),
      ...(databaseUrl ? ['--database-url', databaseUrl] : []),
      ...args,
    ],
    {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`server did not start: ${out} ${err}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m && (out.includes('ADMIN TOKEN') || !out.includes('Created tenant'))) {
        // the token lines follow the URL line in the same write burst; give them a moment
        setTimeout(() => {
          clearTimeout(t);
          resolve(m[1] as string);
        }, 100);
      }
    });
    void exited.then((c) => reject(new Error(`server exited ${c}: ${err}`)));
  });
  const tok = /ADMIN TOKEN: (\S+)/.exec(out);
  const says = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const seen = () => out.includes(text) && (child.stdout!.off('data', seen), resolve());
      child.stdout!.on('data', seen);
      seen();
      void exited.then((c) => reject(new Error(`server exited ${c} before saying "${text}": ${err}`)));
    });
  return { child, url, adminToken: tok ? (tok[1] as string) : null, exited, stdout: () => out, stderr: () => err, says };
}

export async function kill9(p: Proc): Promise<void> {
  p.child.kill('SIGKILL');
  await p.exited;
}

export async function enrolOver(url: string, adminToken: string): Promise<{ deviceId: string; token: string; casePrefix: string }> {
  const h = { ...V, authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  const c = await fetch(`${url}/v1/admin/enrolment-codes`, { method: 'POST', headers: h, body: JSON.stringify({ userName: 'crash test' }) });
  const { code } = (await c.json()) as { code: string };
  const e = await fetch(`${url}/v1/enrol`, { method: 'POST', headers: { ...V, 'content-type': 'application/json' }, body: JSON.stringify({ code, deviceName: 'crash device' }) });
  return (await e.json()) as { deviceId: string; token: string; casePrefix: string };
}

/**
 * Running the real, built `vakt` CLI in tests: `useBuiltCli()` builds once
 * (`node scripts/build.mjs`) and kills what is left at the end; `launch`
 * resolves once stdout matches; `runToEnd` waits for the exit code.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { cleanupTempDirs } from './helpers.js';

export const root = fileURLToPath(new URL('../../', import.meta.url));
const vakt = join(root, 'bin', 'vakt');
const children = new Set<ChildProcess>();

export function useBuiltCli(): void {
  beforeAll(() => {
    execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'pipe', timeout: 240_000 });
  }, 300_000);
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    cleanupTempDirs();
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

function spawnVakt(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [vakt, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  children.add(child);
  return child;
}

/** Spawns `vakt <args>` and resolves once stdout matches `ready`. */
export function launch(args: string[], ready: RegExp, env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; out: () => string; match: RegExpExecArray }> {
  const child = spawnVakt(args, env);
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vakt ${args.join(' ')} did not start:\n${out}\n${err}`)), 60_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, out: () => out, match: m });
      }
    });
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`vakt ${args.join(' ')} exited ${code}:\n${out}\n${err}`));
    });
  });
}

/** Runs `vakt <args>` to its end; one still running after `limitMs` is stopped (SIGTERM, forwarded by `vakt server`) and gets code null. */
export function runToEnd(args: string[], env: NodeJS.ProcessEnv = {}, limitMs = 60_000): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawnVakt(args, env);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const timer = setTimeout(() => child.kill('SIGTERM'), limitMs);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: child.signalCode ? null : code, out, err });
    }),
  );
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(t);
      children.delete(child);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * The kill -9 harness of the crash tests (test/db/kill9*.test.ts, test/sync/kill9.test.ts):
 * a child process is bundled once, started, and SIGKILLed when its output says so; only
 * complete output lines count (a line cut by the kill was not acknowledged).
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * Bundles the child at `entry` into `dir` (one file, better-sqlite3 external by absolute
 * path), so each start costs a plain `node` start, not a TS compile; the owed backup's thread beside it
 * (db/backup-thread.ts). Returns the bundle's path.
 */
export async function bundleChild(entry: URL, dir: string): Promise<string> {
  const outfile = join(dir, 'child.mjs');
  await build({
    entryPoints: [entry.pathname],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    plugins: [
      {
        name: 'native-external',
        setup(b) {
          // the native module stays external, imported by absolute path (the bundle lives in a temp dir)
          const abs = createRequire(import.meta.url).resolve('better-sqlite3');
          b.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: abs, external: true }));
        },
      },
    ],
    logLevel: 'silent',
  });
  // The owed pre-migration backup's thread, where the bundled store looks for it (db/worker-entry.ts: next to the module).
  await build({
    entryPoints: [new URL('../../db/backup-thread.ts', import.meta.url).pathname],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: join(dir, 'backup-thread.js'),
    logLevel: 'silent',
  });
  return outfile;
}

export interface KillRun {
  /** The complete lines the child wrote, in order. */
  lines: string[];
  out: string;
  err: string;
  code: number | null;
  /** Whether the kill was armed (the trigger fired) before the child exited. */
  armed: boolean;
}

export interface KillPlan {
  /** Arms the kill when it returns true for the output so far; omitted: never (the child runs to its end, or to `guardMs`). */
  when?: (out: string) => boolean;
  /** How long after arming the kill comes (ms). */
  afterMs?: number;
  /** A kill this long after the start, whatever the output says (during open, say). */
  afterSpawnMs?: number;
  /** A kill this long after the start in any case, so a hung child cannot hang the test. */
  guardMs?: number;
}

/** Runs `node <args>` and SIGKILLs it as `plan` says; resolves when it has exited. */
export function runAndKill(args: string[], plan: KillPlan): Promise<KillRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let armed = false;
    const timers: NodeJS.Timeout[] = [];
    const kill = () => child.kill('SIGKILL');
    if (plan.afterSpawnMs !== undefined) timers.push(setTimeout(kill, plan.afterSpawnMs));
    if (plan.guardMs !== undefined) timers.push(setTimeout(kill, plan.guardMs));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!armed && plan.when?.(out)) {
        armed = true;
        timers.push(setTimeout(kill, plan.afterMs ?? 0));
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      for (const t of timers) clearTimeout(t);
      resolve({ lines: out.split('\n').slice(0, -1), out, err, code, armed });
    });
  });
}

/** The output says READY on a line of its own. */
export const ready = (out: string): boolean => out.includes('READY\n');

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Io } from './args.js';
import { parseVerbArgs } from './args.js';
import { systemClock } from '../../../db/system-time.js';
import { createServices } from '../../app/services.js';
import { createNotifier } from '../../notify/create.js';
import { startShell } from '../http/shell.js';
import type { Shell } from '../http/shell.js';
import { LAUNCH_CODE_TTL_MS } from '../http/launch-code.js';
import { StaticFiles } from '../http/static.js';
import { defaultDataDir } from '../../app/paths.js';
import { lockDataDir } from '../../../db/data-dir-lock.js';
import { settleAfterStart } from '../../../db/settle-memory.js';

const distDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * glibc's mmap threshold, fixed (bytes; bin/vakt's #! line sets the same for `vakt serve`). Left dynamic, it
 * grows to the largest block freed (a 5 MB message of 12,800 alerts between the store's worker and the main
 * thread), after which such blocks come from the heaps and stay resident once freed: ~20 MB after the first
 * start after an upgrade (issue 19; idle RSS 162 -> 142 MB). Fixed, a big block is mapped and unmapped.
 */
export const MALLOC_MMAP_THRESHOLD = 131072;
export const rendererDir = join(distDir, 'renderer');

const SERVE_HELP = `Usage: vakt serve [--data-dir D] [--port P]

Runs the app's services and serves the UI on 127.0.0.1 without opening a
window (for scripts and tests). Prints the URL, with the per-launch secret in
its fragment, on stdout (only there: never on a command line). Stops on
Ctrl-C or SIGTERM.

Options:
  --data-dir D  Where the data lives (default: ${defaultDataDir()})
  --port P      Port on 127.0.0.1 (default: a free one)`;

const START_HELP = `Usage: vakt start [--data-dir D] [--port P] [--browser]

Runs the app. Uses Electron when its binary is installed and a display is
available; otherwise runs the browser shell on 127.0.0.1 and opens it in
Chromium's --app mode when Chromium is installed (VAKT_CHROMIUM names another
binary), or prints the URL. Chromium's command line carries a one-time launch
code, not the secret: the page trades it for the secret once, within ${LAUNCH_CODE_TTL_MS / 1000} s.

Options:
  --data-dir D  Where the data lives (default: ${defaultDataDir()})
  --port P      Port for the browser shell (default: a free one)
  --browser     Use the browser shell even when Electron is installed`;

interface ShellArgs {
  dataDir: string;
  port: number | undefined;
}

function shellArgs(verb: string, argv: string[], help: string, io: Io, extra: Record<string, { type: 'boolean' }> = {}) {
  const parsed = parseVerbArgs(verb, argv, { 'data-dir': { type: 'string' }, port: { type: 'string' }, ...extra }, help, io);
  if (parsed === null || parsed === 'help') return parsed;
  if (parsed.positionals.length) {
    io.stderr.write(`vakt ${verb}: unexpected argument "${parsed.positionals[0]}"\n\n${help}\n`);
    return null;
  }
  const portText = parsed.values.port as string | undefined;
  let port: number | undefined;
  if (portText !== undefined) {
    port = Number(portText);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      io.stderr.write(`vakt ${verb}: --port must be a whole number from 0 to 65535, got "${portText}"\n`);
      return null;
    }
  }
  const dataDir = (parsed.values['data-dir'] as string | undefined) ?? defaultDataDir();
  return { args: { dataDir, port } satisfies ShellArgs, values: parsed.values };
}

async function runShell(verb: string, args: ShellArgs, io: Io, onReady: (url: string, shell: Shell) => void): Promise<number> {
  if (!existsSync(join(rendererDir, 'index.html'))) {
    io.stderr.write(`vakt: the UI is not built (${rendererDir} is missing). Run: npm run build\n`);
    return 1;
  }
  mkdirSync(args.dataDir, { recursive: true });
  // One process per data dir (db/data-dir-lock.ts); held until this process ends.
  let lock;
  try {
    lock = lockDataDir(args.dataDir, { what: `vakt ${verb}`, since: Date.now() });
  } catch (e) {
    io.stderr.write(`vakt ${verb}: ${(e as Error).message}\n`);
    return 1;
  }
  // the page's files are read while the store opens
  const statics = new StaticFiles(rendererDir);
  statics.preload();
  const services = await createServices({
    clock: systemClock,
    notifier: await createNotifier('browser'),
    dataDir: args.dataDir,
    host: 'browser',
    log: (msg, err) => io.stderr.write(`${msg}${err ? ': ' + String((err as Error).stack ?? err) : ''}\n`),
  });
  const shell = await startShell({ services, rendererDir, statics, port: args.port });
  io.stderr.write(`Vakt ${'browser shell'} on ${shell.origin}, data in ${args.dataDir}\n`);
  onReady(shell.url, shell);
  // What the start built (a catch-up's summary of thousands of alerts) is garbage once it is done: collected then, after
  // the first integrity check too (off the first queue page's path).
  void settleAfterStart(
    async () => {
      await services.context.scheduler.idle();
      await services.integrity?.idle();
    },
    () => services.context.store.settle(),
  ).catch((err: unknown) => io.stderr.write(`vakt: ${String(err)}\n`));
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await shell.close();
  await services.dispose();
  lock.release();
  return 0;
}

export async function serveCommand(argv: string[], io: Io): Promise<number> {
  const parsed = shellArgs('serve', argv, SERVE_HELP, io);
  if (parsed === null) return 2;
  if (parsed === 'help') return 0;
  return runShell('serve', parsed.args, io, (url) => io.stdout.write(url + '\n'));
}

/** Path of the Electron binary when the electron package has it, else the reason it has not. */
export function findElectron(): { binary: string } | { reason: string } {
  try {
    const binary = createRequire(import.meta.url)('electron') as unknown;
    if (typeof binary === 'string' && existsSync(binary)) return { binary };
    return { reason: 'the electron package has no binary' };
  } catch (err) {
    return { reason: `Electron's binary is not installed (${((err as Error).message ?? '').split('\n')[0]})` };
  }
}

export function hasDisplay(env: NodeJS.ProcessEnv = process.env, platform = process.platform): boolean {
  if (platform !== 'linux') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

const CHROMIUM_FLAGS = ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.VAKT_CHROMIUM) return env.VAKT_CHROMIUM;
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) if (existsSync(p)) return p;
  return null;
}

export async function startCommand(argv: string[], io: Io): Promise<number> {
  const parsed = shellArgs('start', argv, START_HELP, io, { browser: { type: 'boolean' } });
  if (parsed === null) return 2;
  if (parsed === 'help') return 0;
  const { args, values } = parsed;
  const electron = findElectron();
  if (!values.browser && 'binary' in electron && hasDisplay()) {
    io.stderr.write('vakt start: running the Electron app\n');
    const main = join(distDir, 'main', 'hosts', 'electron', 'main.js');
    // The main process's V8 flags, as bin/vakt's for Node: a small young generation (issue 19).
    const child = spawn(electron.binary, ['--js-flags=--max-semi-space-size=2', main, '--data-dir', args.dataDir], {
      stdio: 'inherit',
      env: { ...process.env, MALLOC_MMAP_THRESHOLD_: String(MALLOC_MMAP_THRESHOLD) },
    });
    return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
  }
  const why = values.browser ? '--browser was given' : 'reason' in electron ? electron.reason : 'no display (DISPLAY/WAYLAND_DISPLAY unset) for Electron';
  io.stderr.write(`vakt start: running the browser shell, because ${why}\n`);
  return runShell('start', args, io, (url, shell) => {
    const chromium = findChromium();
    if (chromium && hasDisplay()) {
      const profile = join(args.dataDir, 'chromium-profile');
      // Not the secret: a command line is readable by any local user (ps).
      const flags = [`--app=${shell.launchUrl()}`, `--user-data-dir=${profile}`, ...CHROMIUM_FLAGS];
      if (process.getuid?.() === 0) flags.push('--no-sandbox');
      const child = spawn(chromium, flags, { stdio: 'ignore', detached: false });
      child.on('error', (err) => io.stderr.write(`could not open Chromium: ${err.message}\nOpen ${url}\n`));
      io.stderr.write(`Opened in ${chromium} --app. If no window appears, open:\n`);
    } else {
      io.stderr.write(`${chromium ? 'No display for Chromium' : 'Chromium is not installed'}; open this URL in a browser:\n`);
    }
    io.stdout.write(url + '\n');
  });
}

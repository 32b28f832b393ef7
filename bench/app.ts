/**
 * npm run bench:app — the app's start as a person meets it: a fresh `vakt serve`
 * process (the built CLI, `npm run build` first, run as the `vakt` command is: bin/vakt with its #! line) from its spawn to the URL
 * printed on stdout and to the first queue page (`desk.queue`, 200 rows, as the
 * Queue view asks) served over HTTP; 3 runs on a small store and on the
 * 100,000-ticket / 1,000,000-event store that `npm run bench:db` builds, with the
 * process's peak RSS (VmHWM) and its RSS once idle (after the background
 * integrity check), and its CPU time (all threads) by the first queue page, which
 * the other load of the machine does not stretch as it does the wall time.
 * Figures against the targets of issue 19; nothing asserted.
 *
 *   tsx bench/app.ts [--store D] [--runs N] [--vakt BIN] [--upgrade-from OLD]
 *
 * D: a data dir built once with `npm run bench:db -- --dir D --keep` (default
 * /tmp/vakt-bench-100k; skipped with a hint when missing). The first start after
 * that build plans every ticket once (its tickets were never planned) and is
 * shown apart; the runs after it are the app's ordinary start. BIN: the `vakt`
 * to spawn (default this checkout's bin/vakt), to run two builds alternately.
 * OLD: a data dir at an older schema; instead of the above, each run starts on a
 * fresh copy of it (app-upgrade.ts), so every run is a first start after an upgrade.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../db/system-time.js';
import { openStore } from '../db/store.js';
import { upgradeRuns } from './app-upgrade.js';

const args = parseArgs({ options: { store: { type: 'string' }, runs: { type: 'string' }, vakt: { type: 'string' }, 'upgrade-from': { type: 'string' } } }).values;
const RUNS = Number(args.runs ?? 3);
const BIG = args.store ?? '/tmp/vakt-bench-100k';
const root = join(import.meta.dirname, '..');
const VAKT = args.vakt ?? join(root, 'bin', 'vakt');
const TARGETS = { startMs: 1500, idleMb: 150, peakMb: 250 };

interface Run {
  urlMs: number;
  queueMs: number;
  rows: number;
  peakAtQueueMb: number;
  /** CPU time of the process, all its threads, by the first queue page: what a start costs, whatever else the machine runs. */
  cpuAtQueueMs: number;
  peakMb: number;
  idleMb: number;
}

const mb = (kb: number) => kb / 1024;
/** utime + stime of the process (all threads) in ms, from /proc/<pid>/stat (clock ticks of 10 ms). */
function cpuOf(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}
function memOf(pid: number): { rssKb: number; hwmKb: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN);
  return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
}

/** One cold start: spawn `vakt serve`, wait for its URL, fetch the first queue page, wait for the integrity check, read memory, stop. */
async function startOnce(dataDir: string): Promise<Run> {
  const t0 = performance.now();
  // bin/vakt run as the `vakt` command is (its #! line gives node its flags), not `node bin/vakt`
  const child = spawn(VAKT, ['serve', '--data-dir', dataDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.includes('#k='));
      if (line) resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`vakt serve exited (${code}) before printing its URL:\n${err}`)));
  });
  const urlMs = performance.now() - t0;
  const { origin, hash } = new URL(url);
  const secret = new URLSearchParams(hash.slice(1)).get('k') ?? '';
  const rpc = async (method: string, body: unknown) => {
    const r = await fetch(`${origin}/api/rpc/${method}`, { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const j = (await r.json()) as { ok: boolean; result?: any; error?: { message: string } };
    if (!j.ok) throw new Error(`${method}: ${j.error?.message}`);
    return j.result;
  };
  const page = await rpc('desk.queue', { filter: { contractId: null, priority: null, status: null, assignee: null, q: null }, limit: 200 });
  const queueMs = performance.now() - t0;
  const cpuAtQueueMs = cpuOf(child.pid!);
  const peakAtQueueMb = mb(memOf(child.pid!).hwmKb);
  // Idle: once the background integrity check has run (the one heavy thing after start), then a moment with no requests.
  while ((await rpc('app.integrity', {})).state === 'pending') await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 2000));
  const m = memOf(child.pid!);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return { urlMs, queueMs, rows: (page.items as unknown[]).length, peakAtQueueMb, cpuAtQueueMs, peakMb: mb(m.hwmKb), idleMb: mb(m.rssKb) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const f0 = (x: number) => x.toFixed(0);

function report(label: string, runs: Run[]): void {
  for (const [i, r] of runs.entries()) {
    console.log(
      `  run ${i + 1}: URL ${f0(r.urlMs)} ms, first queue page (${r.rows} rows) ${f0(r.queueMs)} ms, CPU by then ${f0(r.cpuAtQueueMs)} ms; RSS peak by then ${f0(r.peakAtQueueMb)} MB, peak ${f0(r.peakMb)} MB, idle ${f0(r.idleMb)} MB`,
    );
  }
  const q = median(runs.map((r) => r.queueMs));
  console.log(
    `  ${label}: median URL ${f0(median(runs.map((r) => r.urlMs)))} ms, first queue page ${f0(q)} ms (target < ${TARGETS.startMs} ms${q < TARGETS.startMs ? '' : ', MISSED'}), CPU ${f0(median(runs.map((r) => r.cpuAtQueueMs)))} ms; ` +
      `RSS peak ${f0(Math.max(...runs.map((r) => r.peakMb)))} MB (target < ${TARGETS.peakMb}), idle ${f0(median(runs.map((r) => r.idleMb)))} MB (target < ${TARGETS.idleMb})`,
  );
}

async function main() {
  if (!existsSync(join(root, 'dist', 'main', 'hosts', 'cli', 'index.js'))) throw new Error('build first: node scripts/build.mjs');
  console.log(
    'bench:app — path measured: spawn of `bin/vakt serve` (as the installed `vakt` command, with the node flags of its #! line) → URL on stdout → POST /api/rpc/desk.queue (200 rows) answered; memory from /proc/<pid>/status (VmHWM, VmRSS)',
  );
  if (args['upgrade-from']) return upgradeRuns(args['upgrade-from'], RUNS, startOnce, report);

  const small = mkdtempSync(join(tmpdir(), 'vakt-bench-app-'));
  try {
    const s = openStore({ dataDir: small, clock: systemClock, machineId: 'bench' });
    const customer = s.customers.createCustomer({ name: 'Fjordkraft A/S' });
    for (let i = 0; i < 50; i++) s.tickets.register({ customerId: customer.id, channel: 'phone', title: `Line ${i} down` });
    s.close();
    await startOnce(small); // plans the 50 new tickets once
    const runs: Run[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await startOnce(small));
    console.log(`small store (50 tickets):`);
    report('small', runs);
  } finally {
    rmSync(small, { recursive: true, force: true });
  }

  if (!existsSync(join(BIG, 'vakt.db'))) {
    console.log(`100k store: not found in ${BIG}; build it once with: npm run bench:db -- --dir ${BIG} --keep`);
    return;
  }
  console.log(`100k store (${BIG}):`);
  const first = await startOnce(BIG);
  console.log(
    `  a start planning every never-planned ticket (the first after the store was built, or after the upgrade to schema 18): URL ${f0(first.urlMs)} ms, queue ${f0(first.queueMs)} ms, peak ${f0(first.peakMb)} MB`,
  );
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await startOnce(BIG));
  report('100k', runs);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});

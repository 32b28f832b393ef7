/**
 * npm run bench:app — the app's start as a person meets it: a fresh `vakt serve`
 * process (the built CLI, `npm run build` first, run as the `vakt` command is: bin/vakt with its #! line) from its spawn to the URL
 * printed on stdout and to the first queue page (`desk.queue`, 200 rows, as the
 * Queue view asks) served over HTTP; 3 runs on a small store and on the
 * 100,000-ticket / 1,000,000-event store that `npm run bench:db` builds, with the
 * process's peak RSS (VmHWM) and its RSS once idle (after the background
 * integrity check), and its CPU time (all threads) by the first queue page, which
 * the other load of the machine does not stretch as it does the wall time; and, in
 * the last run of each store, its idle CPU over S seconds (default 60) with no
 * requests, once the start's background work settled (bench/serve.ts).
 * Figures against the targets of issue 19; nothing asserted.
 *
 *   tsx bench/app.ts [--store D] [--runs N] [--vakt BIN] [--idle-seconds S] [--upgrade-from OLD]
 *
 * D: a data dir built once with `npm run bench:db -- --dir D --keep` (default
 * /tmp/vakt-bench-100k; skipped with a hint when missing). The first start after
 * that build plans every ticket once (its tickets were never planned) and is
 * shown apart; the runs after it are the app's ordinary start. BIN: the `vakt`
 * to spawn (default this checkout's bin/vakt), to run two builds alternately.
 * OLD: a data dir at an older schema; instead of the above, each run starts on a
 * fresh copy of it (app-upgrade.ts), so every run is a first start after an upgrade.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../db/system-time.js';
import { openStore } from '../db/store.js';
import { cpuOf, idleCpu, idleLine, integrityChecked, memOf, startServe, type Idle } from './serve.js';
import { upgradeRuns } from './app-upgrade.js';

const args = parseArgs({ options: { store: { type: 'string' }, runs: { type: 'string' }, vakt: { type: 'string' }, 'idle-seconds': { type: 'string' }, 'upgrade-from': { type: 'string' } } }).values;
const RUNS = Number(args.runs ?? 3);
const IDLE_S = Number(args['idle-seconds'] ?? 60);
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
  /** Idle CPU over IDLE_S once the start settled (the last run of each store). */
  idle?: Idle;
}

const mb = (kb: number) => kb / 1024;

/** One cold start: spawn `vakt serve`, wait for its URL, fetch the first queue page, wait for the integrity check, read memory (and idle CPU), stop. */
async function startOnce(dataDir: string, measureIdle = false): Promise<Run> {
  const t0 = performance.now();
  const s = await startServe(VAKT, dataDir);
  try {
    const page = await s.rpc('desk.queue', { filter: { contractId: null, priority: null, status: null, assignee: null, q: null }, limit: 200 });
    const queueMs = performance.now() - t0;
    const cpuAtQueueMs = cpuOf(s.pid);
    const peakAtQueueMb = mb(memOf(s.pid).hwmKb);
    // Idle: once the background integrity check has run (the one heavy thing after start), then a moment with no requests.
    await integrityChecked(s);
    await new Promise((r) => setTimeout(r, 2000));
    const m = memOf(s.pid);
    const idle = measureIdle ? await idleCpu(s, IDLE_S) : undefined;
    return { urlMs: s.urlMs, queueMs, rows: (page.items as unknown[]).length, peakAtQueueMb, cpuAtQueueMs, peakMb: mb(m.hwmKb), idleMb: mb(m.rssKb), ...(idle ? { idle } : {}) };
  } finally {
    await s.stop();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const f0 = (x: number) => x.toFixed(0);

function report(label: string, runs: Run[]): void {
  for (const [i, r] of runs.entries()) {
    console.log(
      `  run ${i + 1}: URL ${f0(r.urlMs)} ms, first queue page (${r.rows} rows) ${f0(r.queueMs)} ms, CPU by then ${f0(r.cpuAtQueueMs)} ms; RSS peak by then ${f0(r.peakAtQueueMb)} MB, peak ${f0(r.peakMb)} MB, idle ${f0(r.idleMb)} MB`,
    );
    if (r.idle) console.log(`    ${idleLine(r.idle)}`);
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
    `bench:app — path measured: spawn of \`bin/vakt serve\` (as the installed \`vakt\` command, with the node flags of its #! line) → URL on stdout → POST /api/rpc/desk.queue (200 rows) answered; memory from /proc/<pid>/status (VmHWM, VmRSS); ` +
      `idle CPU (last run of each store) from /proc/<pid>/stat, all threads, over ${IDLE_S} s with no requests, after the integrity check and the start's tail settled`,
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
    for (let i = 0; i < RUNS; i++) runs.push(await startOnce(small, i === RUNS - 1));
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
  for (let i = 0; i < RUNS; i++) runs.push(await startOnce(BIG, i === RUNS - 1));
  report('100k', runs);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});

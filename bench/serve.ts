/**
 * A `vakt serve` process as the benches measure it (bench/app.ts, bench/alerts.ts): spawned as the
 * `vakt` command is (bin/vakt with its #! line's node flags), its URL, an RPC client, and its CPU time
 * and memory read from /proc/<pid> (all its threads: main, store worker, integrity check, V8's and
 * libuv's), which the other load of a shared machine does not stretch as it does wall time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** utime + stime in ms from a /proc stat line (clock ticks of 10 ms). */
function statCpu(line: string): number {
  const f = line.slice(line.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

/** CPU time of the process, all its threads, in ms. */
export const cpuOf = (pid: number): number => statCpu(readFileSync(`/proc/${pid}/stat`, 'utf8'));

/** CPU time of the main thread (its tid is the pid) and of all the others, in ms. */
function threadsCpu(pid: number): { main: number; others: number } {
  let main = 0;
  let others = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let ms = 0;
    try {
      ms = statCpu(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
    } catch {
      continue; // the thread ended
    }
    if (Number(tid) === pid) main = ms;
    else others += ms;
  }
  return { main, others };
}

export function memOf(pid: number): { rssKb: number; hwmKb: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN);
  return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
}

export interface Served {
  child: ChildProcess;
  pid: number;
  /** From the spawn to the URL on stdout. */
  urlMs: number;
  rpc(method: string, body: unknown): Promise<any>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Spawns `vakt serve` on `dataDir` and waits for its URL. Its stderr (logs) is kept for an error only. */
export async function startServe(vakt: string, dataDir: string): Promise<Served> {
  const t0 = performance.now();
  const child = spawn(vakt, ['serve', '--data-dir', dataDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
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
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  return { child, pid: child.pid!, urlMs, rpc, stop };
}

/** Waits for the start's background integrity check (the one heavy thing after a start) to have run. */
export async function integrityChecked(s: Served): Promise<void> {
  while ((await s.rpc('app.integrity', {})).state === 'pending') await sleep(100);
}

export interface Idle {
  /** How long the start's tail took to settle (QUIET_S in a row of 5 s slices each using at most one clock tick, 10 ms; at most 90 s), and its CPU. */
  settledS: number;
  settleCpuMs: number;
  wallMs: number;
  cpuMs: number;
  mainMs: number;
  othersMs: number;
  rssMb: number;
}

/** Quiet seconds in a row that end the start's tail: V8's memory reducer compacts the heaps some 8 s after allocation stops. */
const QUIET_S = 20;

/**
 * Idle CPU of the process over `seconds`, nothing asked of it: after its background integrity check, and
 * once the start's tail settled (V8 compacts the heaps 2-3 times some 8 s after allocation stops: its
 * memory reducer, a one-off after a burst of work, not idle work; its CPU is reported as the settling's).
 */
export async function idleCpu(s: Served, seconds: number): Promise<Idle> {
  await integrityChecked(s);
  const t0 = performance.now();
  const cpu0 = cpuOf(s.pid);
  for (let c = cpu0, quiet = 0; quiet < QUIET_S && performance.now() - t0 < 90_000;) {
    await sleep(5000);
    const now = cpuOf(s.pid);
    quiet = now - c <= 10 ? quiet + 5 : 0;
    c = now;
  }
  const settledS = (performance.now() - t0) / 1000;
  const settleCpuMs = cpuOf(s.pid) - cpu0;
  return { settledS, settleCpuMs, ...(await cpuWindow(s, seconds)) };
}

/** The process's CPU (all threads, and the main thread's apart) over the next `seconds`, and its RSS at the end. */
export async function cpuWindow(s: Served, seconds: number): Promise<Omit<Idle, 'settledS' | 'settleCpuMs'>> {
  const a = threadsCpu(s.pid);
  const c0 = cpuOf(s.pid);
  const w0 = performance.now();
  await sleep(seconds * 1000);
  const cpuMs = cpuOf(s.pid) - c0;
  const wallMs = performance.now() - w0;
  const b = threadsCpu(s.pid);
  return { wallMs, cpuMs, mainMs: b.main - a.main, othersMs: b.others - a.others, rssMb: memOf(s.pid).rssKb / 1024 };
}

/** One line: the idle figure against the target (< 1 % of one core). */
export function idleLine(i: Idle): string {
  return `${windowLine(i).replace('; RSS', `; after the start settled: ${i.settledS.toFixed(0)} s, ${i.settleCpuMs} ms of CPU; RSS`)}`;
}

/** One line: a window's CPU against the idle target (< 1 % of one core). */
export function windowLine(i: Omit<Idle, 'settledS' | 'settleCpuMs'>): string {
  const pct = (i.cpuMs / i.wallMs) * 100;
  return (
    `idle CPU over ${(i.wallMs / 1000).toFixed(0)} s: ${i.cpuMs} ms = ${pct.toFixed(3)} % of one core (main thread ${i.mainMs} ms, other threads ${i.othersMs} ms; ` +
    `RSS ${i.rssMb.toFixed(0)} MB)   target < 1 %${pct < 1 ? '' : ', MISSED'}`
  );
}

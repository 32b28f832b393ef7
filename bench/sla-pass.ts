/**
 * One fresh process of `npm run bench:sla` (bench/sla.ts starts it):
 * generates the tickets (not timed), then times the engine's first pass
 * (contract loaded and calendars compiled into a new CalendarCache inside the
 * timing) and `SLA_BENCH_WARM` warm passes, and prints one JSON line.
 *
 *   node --expose-gc --import tsx bench/sla-pass.ts
 *
 * The engine is the one the app runs: dist/core (tsc output), not the
 * sources through tsx's transform. SLA_BENCH_ENGINE names another build's
 * core directory (e.g. /tmp/x-before/dist/core), to alternate before/after
 * in fresh processes. `cold.parts` is the first pass's CPU time in four
 * parts: loadContract, tickets 1-100 (first uses), 101-10,000 (until V8 has
 * optimized the engine) and the rest.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { NOW, calendars, makeTickets, policies } from './sla-data.js';
import type * as EngineModule from '../core/sla/index.js';

const N = Number(process.env.SLA_BENCH_TICKETS ?? 100_000);
const WARM = Number(process.env.SLA_BENCH_WARM ?? 5);
const root = join(import.meta.dirname, '..');
type Engine = typeof EngineModule;
const engineDir = process.env.SLA_BENCH_ENGINE ?? join(root, 'dist', 'core');
const E = (await import(pathToFileURL(join(engineDir, 'sla', 'index.js')).href)) as Engine;

const tickets = makeTickets(N);
const gc = (globalThis as { gc?: () => void }).gc;

export interface PassFigures {
  wallMs: number;
  cpuMs: number;
  checksum: number;
  /** CPU ms of loadContract, tickets 1-100, 101-10,000 and the rest. */
  parts: number[];
}

function pass(cache: InstanceType<Engine['CalendarCache']>): PassFigures {
  gc?.(); // the garbage of generating the tickets (or of the last pass) is not the engine's
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const cpu = (): number => {
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000;
  };
  const marks: number[] = [];
  const contract = E.loadContract({ calendars, policies }, cache);
  marks.push(cpu());
  let checksum = 0;
  for (let i = 0; i < tickets.length; i++) {
    const tk = tickets[i] as (typeof tickets)[number];
    const r = E.evaluateTicket({ events: tk.events, policies: contract.policies, calendars: contract.calendars, now: NOW });
    for (const x of r.targets) checksum += x.dueAt === null ? 0 : (x.dueAt % 1_000_003) + x.elapsedMinutes;
    if (i === 99 || i === 9_999) marks.push(cpu());
  }
  const wallMs = performance.now() - t0;
  const cpuMs = cpu();
  marks.push(cpuMs);
  const parts = marks.map((m, k) => Math.round(m - (k ? (marks[k - 1] as number) : 0)));
  return { wallMs, cpuMs, checksum, parts };
}

const cache = new E.CalendarCache();
const cold = pass(cache);
const warm: PassFigures[] = [];
for (let i = 0; i < WARM; i++) warm.push(pass(cache));
process.stdout.write(`${JSON.stringify({ tickets: N, cold, warm })}\n`);

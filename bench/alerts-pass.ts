/**
 * The alert scheduler's pass after one change, alone, on a copy of a store `bench:alerts` left behind
 * (`KEEP=1 npm run bench:alerts` prints its directory): 400 changes (a note appended, then
 * `scheduler.ticketChanged`) on tickets picked at random among the open ones, p50/p95/p99 and the
 * process's CPU per pass, and apart those of the passes that showed a pop-up. For alternating before/after on the same store (docs/alerts.md "Benchmark").
 *
 *   tsx bench/alerts-pass.ts --store DIR [--label NAME]
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../db/system-time.js';
import { createServices } from '../main/app/services.js';
import { MemoryNotifier } from '../main/notify/notifier.js';

const args = parseArgs({ options: { store: { type: 'string' }, label: { type: 'string' } } }).values;
if (!args.store) throw new Error('--store DIR: a store bench:alerts left behind (KEEP=1)');
const dataDir = mkdtempSync(join(tmpdir(), 'vakt-bench-pass-'));
cpSync(args.store, dataDir, { recursive: true });
const notifier = new MemoryNotifier();
const services = await createServices({ clock: systemClock, notifier, dataDir, host: 'browser', log: () => {} });
const { store, scheduler } = services.context;
const ids: string[] = [];
for (let after: { id: string; at: number } | null = null; ;) {
  const pg = await store.tickets.wakePage(after, 500);
  ids.push(...pg.map((p) => p[0]));
  if (pg.length < 500) break;
  const l = pg[pg.length - 1]!;
  after = { id: l[0], at: l[1] };
}
ids.push(...new Set((await store.notifications.loadOpen()).map((a) => a.ticketId)));
let seed = 11;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const ms: number[] = [];
/** The passes that showed a pop-up (raised or re-notified an alert), apart. */
const showing: number[] = [];
let cpu = 0;
for (let i = 0; i < 400; i++) {
  const id = ids[Math.floor(rnd() * ids.length)]!;
  await store.tickets.appendEvent(id, { type: 'note', data: { text: 'x' } });
  const sent = notifier.sent.length;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await scheduler.ticketChanged(id);
  ms.push(performance.now() - t0);
  if (notifier.sent.length > sent) showing.push(ms[ms.length - 1]!);
  const c = process.cpuUsage(c0);
  cpu += (c.user + c.system) / 1000;
}
const p = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * xs.length)]?.toFixed(2) ?? '-';
console.log(
  `${args.label ?? ''} pass p50 ${p(ms, 0.5)} p95 ${p(ms, 0.95)} p99 ${p(ms, 0.99)} ms, CPU ${(cpu / 400).toFixed(2)} ms/pass (${ids.length} tickets); ` +
    `the ${showing.length} that showed a pop-up: p50 ${p(showing, 0.5)} p95 ${p(showing, 0.95)} ms`,
);
await services.dispose();
rmSync(dataDir, { recursive: true, force: true });

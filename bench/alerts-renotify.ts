/**
 * The re-notification of every unacknowledged critical alert, alone, on a copy of a store `bench:alerts`
 * left behind (`KEEP=1 npm run bench:alerts` prints its directory; some 44k breach alerts): the app's
 * services on a clock driven by hand, moved over `--rounds` re-notification intervals (5 min each). After
 * each: the store calls and alert rows written, the store worker's time on those calls (the time from
 * sending to the answer), the alerts the scheduler holds, and the heap and RSS after a full GC.
 * For alternating before/after on the same store (docs/alerts.md "Benchmark").
 *
 *   node --expose-gc --import tsx bench/alerts-renotify.ts --store DIR [--rounds 3] [--label NAME]
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ManualClock } from '../core/clock.js';
import { StoreClient } from '../db/client.js';
import { createServices } from '../main/app/services.js';
import { MemoryNotifier } from '../main/notify/notifier.js';
import { FakeTimers } from '../test/helpers/fake-timers.js';

const args = parseArgs({ options: { store: { type: 'string' }, rounds: { type: 'string' }, label: { type: 'string' } } }).values;
if (!args.store) throw new Error('--store DIR: a store bench:alerts left behind (KEEP=1)');
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const dataDir = mkdtempSync(join(tmpdir(), 'vakt-bench-renotify-'));
cpSync(args.store, dataDir, { recursive: true });

const calls = new Map<string, { n: number; ms: number }>();
let rows = 0;
const call = StoreClient.prototype.call;
StoreClient.prototype.call = function (this: StoreClient, path: string, a: unknown[] = []) {
  if (path === 'notifications.updateAlerts') rows += (a[0] as unknown[]).length;
  const t0 = performance.now();
  const p = call.call(this, path, a);
  void p.then(
    () => {
      const c = calls.get(path) ?? { n: 0, ms: 0 };
      calls.set(path, { n: c.n + 1, ms: c.ms + performance.now() - t0 });
    },
    () => undefined,
  );
  return p;
};

const clock = new ManualClock(Date.now());
const timers = new FakeTimers(clock);
const notifier = new MemoryNotifier();
const services = await createServices({ clock, notifier, dataDir, host: 'browser', log: () => {}, clockWatch: false, timers });
const { scheduler } = services.context;
const settle = () => scheduler.idle();
await settle();
const mem = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return `heap ${(m.heapUsed / 2 ** 20).toFixed(0)} MB, RSS ${(m.rss / 2 ** 20).toFixed(0)} MB`;
};
console.log(`${args.label ?? ''} started: ${scheduler.loadedAlerts} alerts held, ${mem()}`);
for (let r = 1; r <= Number(args.rounds ?? 3); r++) {
  calls.clear();
  rows = 0;
  const sent = notifier.sent.length;
  const c0 = process.cpuUsage();
  await timers.advanceTo(clock.now() + 5 * 60_000 + 1_000, settle);
  const c = process.cpuUsage(c0);
  const n = [...calls.values()].reduce((s, x) => s + x.n, 0);
  const top = [...calls]
    .sort((x, y) => y[1].ms - x[1].ms)
    .slice(0, 4)
    .map(([p, x]) => `${p} ${x.n}x ${x.ms.toFixed(0)} ms`)
    .join(', ');
  console.log(
    `${args.label ?? ''} re-notification ${r}: ${notifier.sent.length - sent} pop-up(s) ${notifier.sent
      .slice(sent)
      .map((p) => p.id)
      .join(' ')}; ` + `${n} store calls (${top}), ${rows} alert rows written; CPU ${((c.user + c.system) / 1000).toFixed(0)} ms; ${scheduler.loadedAlerts} alerts held, ${mem()}`,
  );
}
await services.dispose();
rmSync(dataDir, { recursive: true, force: true });

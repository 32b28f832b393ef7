/**
 * npm run bench:alerts — the alert scheduler with 100,000 open tickets.
 *
 * A third of the open tickets have nothing ahead (created 30 days ago, every
 * deadline long passed, no update target). They are stored never planned
 * (wake_planned = 0), so the first start plans them: each raises its breach
 * alerts and is stored as planned with nothing ahead (next_wake_at NULL). The
 * others carry a stored next instant. Then the app is started again, as after
 * a restart, with some 33k open breach alerts.
 *
 * Prints:
 *  - the first start and the restart (createServices: store open, scheduler start); what follows is
 *    timed once the restart's integrity check (its own thread) is done;
 *  - the time to plan at start, the app's path (`scheduler.startFrom`: the
 *    tickets never planned or changed since, and the stored next instants a
 *    page at a time from their index); and, as a ratio in the same run, the
 *    naive plan that evaluates every ticket with the SLA engine;
 *  - the time to re-plan after one change, the scheduler's own path (an event
 *    appended, then `scheduler.ticketChanged`: the ticket, its events and its
 *    contract in one worker round trip, the engine, the heap; the wake write
 *    batched behind it), p50/p95 over 200 changes;
 *  - the app's idle CPU on this store: a separate `vakt serve` process (the build, bench/serve.ts), which
 *    holds only the app, over 300 s with no requests after its start settled: one re-notification
 *    interval (5 min), in which each unacknowledged critical alert pops up again once; the process's first
 *    (which reads its alerts in), then the next 300 s (alerts it holds, as every interval after), and what
 *    the two make over the first hour. (Measured in this process, it counted V8 compacting the bench's own
 *    heap after its last phase: 0.5-2 %.)
 * Figures only; nothing is asserted.
 *
 *   tsx bench/alerts.ts [--tickets N] [--idle-seconds S]
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../db/system-time.js';
import { createUuid7 } from '../core/ids/uuid7.js';
import { formatCaseNumber } from '../core/ids/case-number.js';
import { CalendarCache, evaluateTicket, loadContract } from '../core/sla/index.js';
import { openStore } from '../db/store.js';
import { createServices } from '../main/app/services.js';
import { MemoryNotifier } from '../main/notify/notifier.js';
import { cpuWindow, idleCpu, idleLine, startServe, windowLine } from './serve.js';

const args = parseArgs({ options: { tickets: { type: 'string' }, 'idle-seconds': { type: 'string' } } }).values;
const N = Number(args.tickets ?? 100_000);
const IDLE_S = Number(args['idle-seconds'] ?? 300);
const clock = systemClock;
const dataDir = mkdtempSync(join(tmpdir(), 'vakt-bench-alerts-'));
const template = JSON.parse(readFileSync(new URL('../contracts/templates/priority-matrix-dk.json', import.meta.url), 'utf8')) as { calendars: unknown; policies: Record<string, unknown> };
const POLICIES = Object.keys(template.policies);

let seed = 7;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const cpuMs = (c0: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] as number;

function generate(): string[] {
  const store = openStore({ dataDir, clock, machineId: 'bench' });
  const db = store.db;
  const customer = store.customers.createCustomer({ name: 'Bench A/S' });
  const contract = store.customers.createContract({
    customerId: customer.id,
    agreementNumber: 'SA0009858',
    policySet: { calendars: template.calendars, policies: template.policies } as never,
    defaultPolicy: 'normal',
  });
  const newId = createUuid7(clock, (n) => Uint8Array.from({ length: n }, () => Math.floor(rnd() * 256)));
  const now = Date.now();
  const hlc = `${String(now).padStart(13, '0')}-0000-bench`;
  const insT = db.prepare(
    `INSERT INTO tickets (id, case_number, customer_id, contract_id, policy, priority, status, channel, next_wake_at, wake_planned, created_at, updated_at, created_by, hlc)
     VALUES (?, ?, ?, ?, ?, ?, 'open', 'phone', ?, ?, ?, ?, 'bench', ?)`,
  );
  const insE = db.prepare(`INSERT INTO ticket_events (id, ticket_id, type, at, recorded_at, data, device_id, hlc) VALUES (?, ?, ?, ?, ?, ?, 'bench', ?)`);
  const ids: string[] = [];
  db.pragma('synchronous = OFF');
  db.transaction(() => {
    for (let i = 0; i < N; i++) {
      const id = newId();
      ids.push(id);
      const policy = POLICIES[i % POLICIES.length] as string;
      // a third: nothing ahead (every deadline long passed), never planned yet; the others with a stored next instant
      const nothingAhead = i % 3 === 0;
      const created = nothingAhead ? now - 30 * 86_400_000 : now - Math.floor(rnd() * 3 * 86_400_000);
      const wakeAt = nothingAhead ? null : now + 60_000 + Math.floor(rnd() * 7 * 86_400_000);
      insT.run(id, formatCaseNumber('BA', i + 1), customer.id, contract.id, policy, policy, wakeAt, nothingAhead ? 0 : 1, created, created, hlc);
      insE.run(newId(), id, 'created', created, created, JSON.stringify({ policy }), hlc);
      if (rnd() < 0.5) insE.run(newId(), id, 'responded', created + 1_800_000, created + 1_800_000, '{}', hlc);
      if (rnd() < 0.2) insE.run(newId(), id, 'status', created + 3_600_000, created + 3_600_000, '{"status":"waiting_on_customer"}', hlc);
    }
  })();
  db.pragma('synchronous = FULL');
  db.exec('ANALYZE');
  store.close();
  return ids;
}

async function main() {
  console.log(`bench:alerts — ${N.toLocaleString('en')} open tickets (priority matrix DK, business hours with holidays), a third with nothing ahead (never planned until the first start)`);
  console.log(
    `  path: createServices (store worker, SLA planner, alert scheduler); start = scheduler.startFrom (unplanned tickets, then wake pages from the index); change = tickets.appendEvent, then scheduler.ticketChanged; ` +
      `idle = a separate \`vakt serve\` on the same store, /proc/<pid>/stat over ${IDLE_S} s`,
  );
  let t0 = process.hrtime.bigint();
  const ids = generate();
  console.log(`  generated in ${(ms(t0) / 1000).toFixed(1)} s`);

  const open = () => createServices({ clock, notifier: new MemoryNotifier(), dataDir, host: 'browser', log: () => {} });
  t0 = process.hrtime.bigint();
  const first = await open();
  const ready = ms(t0);
  // The catch-up goes on a page at a time after the services are up (main/alerts/catch-up.ts).
  await first.context.scheduler.idle();
  console.log(
    `  first start (plans the ${Math.ceil(N / 3).toLocaleString('en')} tickets never planned, raising their breach alerts): services up in ${ready.toFixed(0)} ms, all planned in ${ms(t0).toFixed(0)} ms`,
  );
  await first.dispose();
  t0 = process.hrtime.bigint();
  const services = await open();
  await services.context.scheduler.idle();
  console.log(`  restart (services up: store open, scheduler start): ${ms(t0).toFixed(0)} ms`);
  const { store, scheduler } = services.context;
  // What follows is timed once the start's own background work is over: its integrity check (a full
  // quick_check of the file in its own thread, main/integrity/watch.ts), which ran beside the passes before.
  const integrity = services.integrity;
  t0 = process.hrtime.bigint();
  for (let i = 0; i < 600 && integrity && integrity.status.checkedAt === null; i++) await new Promise((r) => setTimeout(r, 100));
  console.log(`  (the start's integrity check done ${ms(t0).toFixed(0)} ms after the restart was up)`);

  // Plan at start, as the app does (main/app/services.ts): what was never planned, then the stored next instants a page at a time.
  const source = {
    unplanned: (after: string | null, n: number) => store.tickets.unplannedWakes(after, n),
    page: (after: { at: number; id: string } | null, n: number) => store.tickets.wakePage(after, n),
  };
  const starts: number[] = [];
  let cs = process.cpuUsage();
  for (let i = 0; i < 5; i++) {
    t0 = process.hrtime.bigint();
    await scheduler.startFrom(source);
    starts.push(ms(t0));
  }
  const startCpu = cpuMs(cs) / 5;
  const loads: number[] = [];
  for (let i = 0; i < 5; i++) {
    t0 = process.hrtime.bigint();
    await store.notifications.loadOpen();
    loads.push(ms(t0));
  }
  console.log(
    `  plan at start: ${pct(starts, 50).toFixed(1)} ms (median of 5; CPU ${startCpu.toFixed(1)} ms each, main + store worker; ${scheduler.plannedTickets.toLocaleString('en')} tickets in the heap's window, ${scheduler.loadedAlerts.toLocaleString('en')} of ${(await scheduler.activeAlerts()).length.toLocaleString('en')} active alerts read)   target < 100 ms`,
  );
  console.log(`  (reading every open alert, as a start did before migration 0021: ${pct(loads, 50).toFixed(1)} ms, median of 5)`);

  // Baseline in the same run: evaluating every ticket with the engine at start.
  const contract = loadContract(template, new CalendarCache());
  const policyOf = (i: number) => POLICIES[i % POLICIES.length] as string;
  const now = Date.now();
  t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) evaluateTicket({ events: [{ type: 'created', at: now - 3_600_000, policy: policyOf(i) }], policies: contract.policies, calendars: contract.calendars, now });
  const engineOnly = ms(t0);
  console.log(`  baseline, evaluating every ticket at start (engine only, events in memory): ${engineOnly.toFixed(0)} ms  -> stored instants are ${(engineOnly / pct(starts, 50)).toFixed(1)}x faster`);

  // Re-plan after one change.
  const replans: number[] = [];
  let passCpu = 0;
  for (let i = 0; i < 200; i++) {
    const id = ids[Math.floor(rnd() * ids.length)] as string;
    await store.tickets.appendEvent(id, { type: 'note', data: { text: 'bench note' } });
    t0 = process.hrtime.bigint();
    cs = process.cpuUsage();
    await scheduler.ticketChanged(id);
    replans.push(ms(t0));
    passCpu += cpuMs(cs);
  }
  console.log(
    `  re-plan after one change (the whole scheduler pass, ${(await scheduler.activeAlerts()).length.toLocaleString('en')} active alerts): p50 ${pct(replans, 50).toFixed(2)} ms, p95 ${pct(replans, 95).toFixed(2)} ms, CPU ${(passCpu / 200).toFixed(2)} ms a pass   target p95 < 3 ms`,
  );

  // The planning alone: the ticket, its events and its contract in one round trip, the engine (planner.plan).
  const plans: number[] = [];
  const settings = services.context.sla.alertSettings();
  for (let i = 0; i < 200; i++) {
    const id = ids[Math.floor(rnd() * ids.length)] as string;
    await store.tickets.appendEvent(id, { type: 'note', data: { text: 'bench note' } });
    t0 = process.hrtime.bigint();
    await services.context.planner.plan(id, Date.now(), settings);
    plans.push(ms(t0));
  }
  console.log(`  planning one changed ticket (one round trip + engine, planner.plan): p50 ${pct(plans, 50).toFixed(2)} ms, p95 ${pct(plans, 95).toFixed(2)} ms   target p95 < 3 ms`);

  console.log(`  next wake: ${scheduler.nextWakeAt ? new Date(scheduler.nextWakeAt).toISOString() : 'none'}`);
  await services.dispose();

  // Idle CPU: the app alone in its process (its real timers, store worker, integrity check), on this store.
  const root = join(import.meta.dirname, '..');
  if (!existsSync(join(root, 'dist', 'main', 'hosts', 'cli', 'index.js'))) console.log('  idle CPU: skipped, `vakt serve` is not built (node scripts/build.mjs)');
  else {
    const served = await startServe(join(root, 'bin', 'vakt'), dataDir);
    try {
      const first = await idleCpu(served, IDLE_S);
      console.log(`  \`vakt serve\` on this store (a separate process, the app alone), its first ${IDLE_S} s (the process's first re-notification: its alerts read in): ${idleLine(first)}`);
      const next = await cpuWindow(served, IDLE_S);
      console.log(`  the next ${IDLE_S} s (a re-notification of alerts it holds, as every interval after): ${windowLine(next)}`);
      const hour = first.cpuMs + ((3600 - IDLE_S) / IDLE_S) * next.cpuMs;
      console.log(`  so over its first hour: ${((hour / 3_600_000) * 100).toFixed(3)} % of one core`);
    } finally {
      await served.stop();
    }
  }
  if (!process.env.KEEP) rmSync(dataDir, { recursive: true, force: true });
  else console.log(dataDir);
}

await main();

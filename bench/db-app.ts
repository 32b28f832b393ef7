/**
 * bench:db, the app's own path: the services both hosts build (createServices: the store in its
 * worker thread, the handlers, the SLA engine, the alert scheduler), called through the dispatcher
 * as a host calls them. Prints desk.register (a real contract and SLA, 1000 back to back) with its
 * worker round trips and p50/p99, and for its slowest 1% where the time went (each round trip's time
 * in the worker against its wait; main-thread GC); desk.queue with 200 rows (p50/p95) and desk.ticket
 * (the one ticket opened). Back to back, a registration's wake write (sent after its answer) goes to
 * the worker during the next one and is counted there.
 */
import { readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { createServices } from '../main/app/services.js';
import { MemoryNotifier } from '../main/notify/notifier.js';

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] as number;
const ms = (x: number) => `${x.toFixed(2)} ms`;

/** One worker round trip of a registration: when it was sent and answered (ms from the call), and its time in the worker. */
interface Trip {
  path: string;
  sent: number;
  answered: number;
  worker: number;
}

export async function appPath(dataDir: string, runs = { register: 1000, queue: 100, ticket: 100 }): Promise<void> {
  console.log('through the app (createServices: store worker + handlers + SLA engine + alert scheduler; dispatch as a host calls it):');
  const t0 = performance.now();
  const services = await createServices({ clock: { now: () => Date.now() }, notifier: new MemoryNotifier(), dataDir, host: 'browser', log: () => {}, clockWatch: false });
  // What the start left to do in the background (a catch-up of tickets whose wake-up passed) is done before the
  // figures: a registration's plan during a catch-up waits for one page of it (docs/alerts.md).
  await services.context.scheduler.idle();
  // And the start's integrity check (a full quick_check, main/integrity/watch.ts): its read holds the WAL's
  // frames, so no checkpoint completes and the WAL grows while it runs (1.5-3 s on this file).
  const integrity = services.integrity;
  for (let i = 0; i < 600 && integrity && integrity.status.checkedAt === null; i++) await new Promise((r) => setTimeout(r, 100));
  console.log(`  services up: ${ms(performance.now() - t0)}, with the start's catch-up and integrity check (start is measured by bench:app)`);
  const call = async (method: string, req: unknown): Promise<any> => {
    const r = await services.dispatch(method, req);
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.result;
  };
  // Every worker round trip, but the sync service's status reads (its own timers).
  const store = services.context.store;
  const real = store.call.bind(store);
  let trips = 0;
  let paths: string[] = [];
  // Each round trip's time in the worker (its reply's `ms`), by request id, to split a slow registration (below).
  const inWorker = new Map<number, number>();
  const internals = store as unknown as { nextId: number; onReply(m: { id: number; ms: number }): void };
  const onReply = internals.onReply.bind(store);
  internals.onReply = (m) => {
    inWorker.set(m.id, m.ms);
    onReply(m);
  };
  let started = 0;
  let log: Trip[] = [];
  store.call = (path: string, args?: unknown[]) => {
    if (/^(sync|attachments|oncall)\./.test(path)) return real(path, args);
    trips++;
    const name = path === 'batch' ? `batch(${(args?.[0] as { path: string }[]).map((c) => c.path).join(', ')})` : path;
    paths.push(name);
    const id = internals.nextId;
    const from = started;
    const trip: Trip = { path: name, sent: performance.now() - from, answered: NaN, worker: NaN };
    log.push(trip);
    return real(path, args).finally(() => {
      trip.answered = performance.now() - from;
      trip.worker = inWorker.get(id) ?? NaN;
      inWorker.delete(id);
    });
  };
  // The main thread's garbage collections, to tell a pause in it from a wait for the worker.
  const gcs: Array<{ at: number; ms: number }> = [];
  const gcWatch = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push({ at: e.startTime, ms: e.duration });
  });
  gcWatch.observe({ entryTypes: ['gc'] });

  const file = JSON.parse(readFileSync(new URL('../contracts/examples/nordhavn-sa0009858.json', import.meta.url), 'utf8')) as unknown;
  // A store reused with --dir has the contract from an earlier run.
  const imported = await call('desk.importContract', { file });
  const found = imported.imported ? null : await store.customers.contractByAgreementNumber((file as { agreementNumber: string }).agreementNumber);
  const { contractId, customerId } = found ? { contractId: found.id, customerId: found.customerId } : imported;
  const c = await call('desk.contract', { contractId });
  const req = {
    customerId,
    contractId,
    policy: 'high',
    critical: false,
    channel: 'phone',
    authorisedBy: 'contact',
    contactId: c.contacts[0].id,
    description: 'bench',
    intake: { site_address: 'Kajgade 4' },
  };
  const reg: number[] = [];
  const regTrips: number[] = [];
  const ids: string[] = [];
  const each: Array<{ ms: number; at: number; trips: Trip[] }> = [];
  for (let i = 0; i < runs.register; i++) {
    const before = trips;
    paths = [];
    log = [];
    const s = (started = performance.now());
    ids.push((await call('desk.register', { ...req, title: `bench ${i}` })).ticket.id);
    reg.push(performance.now() - s);
    regTrips.push(trips - before);
    each.push({ ms: performance.now() - s, at: s, trips: log });
  }
  console.log(
    `  desk.register (contract + SLA, contact path, synchronous=FULL), ${runs.register} runs: p50 ${ms(pct(reg, 50))}, p99 ${ms(pct(reg, 99))}, max ${ms(Math.max(...reg))}; worker round trips max ${Math.max(...regTrips)}, median ${pct(regTrips, 50)}   target <= 5 round trips, p99 < 10 ms`,
  );
  // The commit's share: tickets.register in the worker (the transaction and its fsync), and what the call spent besides.
  const commit = each.map((r) => r.trips.find((x) => x.path === 'tickets.register')?.worker ?? 0);
  console.log(
    `    of which tickets.register in the worker: p50 ${ms(pct(commit, 50))}, p99 ${ms(pct(commit, 99))}; the call less that: p50 ${ms(
      pct(
        each.map((r, i) => r.ms - commit[i]!),
        50,
      ),
    )}, p99 ${ms(
      pct(
        each.map((r, i) => r.ms - commit[i]!),
        99,
      ),
    )}`,
  );
  // Where the slowest went (their p99 is these): each round trip as sent→answered from the call, with its
  // time in the worker (the rest is its wait in the worker's queue, the messages, and the main thread's
  // own work between replies), and the main thread's GC pauses during the call.
  await new Promise((r) => setTimeout(r, 50));
  gcWatch.disconnect();
  console.log(`  the ${Math.ceil(runs.register / 100)} slowest (round trip: sent→answered ms from the call [in the worker]; main-thread GC during the call):`);
  for (const r of [...each].sort((a, b) => b.ms - a.ms).slice(0, Math.ceil(runs.register / 100))) {
    const gc = gcs.filter((g) => g.at + g.ms > r.at && g.at < r.at + r.ms).reduce((n, g) => n + g.ms, 0);
    const t = r.trips.map((x) => `${x.path} ${x.sent.toFixed(1)}→${x.answered.toFixed(1)} [${x.worker.toFixed(1)}]`).join(', ');
    console.log(`    ${ms(r.ms)}: ${t}; GC ${gc.toFixed(1)} ms`);
  }

  console.log(`  the last one's round trips: ${paths.join(' → ')}`);

  const q: number[] = [];
  let rows = 0;
  let withTargets = 0;
  for (let i = 0; i < runs.queue; i++) {
    const s = performance.now();
    const page = await call('desk.queue', { filter: {}, limit: 200 });
    q.push(performance.now() - s);
    rows = page.items.length;
    withTargets = page.items.filter((t: { targets: unknown[] }) => t.targets.length).length;
  }
  console.log(`  desk.queue (200 rows, ${withTargets} of ${rows} with SLA targets, from the stored summaries): p50 ${ms(pct(q, 50))}, p95 ${ms(pct(q, 95))}   target p95 < 30 ms`);

  const d: number[] = [];
  for (let i = 0; i < runs.ticket; i++) {
    const s = performance.now();
    await call('desk.ticket', { id: ids[i % ids.length] });
    d.push(performance.now() - s);
  }
  console.log(`  desk.ticket (the ticket opened: one read, the engine with its trace): p50 ${ms(pct(d, 50))}, p95 ${ms(pct(d, 95))}`);
  await services.dispose();
}

/**
 * bench:db, the app's own path: the services both hosts build (createServices: the store in its
 * worker thread, the handlers, the SLA engine, the alert scheduler), called through the dispatcher
 * as a host calls them. Prints desk.register (a real contract and SLA) with its worker round trips
 * and p50/p99, desk.queue with 200 rows (p50/p95) and desk.ticket (the one ticket opened).
 */
import { readFileSync } from 'node:fs';
import { createServices } from '../main/app/services.js';
import { MemoryNotifier } from '../main/notify/notifier.js';

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] as number;
const ms = (x: number) => `${x.toFixed(2)} ms`;

export async function appPath(dataDir: string, runs = { register: 300, queue: 100, ticket: 100 }): Promise<void> {
  console.log('through the app (createServices: store worker + handlers + SLA engine + alert scheduler; dispatch as a host calls it):');
  const t0 = performance.now();
  const services = await createServices({ clock: { now: () => Date.now() }, notifier: new MemoryNotifier(), dataDir, host: 'browser', log: () => {}, clockWatch: false });
  // What the start left to do in the background (a catch-up of tickets whose wake-up passed) is done before the
  // figures: a registration during a catch-up waits for one page of it (docs/alerts.md).
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
  store.call = (path: string, args?: unknown[]) => {
    if (!/^(sync|attachments|oncall)\./.test(path)) {
      trips++;
      paths.push(path === 'batch' ? `batch(${(args?.[0] as { path: string }[]).map((c) => c.path).join(', ')})` : path);
    }
    return real(path, args);
  };

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
  for (let i = 0; i < runs.register; i++) {
    const before = trips;
    paths = [];
    const s = performance.now();
    ids.push((await call('desk.register', { ...req, title: `bench ${i}` })).ticket.id);
    reg.push(performance.now() - s);
    regTrips.push(trips - before);
  }
  console.log(
    `  desk.register (contract + SLA, contact path, synchronous=FULL): p50 ${ms(pct(reg, 50))}, p99 ${ms(pct(reg, 99))}; worker round trips max ${Math.max(...regTrips)}, median ${pct(regTrips, 50)}   target <= 5 round trips, p99 < 10 ms`,
  );

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

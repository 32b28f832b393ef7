/**
 * npm run bench:db — builds a store with 100,000 tickets and 1,000,000 events
 * (the open ones on a real contract, the DK priority matrix, with the schedule
 * and SLA summary the app stores) and prints, store only (openStore in this
 * thread): open time, durable registration latency (p50/p99), queue first
 * page p95, search p95, memory; then through the app's own path (the store
 * worker, the handlers, the SLA engine: bench/db-app.ts): desk.register with a
 * real contract and SLA (round trips, p50/p99) and desk.queue with 200 rows.
 * Figures only; nothing is asserted.
 *
 *   tsx bench/db.ts [--tickets N] [--events N] [--dir D] [--keep]
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../db/system-time.js';
import { createUuid7 } from '../core/ids/uuid7.js';
import { formatCaseNumber } from '../core/ids/case-number.js';
import { openStore } from '../db/store.js';
import type { Store } from '../db/store.js';
import { foldForSearch } from '../db/search.js';
import { evaluateTicket, loadContract } from '../core/sla/index.js';
import type { TicketEvent as SlaEvent } from '../core/sla/index.js';
import { scheduleOf } from '../main/tickets/schedule.js';
import { summaryOf } from '../main/tickets/sla.js';
import { appPath } from './db-app.js';

const args = parseArgs({ options: { tickets: { type: 'string' }, events: { type: 'string' }, dir: { type: 'string' }, keep: { type: 'boolean' } } }).values;
const N_TICKETS = Number(args.tickets ?? 100_000);
const N_EVENTS = Number(args.events ?? 1_000_000);
const dataDir = args.dir ?? mkdtempSync(join(tmpdir(), 'vakt-bench-db-'));
const clock = systemClock;
const machineId = 'bench';

let seed = 42;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)] as T;
const WORDS = [
  'router',
  'printer',
  'dækning',
  'mobil',
  'omstilling',
  'Søren',
  'Ærø',
  'café',
  'server',
  'disk',
  'strøm',
  'netværk',
  'fejl',
  'nede',
  'langsom',
  'opkald',
  'kø',
  'licens',
  'backup',
  'VPN',
  'firewall',
  'switch',
  'WiFi',
  'Bjørn',
  'Åse',
  'faktura',
  'SIM',
  'nummer',
  'portering',
  'kabel',
];
const sentence = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};
const ms = (x: number) => `${x.toFixed(2)} ms`;

function generate(store: Store): void {
  const db = store.db;
  const newId = createUuid7(clock, (n) => Uint8Array.from({ length: n }, () => Math.floor(rnd() * 256)));
  db.pragma('synchronous = OFF');
  const now = Date.now();
  const hlc = `${String(now).padStart(13, '0')}-0000-bench`;
  const customers: string[] = [];
  const assets: string[][] = [];
  db.transaction(() => {
    for (let c = 0; c < 2000; c++) {
      const id = newId();
      customers.push(id);
      db.prepare(`INSERT INTO customers (id, name, created_at, updated_at, hlc) VALUES (?, ?, ?, ?, ?)`).run(id, `Kunde ${c} ${pick(WORDS)}`, now, now, hlc);
      const mine: string[] = [];
      for (let a = 0; a < 5; a++) {
        const aid = newId();
        db.prepare(`INSERT INTO assets (id, customer_id, product, serial_number, created_at, hlc) VALUES (?, ?, ?, ?, ?, ?)`).run(
          aid,
          id,
          pick(['Cisco 4331', 'HP M404', 'iPhone 15']),
          `SN${c}-${a}`,
          now,
          hlc,
        );
        mine.push(aid);
      }
      assets.push(mine);
    }
  })();
  // One real contract for the tickets (the DK priority matrix), so the app's path meets real SLAs.
  const template = JSON.parse(readFileSync(new URL('../contracts/templates/priority-matrix-dk.json', import.meta.url), 'utf8')) as { calendars: unknown; policies: Record<string, unknown> };
  const contract = store.customers.createContract({
    customerId: customers[0] as string,
    agreementNumber: 'BENCH-1',
    policySet: { calendars: template.calendars, policies: template.policies } as never,
    defaultPolicy: 'normal',
  });
  const sla = loadContract(template);
  const seq0 = (db.prepare('SELECT device_seq FROM device_state WHERE id = 1').get() as { device_seq: number }).device_seq;
  const policies = Object.keys(template.policies);
  const insT = db.prepare(
    `INSERT INTO tickets (id, case_number, customer_id, contract_id, asset_id, policy, status, channel, description, customer_ref, next_due_at, next_callback_at, sla_summary, next_wake_at, wake_planned, created_at, updated_at, created_by, hlc)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'bench', ?)`,
  );
  const insE = db.prepare(`INSERT INTO ticket_events (id, ticket_id, type, at, recorded_at, data, device_id, hlc) VALUES (?, ?, ?, ?, ?, ?, 'bench', ?)`);
  const insF = db.prepare(`INSERT INTO search_fts (body, ticket_id, source) VALUES (?, ?, ?)`);
  const insO = db.prepare(`INSERT INTO outbox (id, device_seq, name, version, payload, status, created_at, updated_at, hlc) VALUES (?, ?, 'ticket.create', 1, '{}', 'applied', ?, ?, ?)`);
  const perTicket = Math.max(1, Math.round(N_EVENTS / N_TICKETS));
  const statuses = ['open', 'open', 'waiting_on_customer', 'waiting_on_vendor', 'resolved', 'closed', 'closed', 'closed', 'closed', 'closed'] as const;
  let events = 0;
  const BATCH = 10_000;
  for (let start = 0; start < N_TICKETS; start += BATCH) {
    db.transaction(() => {
      for (let i = start; i < Math.min(N_TICKETS, start + BATCH); i++) {
        const id = newId();
        const ci = Math.floor(rnd() * customers.length);
        const created = now - Math.floor(rnd() * 365 * 86_400_000);
        const status = pick(statuses);
        const policy = pick(policies);
        const desc = sentence(12);
        const evs: Array<[string, string, number, string]> = [[newId(), 'created', created, JSON.stringify({ policy })]];
        const slaEvs: SlaEvent[] = [{ type: 'created', at: created, policy }];
        events++;
        for (let e = 1; e < perTicket && events < N_EVENTS; e++, events++) {
          const at = created + e * 60_000;
          if (e % 3 === 1) evs.push([newId(), 'note', at, JSON.stringify({ text: sentence(15) })]);
          else {
            const type = pick(['responded', 'update_logged', 'time_entry', 'status'] as const);
            evs.push([newId(), type, at, type === 'status' ? '{"status":"waiting_on_customer"}' : '{}']);
            if (type === 'responded' || type === 'update_logged') slaEvs.push({ type, at });
            if (type === 'status') slaEvs.push({ type, at, status: 'waiting_on_customer' });
          }
        }
        // the schedule and SLA summary the app stores with each change (main/tickets/sla.ts)
        const open = status !== 'resolved' && status !== 'closed';
        const st = open ? evaluateTicket({ events: slaEvs, policies: sla.policies, calendars: sla.calendars, now }) : null;
        const sched = scheduleOf(status, st?.targets ?? null);
        const summary = st ? summaryOf({ ok: true, contract: null as never, sla, status: st, events: slaEvs }, now, contract.version, (cal) => sla.calendars.get(cal)?.timezone ?? 'UTC') : null;
        insT.run(
          id,
          formatCaseNumber('BN', i + 1),
          customers[ci],
          contract.id,
          pick(assets[ci] as string[]),
          policy,
          status,
          pick(['phone', 'email', 'web']),
          desc,
          `INC${i}`,
          sched?.nextDueAt ?? null,
          rnd() < 0.05 ? now + Math.floor((rnd() - 0.5) * 86_400_000) : null,
          summary ? JSON.stringify(summary) : null,
          // planned (as the app leaves them): the alert scheduler's next instant, stored as planned (migration
          // 0019), so a start plans only what the clock passed, not every open ticket
          open ? Math.max(st?.nextChangeAt ?? 0, now + 3_600_000) : null,
          open ? 1 : 0,
          created,
          created,
          hlc,
        );
        insF.run(foldForSearch(desc), id, 'ticket');
        insO.run(newId(), seq0 + i + 1, now, now, hlc);
        for (const [eid, type, at, data] of evs) {
          insE.run(eid, id, type, at, at, data, hlc);
          if (type === 'note') insF.run(foldForSearch((JSON.parse(data) as { text: string }).text), id, eid);
        }
      }
    })();
  }
  db.prepare(`UPDATE device_state SET device_seq = ? WHERE id = 1`).run(seq0 + N_TICKETS);
  db.exec('ANALYZE');
  db.pragma('synchronous = FULL');
}

async function main() {
  const file = join(dataDir, 'vakt.db');
  if (!existsSync(file)) {
    const t0 = performance.now();
    const s = openStore({ dataDir, clock, machineId });
    generate(s);
    s.close();
    console.log(
      `built ${N_TICKETS.toLocaleString()} tickets / ${N_EVENTS.toLocaleString()} events in ${((performance.now() - t0) / 1000).toFixed(1)} s; file ${(statSync(file).size / 1e6).toFixed(0)} MB (${dataDir})`,
    );
  }

  console.log('store only (openStore in this thread: no worker, no handlers, no SLA):');
  const opens: number[] = [];
  const checks: number[] = [];
  let store!: Store;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    store = openStore({ dataDir, clock, machineId, quickCheckAtOpen: true });
    opens.push(performance.now() - t0);
    checks.push(store.opened.quickCheckMs);
    if (i < 2) store.close();
  }
  console.log(`open (incl. quick_check): ${opens.map(ms).join(', ')}; of which quick_check ${checks.map(ms).join(', ')}`);
  store.close();
  const t1 = performance.now();
  openStore({ dataDir, clock, machineId }).close();
  console.log(`open as the app opens it (header and schema; quick_check in the background): ${ms(performance.now() - t1)}`);
  // As the app runs it: checkpoints in their own thread, never in a registration's commit (db/checkpoint.ts).
  store = openStore({ dataDir, clock, machineId, backgroundCheckpoint: true });

  const customerId = (store.db.prepare('SELECT id FROM customers LIMIT 1').get() as { id: string }).id;
  const reg: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const t0 = performance.now();
    store.tickets.register({ customerId, channel: 'phone', description: `bench ${sentence(10)}`, customerRef: `B-${i}` });
    reg.push(performance.now() - t0);
  }
  console.log(`registration (ticket + created event + outbox, synchronous=FULL, checkpoints in their thread): p50 ${ms(pct(reg, 50))}, p99 ${ms(pct(reg, 99))}, max ${ms(Math.max(...reg))}`);

  const q: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    store.tickets.queue({ limit: 50 });
    q.push(performance.now() - t0);
  }
  let after = store.tickets.queue({ limit: 50 }).next;
  const deep: number[] = [];
  for (let i = 0; i < 100 && after; i++) {
    const t0 = performance.now();
    const page = store.tickets.queue({ limit: 50, after });
    deep.push(performance.now() - t0);
    after = page.next;
  }
  console.log(`queue first page (50): p95 ${ms(pct(q, 95))}; following pages p95 ${ms(pct(deep, 95))}`);

  const queries = ['router nede', 'Søren', 'aero', 'cafe', 'bjorn vpn', 'firewall switch', 'portering', 'strom', 'licens', 'kabel fejl'];
  const sq: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    store.tickets.search(queries[i % queries.length] as string, 20);
    sq.push(performance.now() - t0);
  }
  console.log(`search (20 hits): p95 ${ms(pct(sq, 95))}, p50 ${ms(pct(sq, 50))}`);

  const lookups: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    store.tickets.byCaseNumber(formatCaseNumber('BN', 1 + Math.floor(rnd() * N_TICKETS)));
    store.tickets.byCustomerRef(`INC${Math.floor(rnd() * N_TICKETS)}`);
    store.tickets.bySerialNumber(`SN${Math.floor(rnd() * 2000)}-1`);
    store.tickets.callbacksDue(Date.now(), 50);
    lookups.push(performance.now() - t0);
  }
  console.log(`lookups (case no. + customer ref + serial + callbacks due): p95 ${ms(pct(lookups, 95))}`);
  const cp = performance.now();
  store.checkpoint();
  console.log(`PASSIVE checkpoint: ${ms(performance.now() - cp)}`);

  const m = process.memoryUsage();
  console.log(`memory: rss ${(m.rss / 1e6).toFixed(0)} MB, heap used ${(m.heapUsed / 1e6).toFixed(0)} MB`);
  store.close();

  await appPath(dataDir);
  if (!args.keep && !args.dir) rmSync(dataDir, { recursive: true, force: true });
}

void main();

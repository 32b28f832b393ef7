/**
 * npm run bench:db — builds a store with 100,000 tickets and 1,000,000 events
 * and prints: open time, durable registration latency (p50/p99), queue first
 * page p95, search p95, memory. Figures only; nothing is asserted.
 *
 *   tsx bench/db.ts [--tickets N] [--events N] [--dir D] [--keep]
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../db/system-time.js';
import { createUuid7 } from '../core/ids/uuid7.js';
import { formatCaseNumber } from '../core/ids/case-number.js';
import { openStore } from '../db/store.js';
import type { Store } from '../db/store.js';
import { foldForSearch } from '../db/search.js';

const args = parseArgs({ options: { tickets: { type: 'string' }, events: { type: 'string' }, dir: { type: 'string' }, keep: { type: 'boolean' } } }).values;
const N_TICKETS = Number(args.tickets ?? 100_000);
const N_EVENTS = Number(args.events ?? 1_000_000);
const dataDir = args.dir ?? mkdtempSync(join(tmpdir(), 'vakt-bench-db-'));
const clock = systemClock;
const machineId = 'bench';

let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)] as T;
const WORDS = ['router', 'printer', 'dækning', 'mobil', 'omstilling', 'Søren', 'Ærø', 'café', 'server', 'disk', 'strøm', 'netværk', 'fejl', 'nede', 'langsom', 'opkald', 'kø', 'licens', 'backup', 'VPN', 'firewall', 'switch', 'WiFi', 'Bjørn', 'Åse', 'faktura', 'SIM', 'nummer', 'portering', 'kabel'];
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
        db.prepare(`INSERT INTO assets (id, customer_id, product, serial_number, created_at, hlc) VALUES (?, ?, ?, ?, ?, ?)`).run(aid, id, pick(['Cisco 4331', 'HP M404', 'iPhone 15']), `SN${c}-${a}`, now, hlc);
        mine.push(aid);
      }
      assets.push(mine);
    }
  })();
  const insT = db.prepare(
    `INSERT INTO tickets (id, case_number, customer_id, asset_id, policy, status, channel, description, customer_ref, next_due_at, next_callback_at, created_at, updated_at, created_by, hlc)
     VALUES (?, ?, ?, ?, 'normal', ?, ?, ?, ?, ?, ?, ?, ?, 'bench', ?)`,
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
        const desc = sentence(12);
        insT.run(id, formatCaseNumber('BN', i + 1), customers[ci], pick(assets[ci] as string[]), status, pick(['phone', 'email', 'web']), desc, `INC${i}`,
          status === 'resolved' || status === 'closed' ? null : now + Math.floor(rnd() * 7 * 86_400_000), rnd() < 0.05 ? now + Math.floor((rnd() - 0.5) * 86_400_000) : null, created, created, hlc);
        insF.run(foldForSearch(desc), id, 'ticket');
        insO.run(newId(), i + 1, now, now, hlc);
        insE.run(newId(), id, 'created', created, created, '{"policy":"normal"}', hlc);
        events++;
        for (let e = 1; e < perTicket && events < N_EVENTS; e++, events++) {
          const eid = newId();
          if (e % 3 === 1) {
            const text = sentence(15);
            insE.run(eid, id, 'note', created + e * 60_000, created + e * 60_000, JSON.stringify({ text }), hlc);
            insF.run(foldForSearch(text), id, eid);
          } else insE.run(eid, id, pick(['responded', 'update_logged', 'time_entry', 'status'] as const), created + e * 60_000, created + e * 60_000, '{}', hlc);
        }
      }
    })();
  }
  db.prepare(`UPDATE device_state SET device_seq = ? WHERE id = 1`).run(N_TICKETS);
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
    console.log(`built ${N_TICKETS.toLocaleString()} tickets / ${N_EVENTS.toLocaleString()} events in ${((performance.now() - t0) / 1000).toFixed(1)} s; file ${(statSync(file).size / 1e6).toFixed(0)} MB (${dataDir})`);
  }

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
  store = openStore({ dataDir, clock, machineId });

  const customerId = (store.db.prepare('SELECT id FROM customers LIMIT 1').get() as { id: string }).id;
  const reg: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const t0 = performance.now();
    store.tickets.register({ customerId, channel: 'phone', description: `bench ${sentence(10)}`, customerRef: `B-${i}` });
    reg.push(performance.now() - t0);
  }
  console.log(`registration (ticket + created event + outbox, synchronous=FULL): p50 ${ms(pct(reg, 50))}, p99 ${ms(pct(reg, 99))}, max ${ms(Math.max(...reg))}`);

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
  if (!args.keep && !args.dir) rmSync(dataDir, { recursive: true, force: true });
}

void main();

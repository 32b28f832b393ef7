/**
 * npm run bench:ui — the browser shell with 100,000 open tickets, measured in
 * Debian's Chromium through playwright-core. Figures only:
 * - first paint of the queue from process start (issue 19): `vakt serve`
 *   spawned, its URL opened in a fresh page, Queue clicked, the first row
 *   painted; 3 fresh processes, the first run included (target < 1.5 s);
 * - opening the queue in a running app (a view switch) and filtering it
 *   (target < 100 ms).
 *
 *   tsx bench/ui.ts [--tickets N] [--keep]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { systemClock } from '../db/system-time.js';
import { formatCaseNumber } from '../core/ids/case-number.js';
import { createUuid7 } from '../core/ids/uuid7.js';
import { foldForSearch } from '../db/search.js';
import { openStore } from '../db/store.js';

const args = parseArgs({ options: { tickets: { type: 'string' }, keep: { type: 'boolean' } } }).values;
const N = Number(args.tickets ?? 100_000);
const root = join(import.meta.dirname, '..');
const dataDir = mkdtempSync(join(tmpdir(), 'vakt-bench-ui-'));
const clock = systemClock;

let seed = 7;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)] as T;
const WORDS = ['router', 'printer', 'dækning', 'server', 'disk', 'strøm', 'netværk', 'fejl', 'nede', 'VPN', 'firewall', 'switch', 'WiFi', 'licens', 'backup'];

function seedDb(): void {
  const store = openStore({ dataDir, clock, machineId: 'bench' });
  const file = JSON.parse(readFileSync(join(root, 'contracts', 'examples', 'nordhavn-sa0009858.json'), 'utf8')) as Record<string, any>;
  const customer = store.customers.createCustomer({ name: file.customer.name });
  const contract = store.customers.createContract({
    customerId: customer.id,
    agreementNumber: file.agreementNumber,
    policySet: { calendars: file.calendars, policies: file.policies },
    defaultPolicy: file.defaultPolicy,
    contacts: file.contacts,
  });
  const db = store.db;
  db.pragma('synchronous = OFF');
  const newId = createUuid7(clock, (n) => Uint8Array.from({ length: n }, () => Math.floor(rnd() * 256)));
  const now = Date.now();
  const hlc = `${String(now).padStart(13, '0')}-0000-bench`;
  // As the app leaves them: planned (wake_planned = 1), so a start plans only what the clock passed.
  const insT = db.prepare(
    `INSERT INTO tickets (id, case_number, customer_id, contract_id, policy, priority, status, channel, title, description, next_due_at, next_wake_at, wake_planned, created_at, updated_at, created_by, hlc)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'phone', ?, ?, ?, ?, 1, ?, ?, 'bench', ?)`,
  );
  const insE = db.prepare(`INSERT INTO ticket_events (id, ticket_id, type, at, recorded_at, data, device_id, hlc) VALUES (?, ?, 'created', ?, ?, ?, 'bench', ?)`);
  const insF = db.prepare(`INSERT INTO search_fts (body, ticket_id, source) VALUES (?, ?, 'ticket')`);
  const policies = ['critical', 'high', 'normal', 'low'];
  for (let start = 0; start < N; start += 10_000) {
    db.transaction(() => {
      for (let i = start; i < Math.min(N, start + 10_000); i++) {
        const id = newId();
        const created = now - Math.floor(rnd() * 3 * 86_400_000);
        const policy = pick(policies);
        const title = `${pick(WORDS)} ${pick(WORDS)}`;
        const desc = Array.from({ length: 10 }, () => pick(WORDS)).join(' ');
        insT.run(
          id,
          formatCaseNumber('BX', i + 1),
          customer.id,
          contract.id,
          policy,
          policy,
          pick(['open', 'open', 'waiting_on_customer']),
          title,
          desc,
          now + Math.floor((rnd() - 0.2) * 5 * 86_400_000),
          now + 86_400_000,
          created,
          created,
          hlc,
        );
        insE.run(newId(), id, created, created, JSON.stringify({ policy }), hlc);
        insF.run(foldForSearch(`${title}\n${desc}`), id);
      }
    })();
  }
  db.exec('ANALYZE');
  store.close();
}

async function serve(): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [join(root, 'bin', 'vakt'), 'serve', '--data-dir', dataDir], { env: { ...process.env, VAKT_NOTIFIER: 'memory' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^(http:\/\/127\.0\.0\.1:\d+\/#k=[A-Za-z0-9_-]+)$/m.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`vakt serve exited with ${code}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((r) => {
        child.once('exit', () => r());
        child.kill('SIGTERM');
      }),
  };
}

async function main() {
  const t0 = performance.now();
  seedDb();
  console.log(`seeded ${N.toLocaleString()} open tickets in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  // Chromium is started once, before the clock: the app's start is what is measured, not the browser's.
  const browser = await chromium.launch({
    executablePath: process.env.VAKT_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const firsts: Array<{ url: number; paint: number }> = [];
  for (let run = 0; run < 3; run++) {
    const a = performance.now();
    const s = await serve();
    const url = performance.now() - a;
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await page.goto(s.url);
    await page.getByRole('button', { name: 'Queue' }).click();
    await page.locator('[role=listitem]').first().waitFor();
    firsts.push({ url, paint: performance.now() - a });
    await ctx.close();
    await s.stop();
  }
  console.log(
    `first paint of the queue from process start (spawn of vakt serve → URL → page → Queue → first row): ` +
      `${firsts.map((f, i) => `run ${i + 1} ${f.paint.toFixed(0)} ms (URL at ${f.url.toFixed(0)} ms)`).join(', ')} — target < 1500 ms, the first run included`,
  );
  const server = await serve();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(server.url);
    await page.getByRole('status').filter({ hasText: 'Ready' }).waitFor();
    const opens: number[] = [];
    const filters: number[] = [];
    for (let run = 0; run < 5; run++) {
      await page.getByRole('button', { name: 'New call' }).click();
      const a = performance.now();
      await page.getByRole('button', { name: 'Queue' }).click();
      await page.locator('[role=listitem]').first().waitFor();
      opens.push(performance.now() - a);
      if (process.env.BENCH_DEBUG) console.log('opened', opens.at(-1));
      // filter: priority "critical" (the first row must change to a critical one)
      const b = performance.now();
      await page.getByLabel('Priority').selectOption('critical');
      await page.waitForFunction(() => {
        const rows = Array.from(document.querySelectorAll('[role=listitem]'));
        return rows.length > 0 && rows.every((r) => r.textContent?.includes('· critical ·'));
      });
      filters.push(performance.now() - b);
      await page.getByLabel('Priority').selectOption('');
    }
    // scrolling deep into the list pages the API with its cursor
    const c = performance.now();
    // the list only grows as pages arrive, so keep scrolling towards 40,000 px until they have
    await page.waitForFunction(
      () => {
        const list = document.querySelector('.vlist');
        if (list) list.scrollTop = Math.min(40_000, list.scrollHeight);
        // 40,000 px is row ~530: the first three pages of 200 (the third fetched by the cursor)
        return Number(document.querySelector('[data-testid=queue-count]')?.textContent?.replace(/\D/g, '') ?? 0) >= 600;
      },
      undefined,
      { polling: 50 },
    );
    const scroll = performance.now() - c;
    const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
    console.log(`open queue: median ${med(opens).toFixed(0)} ms (runs: ${opens.map((x) => x.toFixed(0)).join(', ')}) — target < 1500 ms`);
    console.log(`filter by priority: median ${med(filters).toFixed(0)} ms (runs: ${filters.map((x) => x.toFixed(0)).join(', ')}) — target < 100 ms`);
    console.log(`scroll 40,000 px and page further: ${scroll.toFixed(0)} ms`);
  } finally {
    await browser.close();
    await server.stop();
    if (!args.keep) rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();

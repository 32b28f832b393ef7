/**
 * Crash safety of the desk handlers (issue 14 items 6 and 7): a child running
 * the app's services imports contracts, registers tickets and responds to them
 * while it is killed with SIGKILL at random moments. After each kill every
 * customer has its contract, every open ticket has its deadline (stored with
 * the change, not after it), every acknowledged ticket is there, and a
 * responded ticket's deadline is the resolution's, not the met response's.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createServices } from '../../main/app/services.js';
import { systemClock } from '../../db/system-time.js';
import { MemoryNotifier } from '../../main/notify/notifier.js';
import { runAndKill } from '../helpers/kill9.js';
import { cleanupTempDirs, tempDir } from './helpers.js';

const RUNS = 20;
const child = new URL('./fixtures/kill9-desk-child.ts', import.meta.url).pathname;
afterAll(cleanupTempDirs);

/** Runs the child until it has acknowledged `lines` answers, then kills it `delayMs` later (mid-request, at a random point). */
async function runOnce(dataDir: string, lines: number, delayMs: number): Promise<{ lines: string[][]; stderr: string }> {
  const r = await runAndKill(['--import', 'tsx', child, dataDir], { when: (out) => out.split('\n').length - 2 >= lines, afterMs: delayMs });
  return { lines: r.lines.filter((l) => l !== 'READY').map((l) => l.split(' ')), stderr: r.err };
}

it(`desk: ${RUNS} SIGKILLs during imports, registrations and responses leave no customer without its contract and no open ticket without its deadline`, async () => {
  const dataDir = tempDir('vakt-kill9-desk-');
  const tickets = new Set<string>();
  const responded = new Set<string>();
  let rng = 4711;
  const rand = () => (rng = (rng * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let run = 0; run < RUNS; run++) {
    const r = await runOnce(dataDir, 2 + Math.floor(rand() * 12), Math.floor(rand() * 25));
    expect(r.stderr, `run ${run} stderr`).toBe('');
    for (const l of r.lines) {
      if (l[0] === 'ticket') tickets.add(l[2] as string);
      if (l[0] === 'act') responded.add(l[1] as string);
    }
    const db = new Database(join(dataDir, 'vakt.db'), { readonly: true });
    try {
      const lonely = db.prepare(`SELECT name FROM customers c WHERE NOT EXISTS (SELECT 1 FROM contracts k WHERE k.customer_id = c.id)`).all();
      expect(lonely, `customers without their contract after run ${run}`).toEqual([]);
      const open = db.prepare(`SELECT id, case_number FROM tickets WHERE status NOT IN ('resolved','closed') AND next_due_at IS NULL`).all();
      expect(open, `open tickets without a deadline after run ${run}`).toEqual([]);
      const ids = new Set((db.prepare('SELECT id FROM tickets').all() as { id: string }[]).map((x) => x.id));
      for (const id of tickets) expect(ids.has(id), `acknowledged ticket ${id} missing after run ${run}`).toBe(true);
      // responded (stored, acknowledged or not): the deadline moved on to the resolution (8 h on 24x7), past the response's 30 min
      const stale = db
        .prepare(
          `SELECT t.case_number FROM tickets t WHERE EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.type = 'responded')
             AND t.next_due_at < t.created_at + 60 * 60 * 1000`,
        )
        .all();
      expect(stale, `responded tickets still due at the response deadline after run ${run}`).toEqual([]);
    } finally {
      db.close();
    }
  }
  // After a restart the app serves every acknowledged ticket with its deadline, in deadline order.
  const services = await createServices({ clock: systemClock, notifier: new MemoryNotifier(), dataDir, host: 'browser', timezone: 'Europe/Copenhagen', clockWatch: false });
  try {
    const queue: { id: string; nextDueAt: number | null }[] = [];
    let cursor: unknown = null;
    do {
      const r = await services.dispatch('desk.queue', { cursor, limit: 500 });
      if (!r.ok) throw new Error(r.error.message);
      const page = r.result as { items: { id: string; nextDueAt: number | null }[]; next: unknown };
      queue.push(...page.items);
      cursor = page.next;
    } while (cursor);
    const inQueue = new Map(queue.map((t) => [t.id, t.nextDueAt]));
    for (const id of tickets) expect(inQueue.get(id), `acknowledged ticket ${id} after restart`).toEqual(expect.any(Number));
  } finally {
    await services.dispose();
  }
  console.log(`kill-9 desk: ${RUNS} kills, ${tickets.size} acknowledged tickets, ${responded.size} acknowledged responses`);
  expect(tickets.size).toBeGreaterThanOrEqual(RUNS);
}, 300_000);

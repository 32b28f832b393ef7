/**
 * Crash safety: a child process registering tickets is killed with SIGKILL at
 * random moments, 200 times. After each kill every acknowledged ticket must be
 * there, the file must pass quick_check and foreign_key_check, and case
 * numbers must be unique and never reissued.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bundleChild, ready, runAndKill } from '../helpers/kill9.js';
import { cleanupTempDirs, tempDir } from './helpers.js';

const RUNS = 200;
let bundle: string;

beforeAll(async () => {
  bundle = await bundleChild(new URL('./fixtures/kill9-child.ts', import.meta.url), tempDir('vakt-kill9-bin-'));
});
afterAll(cleanupTempDirs);

/** One start of the child, killed `killAfterReadyMs` after READY, or `killAfterSpawnMs` after the start (during open). */
async function runOnce(dataDir: string, killAfterReadyMs: number, killAfterSpawnMs: number | null): Promise<{ acked: [string, string][]; stderr: string; ready: boolean }> {
  const r = await runAndKill([bundle, dataDir], killAfterSpawnMs === null ? { when: ready, afterMs: killAfterReadyMs } : { afterSpawnMs: killAfterSpawnMs });
  return { acked: r.lines.filter((l) => l !== 'READY').map((l) => l.split(' ') as [string, string]), stderr: r.err, ready: ready(r.out) };
}

it(`survives ${RUNS} SIGKILLs without losing an acknowledged ticket`, async () => {
  const dataDir = tempDir('vakt-kill9-');
  const acked = new Map<string, string>(); // case number -> ticket id
  let rng = 12345;
  const rand = () => (rng = (rng * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const started = Date.now();
  let readyRuns = 0;
  for (let run = 0; run < RUNS; run++) {
    const duringOpen = run % 10 === 9;
    const r = await runOnce(dataDir, 20 + Math.floor(rand() * 130), duringOpen ? 5 + Math.floor(rand() * 60) : null);
    expect(r.stderr, `run ${run} stderr`).toBe('');
    if (r.ready) readyRuns++;
    for (const [num, id] of r.acked) {
      expect(acked.has(num), `case number ${num} issued twice (run ${run})`).toBe(false);
      acked.set(num, id);
    }
    const db = new Database(join(dataDir, 'vakt.db'));
    try {
      expect(db.pragma('quick_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const rows = db.prepare('SELECT case_number, id FROM tickets').all() as { case_number: string; id: string }[];
      const inDb = new Map(rows.map((x) => [x.case_number, x.id]));
      expect(inDb.size).toBe(rows.length);
      for (const [num, id] of acked) expect(inDb.get(num), `acknowledged ${num} missing after run ${run}`).toBe(id);
      const orphans = db.prepare(`SELECT count(*) AS n FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.type = 'created')`).get() as { n: number };
      expect(orphans.n).toBe(0);
      const counts = db.prepare(`SELECT (SELECT count(*) FROM tickets) AS t, (SELECT count(*) FROM outbox WHERE name = 'ticket.create') AS m`).get() as { t: number; m: number };
      expect(counts.m).toBe(counts.t);
      if (run === RUNS - 1) {
        const withMutation = new Set((db.prepare(`SELECT json_extract(payload, '$.ticketId') AS id FROM outbox WHERE name = 'ticket.create'`).all() as { id: string }[]).map((x) => x.id));
        expect(rows.every((x) => withMutation.has(x.id))).toBe(true);
      }
    } finally {
      db.close();
    }
  }
  const secs = (Date.now() - started) / 1000;
  console.log(`kill-9: ${RUNS} kills in ${secs.toFixed(1)} s, ${readyRuns} after the store was open, ${acked.size} acknowledged tickets, all present`);
  expect(acked.size).toBeGreaterThan(RUNS);
}, 240_000);

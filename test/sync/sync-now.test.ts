/**
 * "Sync now" (`sync.now`, SyncService.syncNow over SyncWorker.syncNow) answers with the outcome of a
 * cycle that synced what was on the device when it was asked. Before, the pending change seen after
 * a pull in test/main/reports-evidence.test.ts (there, the device's own change, made while a cycle ran):
 * - it joined a cycle already running (a poke's, a kick's), which may have pushed before the
 *   person's change was written, and answered "syncing, 1 change waiting";
 * - it answered with the state of whatever ran when it read the status: the next cycle (the server
 *   poked the pushing device too then), begun while the photo transfers ran, made a finished, up-to-date
 *   cycle answer "syncing".
 * A SQLite device driven by the app's SyncService against a real server (test/sync/fleet.ts); its
 * pulls and photo transfers are held back at gates, so that the changes and the cycles interleave
 * as they did.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { FetchLike } from '../../main/sync/http-transport.js';
import type { AttachmentQueue } from '../../main/sync/attachment-sync.js';
import { Fleet, sync } from './fleet.js';

const fleet = new Fleet();
beforeAll(() => fleet.start());
afterAll(() => fleet.stop());
afterEach(() => fleet.clear());

/** `hold()` keeps the next `pass()` waiting until its `open()`; `reached` resolves once one waits there. */
class Gate {
  private holds: { reach: () => void; opened: Promise<void> }[] = [];
  hold(): { reached: Promise<void>; open: () => void } {
    let reach = () => {};
    let open = () => {};
    const reached = new Promise<void>((r) => (reach = r));
    this.holds.push({ reach, opened: new Promise<void>((r) => (open = r)) });
    return { reached, open };
  }
  async pass(): Promise<void> {
    const h = this.holds.shift();
    if (!h) return;
    h.reach();
    await h.opened;
  }
}

/** The device's pulls pass the gate. */
const pullsThrough =
  (gate: Gate) =>
  (f: FetchLike): FetchLike =>
  async (url, init) => {
    if (new URL(url).pathname === '/v1/sync/pull') await gate.pass();
    return f(url, init);
  };

it('"sync now" while a cycle runs: the answer includes a change made after that cycle had pushed', async () => {
  const pulls = new Gate();
  const c = await fleet.enrolled('duty_officer', { fetch: pullsThrough(pulls) });
  await sync(c);

  const held = pulls.hold();
  const running = c.sync.syncNow(); // pushes nothing, then waits in its pull
  await held.reached;
  const id = c.d.createTicket('Uplink down'); // made while that cycle runs
  const asked = c.sync.syncNow();
  held.open();
  await running;

  const s = await asked;
  expect([s.state, s.pending]).toEqual(['up_to_date', 0]);
  const other = await fleet.enrolled();
  await sync(other);
  expect(other.d.store.tickets.get(id)?.title).toBe('Uplink down');
});

it('"sync now" answers with its own cycle: up to date, though the next cycle has begun when it answers', async () => {
  const pulls = new Gate();
  const photos = new Gate();
  const c = await fleet.enrolled('duty_officer', {
    fetch: pullsThrough(pulls),
    // "sync now" runs the photo transfers after its cycle; their first look at the queue passes the gate
    attachments: (d) => {
      const q: AttachmentQueue = d.store.attachments;
      const queue: AttachmentQueue = {
        due: async (now, limit, force) => (await photos.pass(), q.due(now, limit, force)),
        nextDueAt: () => q.nextDueAt(),
        counts: () => q.counts(),
        done: (sha) => q.done(sha),
        retry: (sha, f) => q.retry(sha, f),
        fail: (sha, f) => q.fail(sha, f),
        setDirection: (sha, dir) => q.setDirection(sha, dir),
      };
      return { queue, dataDir: d.dataDir };
    },
  });
  await sync(c);

  c.d.createTicket('Uplink down');
  const transfers = photos.hold();
  const mine = c.sync.syncNow(); // pushes the ticket, pulls, then waits in the photo transfers
  await transfers.reached;
  const pull = pulls.hold();
  const next = c.sync.syncNow(); // the next cycle begins meanwhile (as a poke's does) and waits in its pull
  await pull.reached;
  transfers.open();
  try {
    expect(await mine).toMatchObject({ state: 'up_to_date', pending: 0 });
  } finally {
    pull.open();
  }
  expect(await next).toMatchObject({ state: 'up_to_date', pending: 0 });
});

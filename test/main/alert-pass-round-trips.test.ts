/**
 * A scheduler pass after one change waits for few store-worker round trips one after another (issue 19):
 * what rarely changes (enrolment, this user, the rotas) is kept in the main thread, the pop-up's names come
 * with the ticket's planning inputs, what the pop-up reads goes out with the alert's write, and the writes
 * whose answer the pass does not need (the wake instant, the shown stamp) are not waited for.
 *
 * Counted on the real services and store worker: every reply is held until the worker has answered all
 * the calls made so far, then they are released together. Each release the pass needs before it ends is
 * one round trip it waited for; a call it does not wait for does not hold it up.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { StoreClient } from '../../db/client.js';
import { createServices } from '../../main/app/services.js';
import { MemoryNotifier } from '../../main/notify/notifier.js';
import { contractStore } from '../helpers/contract-store.js';

const T0 = Date.UTC(2026, 2, 30, 7, 0); // Monday 09:00 in Copenhagen
const dirs: { cleanup(): void }[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  dirs.splice(0).forEach((d) => d.cleanup());
});

/** Lets everything run that can run without a store reply (replies already here are microtasks). */
const settle = async () => {
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
};

/** Holds the store's replies: `rounds(pass)` releases them a round at a time and answers the calls of each round the pass waited for. */
function holdReplies() {
  const held: Array<{ answer: Promise<unknown>; release(): void }> = [];
  let sent: string[] = [];
  const call = StoreClient.prototype.call;
  vi.spyOn(StoreClient.prototype, 'call').mockImplementation(function (this: StoreClient, path: string, args?: unknown[]) {
    sent.push(path);
    const answer = call.call(this, path, args);
    answer.catch(() => undefined);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    held.push({ answer, release });
    return gate.then(() => answer);
  });
  return {
    async rounds(pass: Promise<unknown>): Promise<string[][]> {
      let done = false;
      const ended = pass.finally(() => (done = true));
      ended.catch(() => undefined);
      const rounds: string[][] = [];
      for (;;) {
        await settle();
        if (done) break;
        if (!held.length) throw new Error('the pass waits for something other than the store');
        const now = held.splice(0);
        rounds.push(sent);
        sent = [];
        await Promise.all(now.map((h) => h.answer.catch(() => undefined)));
        now.forEach((h) => h.release());
      }
      await ended;
      // What the pass sent and did not wait for is answered too, before the next pass.
      for (const h of held.splice(0)) (await h.answer.catch(() => undefined), h.release());
      sent = [];
      return rounds;
    },
  };
}

/** Timers that never fire: only the passes the test asks for run. */
const stillTimers = { setTimeout: () => 0, clearTimeout: () => {} };

async function setUp() {
  const clock = new ManualClock(T0);
  const { tmp, store, reg } = contractStore(clock);
  dirs.push(tmp);
  const [first, id] = [reg('Router down'), reg('Fibre down')];
  store.close();
  const notifier = new MemoryNotifier();
  const services = await createServices({ clock, notifier, dataDir: tmp.dir, host: 'browser', timezone: 'Europe/Copenhagen', clockWatch: false, integrity: false, timers: stillTimers });
  const scheduler = services.context.scheduler;
  await scheduler.idle();
  // Past the 75 % warning of the 1 h response (45 min), before its deadline.
  clock.advance(50 * 60_000);
  // A pass before, which reads what the process reads once (the enrolment, this user, the rotas): the next ones are counted.
  await scheduler.ticketChanged(first);
  return { clock, notifier, services, scheduler, id };
}

it('a pass that raises and shows an alert waits for 2 round trips; one that changes no alert for 1', async () => {
  const { notifier, services, scheduler, id } = await setUp();
  try {
    // what the plan brings for the pass: the pop-up's names and the ticket's owner (the alert scope's)
    const plan = await services.context.planner.plan(id, services.context.clock.now(), scheduler.settings());
    expect(plan.facts).toMatchObject({ customer: 'Fjordkraft A/S', title: 'Fibre down', zones: { response: 'Europe/Copenhagen' } });
    expect(plan.owner).toEqual({ assignee: null, contractId: expect.any(String) });

    const replies = holdReplies();
    const raised = await replies.rounds(scheduler.ticketChanged(id));
    const shown = notifier.sent.filter((n) => n.id === `ticket|${id}`);
    expect(shown).toHaveLength(1);
    expect(shown[0]!.title).toContain('Fjordkraft A/S');
    expect(shown[0]!.body).toContain('Fibre down');
    expect(raised.length, JSON.stringify(raised)).toBeLessThanOrEqual(2);
    // the pop-up's names came with the planning inputs: neither the ticket nor its customer is read again
    expect(raised.flat()).not.toContain('tickets.get');
    expect(raised.flat()).not.toContain('customers.getCustomer');
    expect(raised.flat().filter((p) => p === 'tickets.slaInputs')).toHaveLength(1);

    const same = await replies.rounds(scheduler.ticketChanged(id));
    expect(same, JSON.stringify(same)).toEqual([['tickets.slaInputs']]);
    vi.restoreAllMocks();
    await scheduler.idle();
    // the stamp the pass did not wait for is stored: it is not shown again at a restart
    const stored = (await scheduler.activeAlerts()).filter((a) => a.ticketId === id);
    expect(stored.map((a) => [a.kind, a.notifiedAt !== null])).toEqual([['response_warning', true]]);
    expect(notifier.sent.filter((n) => n.id === `ticket|${id}`)).toHaveLength(1);
  } finally {
    vi.restoreAllMocks();
    await services.dispose();
  }
});

it('a pass whose warning becomes a breach resolves one alert and raises and shows another in 2 round trips', async () => {
  const { clock, notifier, services, scheduler, id } = await setUp();
  try {
    await scheduler.ticketChanged(id);
    clock.advance(11 * 60_000); // past the 1 h response deadline
    const replies = holdReplies();
    const rounds = await replies.rounds(scheduler.ticketChanged(id));
    vi.restoreAllMocks();
    expect(notifier.sent.filter((n) => n.id === `ticket|${id}`).at(-1)?.body).toMatch(/deadline/i);
    expect(rounds.length, JSON.stringify(rounds)).toBeLessThanOrEqual(2);
    await scheduler.idle();
    const open = (await services.context.store.notifications.loadOpen()).filter((a) => a.ticketId === id);
    expect(open.map((a) => [a.kind, a.state, a.notifiedAt !== null])).toEqual([['breach', 'active', true]]);
  } finally {
    vi.restoreAllMocks();
    await services.dispose();
  }
});

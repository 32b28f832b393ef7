/**
 * After a re-notification the scheduler lets go of the alerts it re-notified (issue 19: it held every
 * re-notifying alert, 44k on the bench:alerts store, RSS 205-213 MB against 150): it reads them again when
 * the next one comes due, and what the summary does stays as before: it re-notifies all of them, acknowledging
 * one ticket keeps it on screen, "Acknowledge all" acknowledges every one and closes it. Real services and store.
 */
import { expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { contractStore } from '../helpers/contract-store.js';
import { MIN, T0, cleanedAfterEach, renotifyRig } from '../helpers/renotify-rig.js';

const N = 40;
const dirs = cleanedAfterEach();

it(`after re-notifying ${N} alerts the scheduler holds a few of them, and the summary behaves as before`, async () => {
  const clock = new ManualClock(T0);
  const { tmp, store, reg } = contractStore(clock);
  dirs.push(tmp);
  const ids = Array.from({ length: N }, (_, i) => reg(`Line ${i} down`));
  store.close();

  const { services, notifier, advanceTo } = await renotifyRig(clock, tmp.dir);
  try {
    const { scheduler } = services.context;
    await advanceTo(T0 + 61 * MIN); // the breaches at 10:00, one summary
    const breached = notifier.sent.length - 1;
    await advanceTo(T0 + 66 * MIN); // re-notified at 10:05
    expect(scheduler.loadedAlerts).toBeLessThan(N / 4);
    await advanceTo(T0 + 71 * MIN); // and at 10:10, all of them
    const titles = notifier.sent.slice(breached).map((n) => n.title);
    expect(titles).toHaveLength(3);
    for (const t of titles) expect(t).toContain(`${N} alerts`);
    expect(titles[2]).toBe(titles[1]);
    expect(scheduler.loadedAlerts).toBeLessThan(N / 4);

    // One ticket acknowledged (from the Alerts panel): the summary stays, for the others.
    const one = (await scheduler.activeAlerts()).find((a) => a.ticketId === ids[0])!;
    expect(await scheduler.acknowledge(one.key)).toBe(true);
    expect(notifier.closed).not.toContain('summary');
    await advanceTo(T0 + 76 * MIN); // 10:15: the other N - 1
    expect(notifier.sent.at(-1)!.title).toContain(String(N - 1));
    // "Acknowledge all" on the summary: every one of them, and the summary closes.
    await scheduler.act('summary', 'acknowledge-all');
    expect(await scheduler.activeAlerts()).toEqual([]);
    expect(notifier.closed).toContain('summary');
  } finally {
    await services.dispose();
  }
});

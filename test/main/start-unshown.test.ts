/**
 * An alert stored but never shown is shown at the next start: a quit during a start's catch-up (its later
 * pages' alerts wait for one summary at the end) or a power loss that kept an alert's row but not its
 * pop-up's stamp left it active, counted and never shown, a critical one never re-notified either.
 * Real SQLite, the app's services, two starts on one data dir.
 */
import { expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { createServices } from '../../main/app/services.js';
import { MemoryNotifier } from '../../main/notify/notifier.js';
import { contractStore } from '../helpers/contract-store.js';

const T0 = Date.UTC(2026, 2, 30, 7, 0);
const N = 600;

it('a quit during the catch-up leaves no alert unshown: the next start shows it', async () => {
  const clock = new ManualClock(T0);
  const { tmp, store, reg } = contractStore(clock);
  try {
    for (let i = 0; i < N; i++) reg(`Ticket ${i}`);
    store.close();
    // Closed past every ticket's response warning: a start plans 600 tickets, 100 a step.
    clock.advance(50 * 60_000);
    const opts = { clock, dataDir: tmp.dir, host: 'browser' as const, timezone: 'Europe/Copenhagen', clockWatch: false };
    const first = await createServices({ ...opts, notifier: new MemoryNotifier() });
    await first.dispose(); // quit while the catch-up's later pages wait
    const notifier = new MemoryNotifier();
    const second = await createServices({ ...opts, notifier });
    try {
      await second.context.scheduler.idle();
      const active = await second.context.scheduler.activeAlerts();
      expect(active.length).toBeGreaterThanOrEqual(N);
      expect(active.filter((a) => a.notifiedAt === null)).toEqual([]);
      expect(notifier.sent.some((n) => n.id === 'summary')).toBe(true);
    } finally {
      await second.dispose();
    }
  } finally {
    tmp.cleanup();
  }
});

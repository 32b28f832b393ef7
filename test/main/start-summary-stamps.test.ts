/**
 * A start's catch-up shows its first page's alerts at once and the later pages' as one summary at the
 * end (catch-up.ts); that summary lists the first one's alerts again, as it replaces it. Issue 19: it
 * also stamped them shown again, so the first start after an upgrade wrote 13,000 alerts twice (2 x 0.15 s
 * in the store's worker, the first queue page waiting behind it). What is counted: the 'shown' stamps
 * each alert gets in the store's writes. Real SQLite through the store's worker, the app's services.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { StoreClient } from '../../db/client.js';
import type { AlertRecord } from '../../db/repos/notifications.js';
import { createServices } from '../../main/app/services.js';
import { MemoryNotifier } from '../../main/notify/notifier.js';
import { contractStore } from '../helpers/contract-store.js';

const T0 = Date.UTC(2026, 2, 30, 7, 0);
const N = 350; // four pages of the catch-up (CATCH_UP_PAGE = 100)

afterEach(() => vi.restoreAllMocks());

it("a start's catch-up stamps each alert shown once: the closing summary does not stamp again what the first page's showed", async () => {
  const clock = new ManualClock(T0);
  const { tmp, store, reg } = contractStore(clock);
  try {
    for (let i = 0; i < N; i++) reg(`Ticket ${i}`);
    store.close();
    // Closed past every ticket's response warning: the start plans N tickets, 100 a step.
    clock.advance(50 * 60_000);
    const stamps = new Map<string, number>();
    const call = StoreClient.prototype.call;
    vi.spyOn(StoreClient.prototype, 'call').mockImplementation(function (this: StoreClient, path: string, args: unknown[] = []) {
      if (path === 'notifications.updateAlerts') {
        for (const a of args[0] as AlertRecord[]) {
          if (a.notifiedAt !== null && a.state === 'active') {
            const key = `${a.ticketId}|${a.target}|${a.kind}|${a.dueAt}`;
            stamps.set(key, (stamps.get(key) ?? 0) + 1);
          }
        }
      }
      return call.call(this, path, args);
    });
    const notifier = new MemoryNotifier();
    const services = await createServices({ clock, dataDir: tmp.dir, host: 'browser', timezone: 'Europe/Copenhagen', clockWatch: false, integrity: false, notifier });
    try {
      await services.context.scheduler.idle();
      const active = await services.context.scheduler.activeAlerts();
      expect(active.length).toBeGreaterThanOrEqual(N);
      // every alert shown (stamped), and listed in the summary
      expect(active.filter((a) => a.notifiedAt === null)).toEqual([]);
      expect(notifier.sent.filter((n) => n.id === 'summary').length).toBe(2);
      // Before: the first page's 100 alerts were stamped twice.
      const twice = [...stamps.values()].filter((n) => n > 1).length;
      expect({ stamped: stamps.size, twice }).toEqual({ stamped: active.length, twice: 0 });
    } finally {
      await services.dispose();
    }
  } finally {
    tmp.cleanup();
  }
});

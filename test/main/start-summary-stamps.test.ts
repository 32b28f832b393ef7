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
import { openStore } from '../../db/store.js';
import { CATCH_UP_PAGE } from '../../main/alerts/catch-up.js';
import { contractStore } from '../helpers/contract-store.js';

const T0 = Date.UTC(2026, 2, 30, 7, 0);
const N = 350; // four pages of the catch-up (CATCH_UP_PAGE = 100)

afterEach(() => vi.restoreAllMocks());

/** N tickets, the store closed past every ticket's response warning: a start plans N tickets, 100 a step. */
function closedPastWarnings() {
  const clock = new ManualClock(T0);
  const { tmp, store, reg } = contractStore(clock);
  for (let i = 0; i < N; i++) reg(`Ticket ${i}`);
  store.close();
  clock.advance(50 * 60_000);
  return { clock, tmp };
}

it("a start's catch-up stamps each alert shown once: the closing summary does not stamp again what the first page's showed", async () => {
  const { clock, tmp } = closedPastWarnings();
  try {
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

it("alerts stored and never shown wait for the catch-up's closing summary: the start (its URL, its first queue page) does not route and stamp them first", async () => {
  const { clock, tmp } = closedPastWarnings();
  try {
    const opts = { clock, dataDir: tmp.dir, host: 'browser' as const, timezone: 'Europe/Copenhagen', clockWatch: false, integrity: false as const };
    const first = await createServices({ ...opts, notifier: new MemoryNotifier() });
    await first.context.scheduler.idle();
    await first.dispose();
    // Their pop-ups lost (a power loss, or a version that did not mark them), and every ticket due again: a catch-up of four pages.
    const raw = openStore({ dataDir: tmp.dir, clock });
    const unshown = raw.db.prepare("UPDATE notifications SET shown_at = NULL WHERE state = 'active'").run().changes;
    raw.close();
    expect(unshown).toBeGreaterThanOrEqual(N);
    clock.advance(30 * 60_000);
    const stamped = new Set<string>();
    const call = StoreClient.prototype.call;
    vi.spyOn(StoreClient.prototype, 'call').mockImplementation(function (this: StoreClient, path: string, args: unknown[] = []) {
      if (path === 'notifications.updateAlerts') for (const a of args[0] as AlertRecord[]) if (a.notifiedAt !== null) stamped.add(`${a.ticketId}|${a.target}|${a.kind}|${a.dueAt}`);
      return call.call(this, path, args);
    });
    const services = await createServices({ ...opts, notifier: new MemoryNotifier() });
    try {
      // Before: the first page's summary routed and stamped all of them before the services were ready.
      const atReady = stamped.size;
      expect(atReady).toBeLessThanOrEqual(CATCH_UP_PAGE);
      await services.context.scheduler.idle();
      const active = await services.context.scheduler.activeAlerts();
      expect(active.filter((a) => a.notifiedAt === null)).toEqual([]);
      expect(stamped.size).toBeGreaterThanOrEqual(unshown);
    } finally {
      await services.dispose();
    }
  } finally {
    tmp.cleanup();
  }
});

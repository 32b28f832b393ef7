/**
 * A summary pop-up names 8 alerts and counts the rest, so it reads the details (customer, title,
 * contact) of the tickets it names, not of every ticket it covers (issue 19: a start after the app was
 * closed past the re-notification of 12,700 critical alerts read 2 x 12,700 details one after another,
 * 3.7 s of its 5.8 s before the URL). Counted on the real services and store worker.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { StoreClient } from '../../db/client.js';
import { createServices } from '../../main/app/services.js';
import { MemoryNotifier } from '../../main/notify/notifier.js';
import { contractStore } from '../helpers/contract-store.js';

const T0 = Date.UTC(2026, 2, 30, 7, 0); // Monday 09:00 in Copenhagen
const N = 300;
const DETAILS = new Set(['tickets.get', 'customers.getCustomer']);
const dirs: { cleanup(): void }[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  dirs.splice(0).forEach((d) => d.cleanup());
});

it("a start's catch-up summaries read the details of the tickets they name, not of all 300 they cover", async () => {
  const clock = new ManualClock(T0);
  const { tmp, store, reg } = contractStore(clock);
  dirs.push(tmp);
  for (let i = 0; i < N; i++) reg(`Line ${i} down`);
  store.close();
  // Closed past every ticket's response warning (45 min of the 1 h response): a start raises 300 alerts.
  clock.advance(50 * 60_000);
  const calls: string[] = [];
  const call = StoreClient.prototype.call;
  vi.spyOn(StoreClient.prototype, 'call').mockImplementation(function (this: StoreClient, path: string, args?: unknown[]) {
    calls.push(path);
    return call.call(this, path, args);
  });
  const notifier = new MemoryNotifier();
  const services = await createServices({ clock, notifier, dataDir: tmp.dir, host: 'browser', timezone: 'Europe/Copenhagen', clockWatch: false, integrity: false });
  try {
    await services.context.scheduler.idle();
    vi.restoreAllMocks();
    const active = await services.context.scheduler.activeAlerts();
    expect(active).toHaveLength(N);
    expect(active.filter((a) => a.notifiedAt === null)).toEqual([]);
    const summaries = notifier.sent.filter((n) => n.id === 'summary');
    expect(summaries.length).toBeGreaterThanOrEqual(1);
    // The last summary covers all 300: 8 named, with their customer, and the rest counted.
    const last = summaries[summaries.length - 1]!;
    expect(last.title).toContain(String(N));
    const lines = last.body.split('\n');
    expect(lines).toHaveLength(9);
    expect(lines.slice(0, 8).every((l) => l.includes('Fjordkraft A/S'))).toBe(true);
    // Before: every covered ticket's details, once per summary (2 reads each): 800.
    const details = calls.filter((p) => DETAILS.has(p)).length;
    expect(details).toBeLessThanOrEqual(summaries.length * 8 * 2);
  } finally {
    await services.dispose();
  }
});

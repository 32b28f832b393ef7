/**
 * The search index's merges off the person's commit (issue 19, db/search-merge.ts, migration 0023):
 * FTS5 merged its segments inside the commit that added one, so now and then a registration wrote ten
 * times its pages. Counted on real files from FTS5's structure record (segments per level): no timing.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { searchSegments } from '../../db/search-merge.js';
import { cleanupTempDirs, testStore } from './helpers.js';

afterEach(cleanupTempDirs);

/** FTS5's `crisismerge` (its default). */
const CRISIS = 16;
const total = (levels: number[]) => levels.reduce((a, b) => a + b, 0);

it("a registration's commit merges the search index only at FTS5's crisis bound (16 segments on a level)", () => {
  // The app's store, its merging never starting here.
  const { store } = testStore({ searchMerge: { idleMs: 2 ** 31 - 1 } });
  const customer = store.customers.createCustomer({ name: 'Hansen A/S' });
  // FTS5's automatic merge worked once every 64 leaf pages written, 64 pages per level of the index (on the
  // 100k store 330-440 pages in one registration's commit, ten times its own).
  let last = searchSegments(store.db);
  for (let i = 0; i < 200; i++) {
    store.tickets.register({ customerId: customer.id, channel: 'phone', description: `fiber cut at cabinet ${i}` });
    const now = searchSegments(store.db);
    // One segment more, or the crisis merge of a level that reached 16 (its segments become one on the next).
    if (total(now) !== total(last) + 1) expect(last, `registration ${i}: ${last.join(',')} -> ${now.join(',')}`).toContain(CRISIS - 1);
    last = now;
  }
  store.close();
});

it('once writes pause, the store merges the index in steps until nothing is left to merge; search finds the same', async () => {
  const { store } = testStore({ searchMerge: { idleMs: 5, pages: 8 } });
  const customer = store.customers.createCustomer({ name: 'Hansen A/S' });
  const ids: string[] = [];
  for (let i = 0; i < 40; i++) ids.push(store.tickets.register({ customerId: customer.id, channel: 'phone', description: `router k${i}z down` }).id);
  const before = searchSegments(store.db);
  expect(total(before)).toBeGreaterThanOrEqual(8);
  // FTS5's rule (`usermerge` 4): no level keeps 4 segments once merged.
  await vi.waitFor(() => expect(Math.max(...searchSegments(store.db))).toBeLessThan(4), { timeout: 5000, interval: 10 });
  expect(total(searchSegments(store.db))).toBeLessThan(total(before));
  for (const [i, id] of ids.entries()) expect(store.tickets.search(`k${i}z`).map((h) => h.ticket.id)).toEqual([id]);
  store.close();
});

it('a writer that never pauses stays bounded by FTS5 crisis merge', () => {
  const { store } = testStore({ searchMerge: false });
  const customer = store.customers.createCustomer({ name: 'Hansen A/S' });
  for (let i = 0; i < 300; i++) store.tickets.register({ customerId: customer.id, channel: 'phone', description: `call ${i}` });
  expect(Math.max(...searchSegments(store.db))).toBeLessThan(16);
  store.close();
});

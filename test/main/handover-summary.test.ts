/**
 * The handover pop-up names the first few of each list and counts the rest: at a busy desk tens of
 * thousands of alerts are open, and the summary listed every one of them (read from the store whole).
 * The critical tickets and the callbacks were read 100 at most, so their count said 100; now counted in the store.
 */
import { describe, expect, it } from 'vitest';
import { CRITICAL_PRIORITY } from '../../core/domain/index.js';
import { HANDOVER_NAMED, handoverNotification } from '../../main/alerts/handover.js';
import { handoverSummary } from '../../main/alerts/handover-service.js';
import { popupWords } from '../../main/alerts/popup-words.js';
import { servicesPerTest } from '../helpers/services.js';

const duty = { from: 0, to: 8 * 3_600_000, person: 'u1', backup: null, override: false };

it('names the first few of each list and counts the rest, in the language of the user', () => {
  const unacked = Array.from({ length: 12 }, (_, i) => ({ caseNumber: `K-${i}`, text: 'SLA breached' }));
  const n = handoverNotification('NOC', 'UTC', duty, { critical: [], callbacks: [], unacked: unacked.slice(0, HANDOVER_NAMED), totals: { unacked: 44_000 } }, () => '08:00');
  const line = n.body.split('\n')[2] ?? '';
  expect(line).toBe(
    `44000 alert(s) not acknowledged: ${unacked
      .slice(0, 5)
      .map((a) => `${a.caseNumber} SLA breached`)
      .join('; ')}; … and 43995 more`,
  );
  // A longer list than the named few is cut too, and counted; in Danish.
  const critical = Array.from({ length: 8 }, (_, i) => ({ caseNumber: `K-${i}`, title: null }));
  const da = handoverNotification('NOC', 'UTC', duty, { critical, callbacks: [], unacked: [] }, () => '08:00', popupWords('da'));
  expect(da.body.split('\n')[0]).toMatch(/^8 .*: K-0; K-1; K-2; K-3; K-4; … og 3 mere$/);
  expect(da.body).not.toContain('K-5');
});

describe('on the real store', () => {
  const services = servicesPerTest();
  const shift = { from: Date.UTC(2026, 2, 27, 16, 0), to: Date.UTC(2026, 2, 28, 0, 0), person: 'u1', backup: null, override: false };

  it('counts more than 100 critical tickets and callbacks in the shift (not 100), past 100 overdue callbacks, and names the first five of each', async () => {
    const store = services.t.services.context.store;
    const { customer } = await services.call('desk.createCustomer', { name: 'Nordfiber A/S', orgNumber: null, notes: '' });
    const ticket = async (i: number, priority: string, callbackAt: number | null) => {
      const t = await store.tickets.register({ customerId: customer.id, channel: 'phone', title: `Link ${i} down` });
      await store.tickets.update(t.id, { priority });
      await store.tickets.setSchedule(t.id, { nextDueAt: shift.from + i * 60_000, nextCallbackAt: callbackAt });
      return t;
    };
    // 120 open critical tickets with callbacks in the shift (two in each of its first ten minutes), and 105 callbacks overdue before it.
    const critical = [];
    for (let i = 0; i < 120; i++) critical.push(await ticket(i, CRITICAL_PRIORITY, shift.from + (i % 110) * 60_000));
    for (let i = 0; i < 105; i++) await ticket(200 + i, 'normal', shift.from - (i + 1) * 60_000);
    await ticket(400, 'normal', shift.to); // due as the shift ends: the next one's
    // Not counted: a resolved critical ticket.
    const done = await ticket(500, CRITICAL_PRIORITY, null);
    await store.tickets.appendEvent(done.id, { type: 'status', data: { status: 'resolved' } });

    const s = await handoverSummary(store, shift);
    const body = handoverNotification('NOC', 'UTC', shift, s, () => '16:00').body.split('\n');
    expect(body[0]).toMatch(/^120 .*; … and 115 more$/);
    expect(body[1]).toMatch(/^120 .*; … and 115 more$/);
    expect(s.totals).toMatchObject({ critical: 120, callbacks: 120 });
    expect(s.critical.map((t) => t.caseNumber)).toEqual(critical.slice(0, HANDOVER_NAMED).map((t) => t.caseNumber));
    expect(s.callbacks.map((c) => c.at)).toEqual([0, 0, 1, 1, 2].map((m) => shift.from + m * 60_000));
  });
});

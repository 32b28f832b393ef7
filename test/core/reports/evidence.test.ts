/** core/reports/evidence.ts: which clock events a month's report lists, and the "recorded offline" mark's threshold. */
import { describe, expect, it } from 'vitest';
import { OFFLINE_MARK_MS, evidenceRows, receivedLateMs } from '../../../core/reports/index.js';
import type { ClockEventInput } from '../../../core/reports/index.js';

const MIN = 60_000;
const from = Date.UTC(2026, 2, 1);
const to = Date.UTC(2026, 3, 1);
const who = { author: 'Kari', deviceId: 'd1', deviceName: 'Kari phone' };

describe('the offline mark', () => {
  it('marks an event received more than 15 minutes after the time it claims, not one received 15 minutes after, nor one not received', () => {
    expect(OFFLINE_MARK_MS).toBe(15 * MIN);
    expect(receivedLateMs(0, 15 * MIN)).toBeNull();
    expect(receivedLateMs(0, 15 * MIN + 1)).toBe(15 * MIN + 1);
    expect(receivedLateMs(10 * MIN, 0)).toBeNull(); // received "before" it happened: a clock ahead, not offline
    expect(receivedLateMs(0, null)).toBeNull();
    expect(receivedLateMs(0, undefined)).toBeNull();
  });
});

describe('evidenceRows', () => {
  const ev = (e: Partial<ClockEventInput> & Pick<ClockEventInput, 'type' | 'at'>): ClockEventInput => ({ ...who, receivedAt: e.at, ...e }) as ClockEventInput;
  it("lists every clock event of the month's tickets, and events claimed in the month of older tickets, up to asOf, by case and time; a callback and its update are one row", () => {
    const march = from + 3 * 86_400_000;
    const rows = evidenceRows(
      [
        {
          id: 'b',
          caseNumber: 'K7-0002',
          createdAt: march,
          clockEvents: [
            ev({ type: 'status', at: march + 2 * 86_400_000 * 20, status: 'resolved' }), // in April (after the month): still the March ticket's evidence
            ev({ type: 'responded', at: march + 10 * MIN, receivedAt: march + 3 * 60 * MIN }),
            ev({ type: 'policy_changed', at: march + 20 * MIN, policy: 'high', receivedAt: null }),
          ],
        },
        {
          id: 'a',
          caseNumber: 'K7-0001',
          createdAt: from - 86_400_000,
          clockEvents: [ev({ type: 'responded', at: from - 80_000_000 }), ev({ type: 'update_logged', at: from + MIN }), ev({ type: 'update_logged', at: from + MIN })],
        },
        { id: 'c', caseNumber: 'K7-0003', createdAt: to, clockEvents: [ev({ type: 'responded', at: to + MIN })] },
      ],
      from,
      to,
      to + 86_400_000 * 60,
    );
    expect(rows.map((r) => [r.caseNumber, r.type, r.detail, r.lateMs])).toEqual([
      ['K7-0001', 'update_logged', null, null],
      ['K7-0002', 'responded', null, 170 * MIN],
      ['K7-0002', 'policy_changed', 'high', null],
      ['K7-0002', 'status', 'resolved', null],
    ]);
    expect(rows[1]).toMatchObject({ ticketId: 'b', author: 'Kari', deviceId: 'd1', deviceName: 'Kari phone', receivedAt: march + 3 * 60 * MIN });
    expect(evidenceRows([{ id: 'b', caseNumber: 'K7-0002', createdAt: march, clockEvents: [ev({ type: 'responded', at: march + MIN })] }], from, to, march)).toEqual([]);
    expect(evidenceRows([{ id: 'b', caseNumber: 'K7-0002', createdAt: march }], from, to, to)).toEqual([]);
  });
});

/**
 * The handover pop-up names the first few of each list and counts the rest: at a busy desk tens of
 * thousands of alerts are open, and the summary listed every one of them (read from the store whole).
 */
import { expect, it } from 'vitest';
import { HANDOVER_NAMED, handoverNotification } from '../../main/alerts/handover.js';
import { popupWords } from '../../main/alerts/popup-words.js';

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

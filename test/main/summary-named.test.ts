/**
 * The summary pop-up names its most severe alerts (text.ts `summaryNamed`): picked in one pass, not by sorting
 * the 44k alerts a re-notification lists; the same entries in the same order as a stable sort would give.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { bySeverity, summaryNamed } from '../../main/alerts/text.js';
import type { Alert } from '../../main/alerts/types.js';

const KINDS = ['breach', 'sla_unavailable', 'callback_overdue', 'response_warning', 'resolution_warning', 'callback_due', 'visit_due', 'report_due'] as const;

it('names the same entries, in the same order, as a stable sort by severity then due time', () => {
  const entry = fc.record({ kind: fc.constantFrom(...KINDS), dueAt: fc.integer({ min: 0, max: 5 }) });
  fc.assert(
    fc.property(fc.array(entry, { maxLength: 40 }), (raw) => {
      const entries = raw.map((r, i) => ({ alert: { ...r, key: `k${i}` } as unknown as Alert, i }));
      const expected = [...entries].sort((x, y) => bySeverity(x.alert, y.alert)).slice(0, 8);
      expect(summaryNamed(entries).map((e) => e.i)).toEqual(expected.map((e) => e.i));
      expect(entries.map((e) => e.i)).toEqual(raw.map((_, i) => i)); // the input is left as it was
    }),
    { numRuns: 500 },
  );
});

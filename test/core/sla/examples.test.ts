import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { evalCase } from '../../../core/sla/index.js';

const lines = readFileSync('/work/shared/specs/sla-examples.jsonl', 'utf8')
  .split('\n')
  .filter((l) => l.trim());
const examples = lines.map((l) => JSON.parse(l) as { title: string; case: unknown; expected: Record<string, unknown> });

function pick(expected: Record<string, unknown>, actual: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(expected)) out[k] = actual[k];
  return out;
}

describe('spec worked examples (sla-examples.jsonl)', () => {
  it('has examples', () => expect(examples.length).toBeGreaterThanOrEqual(19));
  for (const ex of examples) {
    it(ex.title, () => {
      const got = evalCase(ex.case) as Record<string, unknown>;
      const exp = ex.expected;
      if ('error' in exp) {
        expect(got.id).toEqual(exp.id);
        const e = got.error as { code: string; message: string };
        expect(e.code).toBe((exp.error as { code: string }).code);
        expect(e.message).toMatch(/calendars\.|policies\.|events|now/);
        return;
      }
      expect(got.id).toEqual(exp.id);
      const et = exp.targets as Record<string, unknown>[];
      const gt = got.targets as Record<string, unknown>[];
      expect(gt.map((t) => t.metric)).toEqual(et.map((t) => t.metric));
      et.forEach((t, i) => {
        const g = gt[i] as Record<string, unknown>;
        if (t.metric === 'update') expect(pick({ state: 1, dueAt: 1, breached: 1, missed: 1 }, g)).toEqual(pick({ state: 1, dueAt: 1, breached: 1, missed: 1 }, t));
        else expect(g).toEqual(t);
      });
    });
  }
});

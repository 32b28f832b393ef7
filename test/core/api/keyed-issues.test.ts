/**
 * A reserved id in a map keyed by calendar or policy ids keeps its issue key through the request
 * contract (apiIssue), so a form says it in the user's language; it was English only (no key).
 */
import { expect, it } from 'vitest';
import { z } from 'zod';
import { apiIssue } from '../../../core/api/contract.js';
import { idKeyedRecord } from '../../../core/id-schema.js';

it('a reserved id is refused at its path with the key idReserved and its values', () => {
  const r = z.object({ policies: idKeyedRecord }).safeParse({ policies: JSON.parse('{"constructor": {}, "normal": {}}') });
  expect(r.success).toBe(false);
  const issues = r.success ? [] : r.error.issues.map(apiIssue);
  expect(issues).toEqual([
    { path: 'policies.constructor', message: expect.stringContaining('"constructor" cannot be an id'), key: 'idReserved', values: { id: 'constructor', names: expect.any(String) } },
  ]);
});

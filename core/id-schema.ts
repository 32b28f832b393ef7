/**
 * The zod form of a map keyed by calendar or policy ids from a file or the
 * network. An id every JavaScript object has (`__proto__`, `constructor`, ...)
 * is refused with its path, as checkContract does: zod's own record would drop
 * a `"__proto__"` key silently, so it is checked on the raw input. An id is
 * at most LIMITS.policyName characters (core/sync/limits.ts).
 */
import { z } from 'zod';
import { idIssue } from './sla/errors.js';
import { LIMITS } from './sync/limits.js';

export const idKeyedRecord = z.preprocess(
  (v, ctx) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const k of Object.keys(v)) {
        const bad = idIssue('', k);
        // With its key and values, so a form says it in the user's language (core/api/contract.ts apiIssue).
        if (bad) ctx.addIssue({ code: 'custom', path: [k], message: bad.message, params: { key: bad.key, values: bad.values } });
      }
    }
    return v;
  },
  z.record(z.string().max(LIMITS.policyName, `an id is at most ${LIMITS.policyName} characters`), z.unknown()),
);

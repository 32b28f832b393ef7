/**
 * The shape of a rota record (`record.put@1` kind `rota`, docs/alerts.md
 * "On-call rota"). What the shape cannot say (the zone, wall times, members,
 * overlapping shifts) is checked by `rotaIssues`: by `rotaInput` where the app's
 * request enters, by core/sync/records.ts where a pushed record does.
 */
import { z } from 'zod';
import { WEEKDAYS } from '../sla/time.js';
import { instant } from '../api/fields.js';
import { rotaIssues } from './rota.js';

const userId = z.string().min(1).max(100);
const hhmm = z.string().max(5);
const person = { person: userId, backup: userId.nullable().optional() };

export const rotaData = z
  .object({
    name: z.string().min(1).max(200),
    timezone: z.string().min(1).max(100),
    members: z.array(z.object({ userId, name: z.string().min(1).max(200) }).strict()).max(100),
    lead: userId.nullable().optional(),
    contractIds: z.array(z.string().min(1).max(100)).max(1000).default([]),
    week: z.array(z.object({ day: z.enum(WEEKDAYS), start: hhmm, end: hhmm, ...person }).strict()).max(200),
    overrides: z
      .array(z.object({ date: z.string().max(10), start: hhmm, end: hhmm, ...person, note: z.string().max(500).nullable().optional() }).strict())
      .max(1000)
      .default([]),
    escalation: z
      .object({
        ackMinutes: z
          .number()
          .int()
          .min(1)
          .max(24 * 60),
        repeat: z.number().int().min(1).max(10),
      })
      .strict()
      .default({ ackMinutes: 10, repeat: 2 }),
    createdAt: instant,
  })
  .strict();

/**
 * A rota as the app's editor sends it (no creation instant): its shape, then what the shape cannot
 * say (`rotaIssues`), every problem at its field (`week.1.person` is the path `week[1].person`).
 */
export const rotaInput = rotaData.omit({ createdAt: true }).superRefine((r, ctx) => {
  for (const i of rotaIssues(r)) ctx.addIssue({ code: 'custom', path: i.path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), message: i.message });
});

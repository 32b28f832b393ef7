/**
 * The shape of a rota record (`record.put@1` kind `rota`, docs/alerts.md
 * "On-call rota"). What the shape cannot say (the zone, wall times, members,
 * overlapping shifts) is checked by `rotaIssues` (core/sync/records.ts calls it).
 */
import { z } from 'zod';
import { WEEKDAYS } from '../sla/time.js';
import { instant } from '../api/fields.js';

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

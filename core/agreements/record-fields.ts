/**
 * What scheduled reports and warranty add to the contract and asset records
 * (`record.put@1`, core/sync/mutations.ts). The sections' own rules are
 * checked by `reportsWarrantyIssues` (core/sync/records.ts), so that a bad
 * section is refused with its path before anyone stores it.
 */
import { z } from 'zod';
import { instant as instantMs } from '../api/fields.js';
import { dateProblem } from './warranty.js';

/** A calendar date ("2015-01-01") in the supported range (core/time-range.ts). */
export const dateSchema = z.string().superRefine((v, ctx) => {
  const bad = dateProblem(v);
  if (bad) ctx.addIssue({ code: 'custom', message: bad });
});

/** One report sent: which schedule and period, when, to whom, by whom. */
export const reportSentSchema = z
  .object({
    schedule: z.string().min(1).max(100),
    period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/, 'must be a month (2026-11) or a quarter (2026-Q4)'),
    sentAt: instantMs,
    to: z.array(z.string().min(3).max(200)).min(1).max(20),
    by: z.string().max(200).nullable().optional(),
  })
  .strict();
export type ReportSent = z.output<typeof reportSentSchema>;

export const REPORTS_WARRANTY_RECORD_FIELDS = {
  reports: z.unknown().optional(),
  warranty: z.unknown().optional(),
  /** Newest last; at most a few years of monthly reports. */
  reportsSent: z.array(reportSentSchema).max(200).nullable().optional(),
};

export const ASSET_WARRANTY_RECORD_FIELDS = {
  purchaseDate: dateSchema.nullable().optional(),
  warrantyUntil: dateSchema.nullable().optional(),
};

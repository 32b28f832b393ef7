/**
 * The shape of an outage record (`record.put@1` kind `outage`, docs/availability.md).
 * Whole-record, last writer wins: a repeated monitoring event puts the same
 * id again (the end when it resolves), so it updates, never duplicates.
 * `outageIssues` (availability.ts, called by core/sync/records.ts) checks
 * the end is not before the start.
 */
import { z } from 'zod';
import { instant as instantMs } from '../api/fields.js';

const recId = z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, 'must be 1-100 letters, digits or . _ : -');

/** Where an outage was recorded: by hand on a ticket, Alertmanager, an Events API v2 client, the server's own URL check. */
export const OUTAGE_SOURCES = ['manual', 'alertmanager', 'events', 'check'] as const;
export type OutageSource = (typeof OUTAGE_SOURCES)[number];

export const outageData = z
  .object({
    contractId: recId,
    serviceId: recId,
    /** The ticket the outage is handled on (the one a monitoring event opened, or the one it was entered on). */
    ticketId: z.string().min(1).max(100).nullable().optional(),
    start: instantMs,
    /** null while it goes on. */
    end: instantMs.nullable().optional(),
    source: z.enum(OUTAGE_SOURCES),
    summary: z.string().max(500).nullable().optional(),
    createdAt: instantMs,
  })
  .strict();
export type OutageData = z.output<typeof outageData>;

/**
 * The data of each reference record kind (`record.put@1`, core/sync/mutations.ts), as zod schemas.
 */
import { z } from 'zod';
import { rotaData } from '../oncall/schema.js';
import { outageData } from '../agreements/outage-record.js';
import { idKeyedRecord } from '../id-schema.js';
import { instant } from '../api/fields.js';
import { LIMITS } from './limits.js';
import { ASSET_WARRANTY_RECORD_FIELDS, REPORTS_WARRANTY_RECORD_FIELDS } from '../agreements/record-fields.js';

/**
 * Reference data: customers, contracts (calendars, policies, rate card,
 * checklist, support-code hash), a contract's authorised contacts, sites and
 * assets. Each change sends the whole record; the server keeps the one with
 * the latest HLC (last writer wins per record). Only contacts can be deleted.
 */
export const RECORD_KINDS = ['customer', 'contract', 'contact', 'site', 'asset', 'rota', 'outage'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];
/** Record ids are made by the client (UUIDv7 in the app); they also end up in pull cursors. */
export const recId = z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, 'must be 1-100 letters, digits or . _ : -');
const optShort = z.string().max(LIMITS.shortText).nullable().optional();
const policyName = z.string().max(LIMITS.policyName);
export const RECORD_DATA = {
  customer: z.object({ name: z.string().min(1).max(LIMITS.name), orgNumber: optShort, notes: z.string().max(LIMITS.notes).nullable().optional(), createdAt: instant }).strict(),
  contract: z
    .object({
      customerId: recId,
      agreementNumber: z.string().min(1).max(40),
      name: optShort,
      policySet: z.object({ calendars: idKeyedRecord, policies: idKeyedRecord }).passthrough(),
      defaultPolicy: policyName.nullable().optional(),
      /** The policy a call marked "critical fault" gets (issue 15); none: the contract takes no critical calls on their own clock. */
      criticalPolicy: policyName.nullable().optional(),
      rateCard: z.unknown().optional(),
      checklist: z.array(z.record(z.string(), z.unknown())).max(200).nullable().optional(),
      /** The agreement's own wording per policy/target, shown beside the SLA state. */
      wording: z.record(z.string(), z.unknown()).nullable().optional(),
      /** Maintenance plans (core/agreements/maintenance.ts; checked by recordIssues). */
      maintenance: z.array(z.unknown()).max(50).nullable().optional(),
      intakeFields: z.array(z.string().max(100)).max(50).default([]),
      supportCodeHash: z.string().max(500).nullable().optional(),
      validFrom: instant.nullable().optional(),
      validTo: instant.nullable().optional(),
      /** Services with availability targets (core/agreements/availability.ts, checked in records.ts). */
      services: z.array(z.record(z.string(), z.unknown())).max(100).nullable().optional(),
      createdAt: instant,
      ...REPORTS_WARRANTY_RECORD_FIELDS,
    })
    .strict(),
  contact: z.object({ contractId: recId, name: z.string().min(1).max(LIMITS.name), phone: optShort, email: optShort, role: optShort, createdAt: instant }).strict(),
  site: z.object({ customerId: recId, name: z.string().min(1).max(LIMITS.name), address: optShort, createdAt: instant }).strict(),
  asset: z.object({ customerId: recId, siteId: recId.nullable().optional(), product: optShort, serialNumber: optShort, createdAt: instant, ...ASSET_WARRANTY_RECORD_FIELDS }).strict(),
  /** A team's on-call rota (core/oncall/rota.ts). */
  rota: rotaData,
  /** An outage of a contract's service (issue 20, core/agreements/availability.ts). */
  outage: outageData,
} as const satisfies Record<RecordKind, z.ZodType>;
export type RecordData<K extends RecordKind> = z.output<(typeof RECORD_DATA)[K]>;

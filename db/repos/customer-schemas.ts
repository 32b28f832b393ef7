/**
 * Customers and what hangs off them: input schemas, the shapes the repos return, and row mappers.
 * The repos take the schemas' parsed types and parse nothing; a caller whose input was not validated
 * where it entered parses it here first (docs/architecture.md "Where input is validated").
 */
import { z } from 'zod';
import { agreementNumber, contactFields, patchText as optText, text } from '../../core/api/fields.js';
import { INTAKE_FIELDS } from '../../core/domain/index.js';
import type { IntakeField } from '../../core/domain/index.js';

export { INTAKE_FIELDS };
export type { IntakeField };

/** A record id given by the caller (an import's name-based id, db/sync-records.ts nameBasedId). */
const givenId = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a lower-case UUID')
  .optional();
export const customerInput = z.object({ id: givenId, name: text(200), orgNumber: optText(40), notes: optText(4000) }).strict();
export type CustomerInput = z.output<typeof customerInput>;

const calendarRef = z.record(z.string(), z.object({}).passthrough());
export const policySetSchema = z
  .object({
    calendars: calendarRef,
    policies: z.record(z.string(), z.object({ calendar: z.string().optional(), targets: z.object({}).passthrough() }).passthrough()),
  })
  .strict()
  .superRefine((ps, ctx) => {
    for (const [name, p] of Object.entries(ps.policies)) {
      if (p.calendar !== undefined && !Object.hasOwn(ps.calendars, p.calendar)) {
        ctx.addIssue({ code: 'custom', path: ['policies', name, 'calendar'], message: `calendar "${p.calendar}" is not in calendars` });
      }
    }
  });
export type PolicySet = z.output<typeof policySetSchema>;

/** A contact: the one contact rule (core/api/fields.ts `contactFields`); absent phone, e-mail or role stays absent. */
export const contactInput = z.object(contactFields).partial({ phone: true, email: true, role: true }).strict();
export type ContactInput = z.output<typeof contactInput>;

export const contractInput = z
  .object({
    id: givenId,
    customerId: z.string().min(1),
    agreementNumber,
    name: optText(200),
    policySet: policySetSchema,
    defaultPolicy: optText(100),
    criticalPolicy: optText(100),
    rateCard: z.unknown().optional(),
    checklist: z.array(z.record(z.string(), z.unknown())).max(200).nullish(),
    wording: z.record(z.string(), z.unknown()).nullish(),
    /** Maintenance plans (core/agreements/maintenance.ts; the callers check them). */
    maintenance: z.array(z.unknown()).max(50).nullish(),
    /** Absent: none. */
    intakeFields: z.array(z.enum(INTAKE_FIELDS)).optional(),
    supportCode: z.string().min(4, 'must have at least 4 characters').max(200).nullish(),
    /** Absent: none. */
    contacts: z.array(contactInput).optional(),
    validFrom: z.number().int().nullish(),
    validTo: z.number().int().nullish(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.defaultPolicy && !Object.hasOwn(c.policySet.policies, c.defaultPolicy))
      ctx.addIssue({ code: 'custom', path: ['defaultPolicy'], message: `policy "${c.defaultPolicy}" is not in policySet.policies` });
    if (c.criticalPolicy && !Object.hasOwn(c.policySet.policies, c.criticalPolicy))
      ctx.addIssue({ code: 'custom', path: ['criticalPolicy'], message: `policy "${c.criticalPolicy}" is not in policySet.policies` });
    if (c.validFrom != null && c.validTo != null && c.validTo < c.validFrom) ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'is before validFrom' });
  });
export type ContractInput = z.output<typeof contractInput>;

export const siteInput = z.object({ customerId: z.string().min(1), name: text(200), address: optText(500) }).strict();
export type SiteInput = z.output<typeof siteInput>;
export const assetInput = z
  .object({ customerId: z.string().min(1), siteId: z.string().nullish(), product: optText(200), serialNumber: optText(100) })
  .strict()
  .refine((a) => a.product != null || a.serialNumber != null, { message: 'give a product or a serial number', path: ['serialNumber'] });
export type AssetInput = z.output<typeof assetInput>;

export interface Customer {
  id: string;
  name: string;
  orgNumber: string | null;
  notes: string | null;
  createdAt: number;
  updatedAt: number;
  version: number;
}
export interface Contact {
  id: string;
  contractId: string;
  name: string;
  phone: string | null;
  email: string | null;
  role: string | null;
}
export interface Contract {
  id: string;
  customerId: string;
  agreementNumber: string;
  name: string | null;
  policySet: PolicySet;
  defaultPolicy: string | null;
  /** The policy a critical fault gets (null: none). */
  criticalPolicy: string | null;
  rateCard: unknown;
  /** The contract's inspection checklist (null: the default one). */
  checklist: Record<string, unknown>[] | null;
  /** The agreement's own wording, per policy / target key. */
  wording: Record<string, unknown> | null;
  /** Maintenance plans (core/agreements/maintenance.ts), null: none. */
  maintenance: unknown[] | null;
  intakeFields: IntakeField[];
  hasSupportCode: boolean;
  validFrom: number | null;
  validTo: number | null;
  contacts: Contact[];
  createdAt: number;
  version: number;
}
export interface Site {
  id: string;
  customerId: string;
  name: string;
  address: string | null;
}
export interface Asset {
  id: string;
  customerId: string;
  siteId: string | null;
  product: string | null;
  serialNumber: string | null;
}
export interface CallerMatch {
  contact: Contact;
  contractId: string;
  agreementNumber: string;
  customerId: string;
  customerName: string;
}

export const digitsOnly = (p: string | null | undefined): string | null => {
  if (p == null) return null;
  const d = p.replace(/\D/g, '');
  return d.length ? d : null;
};
/** The lookup key of a phone number: its last 8 digits (so +45 72 12 00 00 and 72120000 meet). */
export const phoneKey = (p: string | null | undefined): string | null => digitsOnly(p)?.slice(-8) ?? null;

export type Row = Record<string, unknown>;
export const toCustomer = (r: Row): Customer => ({
  id: r.id as string,
  name: r.name as string,
  orgNumber: (r.org_number as string | null) ?? null,
  notes: (r.notes as string | null) ?? null,
  createdAt: r.created_at as number,
  updatedAt: r.updated_at as number,
  version: r.version as number,
});
export const toContact = (r: Row): Contact => ({
  id: r.id as string,
  contractId: r.contract_id as string,
  name: r.name as string,
  phone: (r.phone as string | null) ?? null,
  email: (r.email as string | null) ?? null,
  role: (r.role as string | null) ?? null,
});
export const toSite = (r: Row): Site => ({ id: r.id as string, customerId: r.customer_id as string, name: r.name as string, address: (r.address as string | null) ?? null });
export const toAsset = (r: Row): Asset => ({
  id: r.id as string,
  customerId: r.customer_id as string,
  siteId: (r.site_id as string | null) ?? null,
  product: (r.product as string | null) ?? null,
  serialNumber: (r.serial_number as string | null) ?? null,
});

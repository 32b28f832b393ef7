/**
 * The desk's contract file (docs/desk.md): the SLA spec's `{calendars,
 * policies}` (plus the agreement's `wording`) with what the desk needs around
 * it: customer, agreement number, contacts, support code, intake fields.
 */
import { z } from 'zod';
import { INTAKE_FIELDS } from '../../../core/domain/index.js';
import type { IssueView } from '../../../core/api/desk.js';
import { apiIssue } from '../../../core/api/contract.js';
import { agreementNumber, contactFields, text as str } from '../../../core/api/fields.js';
import { checkContract, issue } from '../../../core/sla/index.js';
import { op } from '../../../db/client.js';
import type { BatchCall } from '../../../db/client.js';
import type { Contract, Customer } from '../../../db/repos/customers.js';
import { nameBasedId } from '../../../db/sync-records.js';
import type { AppContext } from '../../app/context.js';
import { REPORTS_WARRANTY_KEYS } from '../../../core/agreements/reports-warranty.js';
import type { ReportsSection } from '../../../core/agreements/reports.js';
import type { WarrantySection } from '../../../core/agreements/warranty.js';

export const CONTRACT_FILE_FORMAT = 'vakt-contract/1';

const envelope = z
  .object({
    format: z.literal(CONTRACT_FILE_FORMAT).optional(),
    customer: z.object({ name: str(200), orgNumber: str(40).optional() }).strict(),
    agreementNumber,
    name: str(200).optional(),
    description: z.string().max(4000).optional(),
    supportCode: z.string().min(4, 'must have at least 4 characters').max(200).optional(),
    intakeFields: z.array(z.enum(INTAKE_FIELDS)).default([]),
    defaultPolicy: str(100).optional(),
    /** The policy a call marked "critical fault" gets (checked by checkContract: it must name a policy). */
    criticalPolicy: str(100).optional(),
    /** The contact rule of the contact form (core/api/fields.ts): an empty phone, e-mail or role is none. */
    contacts: z.array(z.object(contactFields).strict()).default([]),
    calendars: z.unknown(),
    policies: z.unknown(),
    wording: z.unknown().optional(),
    /** Services with availability targets (issue 20, docs/availability.md; checked by checkContract). */
    services: z.unknown().optional(),
    /** Maintenance plans (checked by checkContract: core/agreements/maintenance.ts). */
    maintenance: z.unknown().optional(),
    /** Scheduled reports and warranty (core/agreements; checked by checkContract). */
    reports: z.unknown().optional(),
    warranty: z.unknown().optional(),
  })
  .strict();
export type ContractFile = z.output<typeof envelope>;

function parse(file: unknown): { issues: IssueView[]; value: ContractFile | null } {
  const issues: IssueView[] = [];
  const r = envelope.safeParse(file);
  if (!r.success) for (const i of r.error.issues) issues.push(apiIssue(i));
  if (file && typeof file === 'object' && !Array.isArray(file)) {
    const f = file as Record<string, unknown>;
    const sla: Record<string, unknown> = { calendars: f.calendars, policies: f.policies };
    if (f.wording !== undefined) sla.wording = f.wording;
    if (f.criticalPolicy !== undefined) sla.criticalPolicy = f.criticalPolicy;
    if (f.services !== undefined) sla.services = f.services;
    if (f.maintenance !== undefined) sla.maintenance = f.maintenance;
    for (const k of REPORTS_WARRANTY_KEYS) if (f[k] !== undefined) sla[k] = f[k];
    issues.push(...checkContract(sla));
    if (r.success && r.data.defaultPolicy && !(f.policies && typeof f.policies === 'object' && Object.hasOwn(f.policies, r.data.defaultPolicy))) {
      issues.push(issue('defaultPolicy', 'defaultNotInPolicies', { id: r.data.defaultPolicy }));
    }
  }
  return { issues, value: r.success && !issues.length ? r.data : null };
}

/** Every problem of a contract file, with its path; [] when it can be imported. */
export function checkContractFile(file: unknown): IssueView[] {
  return parse(file).issues;
}

export async function importContractFile(ctx: AppContext, file: unknown): Promise<{ imported: true; contractId: string; customerId: string } | { imported: false; issues: IssueView[] }> {
  const { issues, value: v } = parse(file);
  if (!v) return { imported: false, issues };
  if (await ctx.store.customers.contractByAgreementNumber(v.agreementNumber)) {
    return { imported: false, issues: [issue('agreementNumber', 'agreementExists', { agreement: v.agreementNumber })] };
  }
  const same = (await ctx.store.customers.findCustomers(v.customer.name, 50)).find((c) => c.name.toLowerCase() === v.customer.name.toLowerCase());
  // Name-based ids: the same file imported on another device (offline) makes the same records, which sync merges.
  const customerKey = v.customer.orgNumber ? `org:${v.customer.orgNumber.replace(/\s+/g, '').toLowerCase()}` : `name:${v.customer.name.trim().toLowerCase()}`;
  const customerId = nameBasedId('customer', customerKey);
  const existing = same ?? (await ctx.store.customers.getCustomer(customerId));
  const calls: BatchCall[] = [];
  if (!existing) calls.push(op('customers', 'createCustomer', { id: customerId, name: v.customer.name, orgNumber: v.customer.orgNumber ?? null }));
  // One transaction: the customer (when new), the contract and its contacts; a crash or an error leaves none of them.
  const contractId = nameBasedId('contract', `agreement:${v.agreementNumber}`);
  calls.push(
    op('customers', 'createContract', {
      id: contractId,
      customerId: existing?.id ?? customerId,
      agreementNumber: v.agreementNumber,
      name: v.name ?? null,
      policySet: { calendars: v.calendars as Record<string, Record<string, unknown>>, policies: v.policies as Record<string, { targets: Record<string, unknown> }> },
      defaultPolicy: v.defaultPolicy ?? null,
      criticalPolicy: v.criticalPolicy ?? null,
      intakeFields: v.intakeFields,
      supportCode: v.supportCode ?? null,
      contacts: v.contacts,
      wording: v.wording && typeof v.wording === 'object' ? (v.wording as Record<string, unknown>) : null,
      maintenance: Array.isArray(v.maintenance) ? (v.maintenance as unknown[]) : null,
    }),
  );
  if (Array.isArray(v.services) && v.services.length) calls.push(op('availability', 'setServices', nameBasedId('contract', `agreement:${v.agreementNumber}`), v.services as unknown[]));
  if (v.reports !== undefined || v.warranty !== undefined)
    calls.push(op('agreements', 'setSections', contractId, { reports: (v.reports as ReportsSection | undefined) ?? null, warranty: (v.warranty as WarrantySection | undefined) ?? null }));
  const contract = (await ctx.store.batch(calls)).find((r): r is Contract => !!r && typeof r === 'object' && 'policySet' in r) as Contract;
  return { imported: true, contractId: contract.id, customerId: contract.customerId };
}

/** The contract as a file (the support code is stored hashed only, so it is not exported). */
export function exportContractFile(c: Contract, customer: Customer | null, wording: Record<string, string>, sections?: { reports: unknown; warranty: unknown } | null): Record<string, unknown> {
  const out: Record<string, unknown> = {
    format: CONTRACT_FILE_FORMAT,
    customer: { name: customer?.name ?? '?', ...(customer?.orgNumber ? { orgNumber: customer.orgNumber } : {}) },
    agreementNumber: c.agreementNumber,
  };
  if (c.name) out.name = c.name;
  out.intakeFields = c.intakeFields;
  if (c.defaultPolicy) out.defaultPolicy = c.defaultPolicy;
  if (c.criticalPolicy) out.criticalPolicy = c.criticalPolicy;
  out.contacts = c.contacts.map((k) => ({ name: k.name, ...(k.phone ? { phone: k.phone } : {}), ...(k.email ? { email: k.email } : {}), ...(k.role ? { role: k.role } : {}) }));
  out.calendars = c.policySet.calendars;
  out.policies = c.policySet.policies;
  if (Object.keys(wording).length) out.wording = wording;
  if (c.maintenance?.length) out.maintenance = c.maintenance;
  for (const k of REPORTS_WARRANTY_KEYS) if (sections?.[k] != null) out[k] = sections[k];
  return out;
}

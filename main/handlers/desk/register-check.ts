/**
 * The checks of `desk.register` that depend on the contract (issue 15 item 9):
 * all of them at once, each at its field, so the intake shows every problem
 * together instead of one per try.
 */
import { fieldForIntake } from '../../../core/domain/index.js';
import type { ApiIssue } from '../../../core/api/contract.js';
import type { z } from 'zod';
import type { registerRequest } from '../../../core/api/desk.js';
import { isPhoneNumber, NOT_A_PHONE } from '../../../core/api/phone.js';
import type { Contract } from '../../../db/repos/customers.js';

type Register = z.output<typeof registerRequest>;

/** The contract's country (ISO 3166 alpha-2): its default policy's calendar's holiday country, else any calendar's. */
export function contractCountry(c: Pick<Contract, 'policySet' | 'defaultPolicy'>): string | null {
  const cals = c.policySet.calendars as Record<string, { holidays?: { country?: unknown } } | undefined>;
  const policies = c.policySet.policies as Record<string, { calendar?: unknown } | undefined>;
  const first = c.defaultPolicy ? policies[c.defaultPolicy]?.calendar : undefined;
  const ids = [...(typeof first === 'string' ? [first] : []), ...Object.keys(cals)];
  for (const id of ids) {
    const country = cals[id]?.holidays?.country;
    if (typeof country === 'string' && /^[A-Za-z]{2}$/.test(country)) return country.toUpperCase();
  }
  return null;
}

/** A reporter phone that is not a phone number in the contract's country, as an issue at `path`; null when fine. */
export function phoneIssue(phone: string | null | undefined, c: Pick<Contract, 'policySet' | 'defaultPolicy'>, path: string): ApiIssue | null {
  if (!phone) return null;
  const country = contractCountry(c);
  if (isPhoneNumber(phone, country)) return null;
  return { path, message: `is not a phone number${country ? ` (national numbers in ${country})` : ''}`, key: NOT_A_PHONE };
}

/**
 * Every problem of a registration on contract `c` (the caller's authorisation
 * is checked by the handler first): the contract's required intake fields, the
 * reporter phone, a critical fault on a contract without a critical policy.
 */
export function registerIssues(c: Contract, r: Register): ApiIssue[] {
  const issues: ApiIssue[] = [];
  const contact = r.contactId ? c.contacts.find((k) => k.id === r.contactId) : undefined;
  for (const f of c.intakeFields) {
    if (r.intake[f]?.trim()) continue;
    const field = fieldForIntake(f);
    const given = field && Object.hasOwn(r, field) ? (r as Record<string, unknown>)[field] : undefined;
    const missing = !(given ?? (f === 'reporter_name' ? contact?.name : f === 'mobile_number' ? contact?.phone : undefined));
    if (missing) issues.push({ path: `intake.${f}`, message: `is required by contract ${c.agreementNumber}`, key: 'requiredByContract', values: { agreement: c.agreementNumber } });
  }
  const phone = phoneIssue(r.reporterPhone, c, 'reporterPhone');
  if (phone) issues.push(phone);
  if (r.intake.mobile_number?.trim()) {
    const mobile = phoneIssue(r.intake.mobile_number, c, 'intake.mobile_number');
    if (mobile) issues.push(mobile);
  }
  if (r.critical && !c.criticalPolicy) {
    issues.push({ path: 'critical', message: `contract ${c.agreementNumber} has no critical policy: register the call on one of its policies, not as a critical fault` });
  }
  return issues;
}

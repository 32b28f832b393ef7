/**
 * The checks a reference record (`record.put@1`) must pass before anyone
 * stores it: its shape (`RECORD_DATA`, the schema devices apply pulled records
 * with) and, for a contract, what the SLA engine needs to evaluate its tickets
 * (`checkContract` on its calendars and policies, the default policy among the
 * policies; its intake fields among those the app knows, its validity in
 * order: the rules of the app's contract input); for a rota, `rotaIssues`. The sync server refuses a record that fails them, so no device
 * pulls a contract it cannot evaluate.
 */
import { INTAKE_FIELDS } from '../domain/index.js';
import { rotaIssues } from '../oncall/rota.js';
import type { Rota } from '../oncall/rota.js';
import { checkContract } from '../sla/contract.js';
import { outageIssues, servicesIssues } from '../agreements/availability.js';
import { checkMaintenance } from '../agreements/maintenance.js';
import { reportsWarrantyIssues } from '../agreements/reports-warranty.js';
import { RECORD_DATA } from './mutations.js';
import type { RecordData, RecordKind } from './mutations.js';

export interface RecordIssue {
  /** Where, from the record's data (e.g. `policySet.calendars.office.week.mon[0]`). */
  path: string;
  message: string;
}

/** Every problem of a record's data, with its path; [] when it may be stored. */
export function recordIssues(kind: RecordKind, data: unknown): RecordIssue[] {
  const parsed = RECORD_DATA[kind].safeParse(data);
  if (!parsed.success) return parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  if (kind === 'rota') return rotaIssues(parsed.data as Rota);
  if (kind === 'outage') return outageIssues(parsed.data as { start: number; end?: number | null });
  if (kind !== 'contract') return [];
  const c = parsed.data as RecordData<'contract'>;
  const issues = checkContract({ calendars: c.policySet.calendars, policies: c.policySet.policies, criticalPolicy: c.criticalPolicy ?? undefined }).map((i) => ({
    path: i.path === 'criticalPolicy' ? i.path : i.path ? `policySet.${i.path}` : 'policySet',
    message: i.message,
  }));
  for (const k of Object.keys(c.policySet)) {
    if (k !== 'calendars' && k !== 'policies') issues.push({ path: `policySet.${k}`, message: 'unknown field (allowed: calendars, policies)' });
  }
  if (c.defaultPolicy != null && !Object.prototype.hasOwnProperty.call(c.policySet.policies, c.defaultPolicy)) {
    issues.push({ path: 'defaultPolicy', message: `policy "${c.defaultPolicy}" is not in policySet.policies` });
  }
  c.intakeFields.forEach((f, i) => {
    if (!(INTAKE_FIELDS as readonly string[]).includes(f)) issues.push({ path: `intakeFields.${i}`, message: `"${f}" is not an intake field (one of ${INTAKE_FIELDS.join(', ')})` });
  });
  issues.push(...servicesIssues(c.services ?? undefined, new Set(Object.keys(c.policySet.calendars))));
  if (c.validFrom != null && c.validTo != null && c.validTo < c.validFrom) issues.push({ path: 'validTo', message: 'is before validFrom' });
  issues.push(...checkMaintenance(c.maintenance, c.policySet.calendars, c.policySet.policies));
  issues.push(...reportsWarrantyIssues(c));
  return issues;
}

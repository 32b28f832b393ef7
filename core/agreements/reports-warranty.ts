/**
 * The contract's `reports` and `warranty` sections as the contract check
 * sees them (core/sla/contract.ts `checkContract`, core/sync/records.ts):
 * each optional, checked when present, problems named from the section.
 */
import type { ValidationIssue } from '../sla/errors.js';
import { checkReports } from './reports.js';
import { checkWarranty } from './warranty.js';

export const REPORTS_WARRANTY_KEYS = ['reports', 'warranty'] as const;

/** Problems of `json.reports` and `json.warranty` (null or missing: none). */
export function reportsWarrantyIssues(json: { reports?: unknown; warranty?: unknown }): ValidationIssue[] {
  return [...(json.reports == null ? [] : checkReports(json.reports)), ...(json.warranty == null ? [] : checkWarranty(json.warranty))];
}

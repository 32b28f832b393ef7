import { issue } from '../domain/issue-keys.js';
import { idIssue } from '../domain/ids.js';
import type { KeyedIssue } from '../domain/issue-keys.js';

/** One validation problem: where (a dotted path into the JSON), what rule it breaks, and its key (core/domain/issue-keys.ts). */
export type ValidationIssue = KeyedIssue;
export { issue, idIssue };

/** The error codes of `vakt sla eval`. */
export type SlaErrorCode = 'invalid_json' | 'invalid_calendar' | 'invalid_policy' | 'invalid_events';

/** Thrown by the engine's constructors when their input breaks the spec. */
export class SlaError extends Error {
  constructor(
    readonly code: SlaErrorCode,
    readonly issues: ValidationIssue[],
  ) {
    super(issues.map(formatIssue).join('; '));
    this.name = 'SlaError';
  }
}

export function formatIssue(i: ValidationIssue): string {
  return i.path ? `${i.path}: ${i.message}` : i.message;
}

/** Prefixes every issue's path with `prefix` (joined with a dot). */
export function prefixIssues(prefix: string, issues: ValidationIssue[]): ValidationIssue[] {
  return issues.map((i) => ({ ...i, path: i.path ? (i.path.startsWith('[') ? `${prefix}${i.path}` : `${prefix}.${i.path}`) : prefix }));
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function describe(v: unknown): string {
  if (v === undefined) return 'missing';
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** Why `id` cannot be one, or null when it can. */
export function idProblem(id: string): string | null {
  return idIssue('', id)?.message ?? null;
}

/** The own property `key` of `obj`, never an inherited one (`constructor`, `__proto__`, ...). */
export function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/** The `id`, `name` and `description` of a calendar or policy (`what`) filed under `key`, if any. */
export function namingIssues(json: Record<string, unknown>, key: string | undefined, what: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const ownId = key ?? (typeof json.id === 'string' ? json.id : undefined);
  const idBad = ownId === undefined ? null : idIssue('id', ownId);
  if (idBad) issues.push(idBad);
  if (json.id !== undefined && typeof json.id !== 'string') issues.push(issue('id', 'mustBeString'));
  else if (json.id === undefined && key === undefined) issues.push(issue('id', what === 'calendar' ? 'calendarIdRequired' : 'policyIdRequired'));
  else if (key !== undefined && json.id !== undefined && json.id !== key) issues.push(issue('id', 'idMismatch', { id: String(json.id), key }));
  if (json.name !== undefined && typeof json.name !== 'string') issues.push(issue('name', 'mustBeString'));
  if (json.description !== undefined && typeof json.description !== 'string') issues.push(issue('description', 'mustBeString'));
  return issues;
}

/** What the engine refused as issues: an `SlaError`'s (with their keys), else the error's text. */
export function errorIssues(err: unknown): ValidationIssue[] {
  if (err instanceof SlaError) return err.issues;
  return [{ path: '', message: err instanceof Error ? err.message : String(err) }];
}

/**
 * "cannot compute SLA: <why>" at `path` (of a case or a contract when named), `err` its cause:
 * the text in English, the key and the cause's issues for the renderer.
 */
export function slaUnavailableIssue(path: string, err: unknown, of: { case: string } | { agreement: string } | null = null): ValidationIssue {
  const cause = errorIssues(err);
  const why = err instanceof Error ? err.message : String(err);
  const i =
    of === null
      ? issue(path, 'slaUnavailable', { why })
      : 'case' in of
        ? issue(path, 'caseSlaUnavailable', { case: of.case, why })
        : issue(path, 'contractSlaUnavailable', { agreement: of.agreement, why });
  return { ...i, cause };
}

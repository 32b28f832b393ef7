/** One validation problem: where (a dotted path into the JSON) and what rule it breaks. */
export interface ValidationIssue {
  path: string;
  message: string;
}

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
  return issues.map((i) => ({ path: i.path ? (i.path.startsWith('[') ? `${prefix}${i.path}` : `${prefix}.${i.path}`) : prefix, message: i.message }));
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function describe(v: unknown): string {
  if (v === undefined) return 'missing';
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

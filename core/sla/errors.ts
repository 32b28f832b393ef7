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

/** Names every JavaScript object has (Object.prototype's, and `prototype`): an id among them would be mistaken for them. */
const RESERVED_IDS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** Why `id` (a calendar or policy id from a file or the network) cannot be one, or null when it can. */
export function idProblem(id: string): string | null {
  if (id.trim() === '') return 'an id must not be empty';
  if (RESERVED_IDS.has(id)) return `"${id}" cannot be an id: it is a name every JavaScript object has (${[...RESERVED_IDS].slice(0, 4).join(', ')}, ...); choose another`;
  return null;
}

/** The own property `key` of `obj`, never an inherited one (`constructor`, `__proto__`, ...). */
export function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/** The `id`, `name` and `description` of a calendar or policy (`what`) filed under `key`, if any. */
export function namingIssues(json: Record<string, unknown>, key: string | undefined, what: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const ownId = key ?? (typeof json.id === 'string' ? json.id : undefined);
  const idBad = ownId === undefined ? null : idProblem(ownId);
  if (idBad) issues.push({ path: 'id', message: idBad });
  if (json.id !== undefined && typeof json.id !== 'string') issues.push({ path: 'id', message: 'must be a string' });
  else if (json.id === undefined && key === undefined) issues.push({ path: 'id', message: `required when the ${what} is not filed under its id` });
  else if (key !== undefined && json.id !== undefined && json.id !== key) issues.push({ path: 'id', message: `"${String(json.id)}" does not match its key "${key}"` });
  if (json.name !== undefined && typeof json.name !== 'string') issues.push({ path: 'name', message: 'must be a string' });
  if (json.description !== undefined && typeof json.description !== 'string') issues.push({ path: 'description', message: 'must be a string' });
  return issues;
}

/** Labelled form fields that show an API validation error (by path) next to themselves. */
import { useId } from 'react';
import type { ReactNode } from 'react';
import type { ApiIssue } from '../core/api/contract.js';
import { issueText, issuesText } from './errors.js';

export { issueText, issuesText };

export interface FieldError {
  path?: string;
  message: string;
  /** Every problem of the request (issue 15 item 9): each field shows its own. */
  issues?: ApiIssue[];
}

/** Why a ticket's SLA cannot be computed, in the user's language (its keyed issues), else as the services wrote it. */
export function slaWhy(x: { slaError: string | null; slaErrorIssues?: readonly ApiIssue[] | null }): string {
  return x.slaErrorIssues?.length ? issuesText(x.slaErrorIssues) : (x.slaError ?? '');
}

/** The problems of a contract edit at one field, in the user's language; nothing when there are none. */
export function FieldIssues({ issues }: { issues: readonly ApiIssue[] }) {
  if (!issues.length) return null;
  return (
    <span className="field-error" role="alert">
      {issues.map(issueText).join(' ')}
    </span>
  );
}

const under = (path: string | undefined, p: string) => !!path && (path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));

/** The error(s) at `paths` (all of them, joined), in the user's language; null when none. */
export function errorFor(err: FieldError | null, ...paths: string[]): string | null {
  if (!err) return null;
  const issues = err.issues?.length ? err.issues : err.path ? [{ path: err.path, message: err.message }] : [];
  const here = issues.filter((i) => paths.some((p) => under(i.path, p)));
  return here.length ? here.map(issueText).join(' ') : null;
}

export function Field(props: { label: string; error?: string | null; children: (id: string, describedBy: string | undefined) => ReactNode; hint?: string }) {
  const id = useId();
  const errId = `${id}-err`;
  const hintId = `${id}-hint`;
  const describedBy = [props.error ? errId : null, props.hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.children(id, describedBy)}
      {props.hint && (
        <small id={hintId} className="hint">
          {props.hint}
        </small>
      )}
      {props.error && (
        <span id={errId} className="field-error" role="alert">
          {props.error}
        </span>
      )}
    </div>
  );
}

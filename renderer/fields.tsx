/** Labelled form fields that show an API validation error (by path) next to themselves. */
import { useId } from 'react';
import type { ReactNode } from 'react';
import type { ApiIssue } from '../core/api/contract.js';
import i18n from './i18n/index.js';

export interface FieldError {
  path?: string;
  message: string;
  /** Every problem of the request (issue 15 item 9): each field shows its own. */
  issues?: ApiIssue[];
}

/** An issue in the user's language (`fieldIssue.<key>`), else its English message. */
export function issueText(i: Pick<ApiIssue, 'message' | 'key' | 'values'>): string {
  return i.key ? i18n.t(`fieldIssue.${i.key}`, { ...i.values, defaultValue: i.message }) : i.message;
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

/** Labelled form fields that show an API validation error (by path) next to themselves. */
import { useId } from 'react';
import type { ReactNode } from 'react';

export interface FieldError {
  path?: string;
  message: string;
}

export function errorFor(err: FieldError | null, ...paths: string[]): string | null {
  if (!err?.path) return null;
  return paths.some((p) => err.path === p || err.path?.startsWith(`${p}.`) || err.path?.startsWith(`${p}[`)) ? err.message : null;
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

/**
 * An action's request state, for every button that calls the services (a
 * save, a ticket action, Log time, a visit step, Register): `run(fn)` clears
 * the last error, is busy while `fn` runs and keeps a failure's error (with
 * the field its path names). While busy, a second `run` is ignored: a
 * double-click, a repeated Enter or a click queued behind a slow request
 * cannot send the request twice. Buttons show `busy` as disabled +
 * `aria-busy` (app.css draws the progress mark).
 */
import { useCallback, useRef, useState } from 'react';
import type { FieldError } from './fields.js';
import { ApiCallError } from './transport.js';

export const asFieldError = (e: unknown): FieldError =>
  e instanceof ApiCallError ? { path: e.path, message: e.message, ...(e.issues ? { issues: e.issues } : {}) } : { message: e instanceof Error ? e.message : String(e) };

export function useSave() {
  const [err, setErr] = useState<FieldError | null>(null);
  const [busy, setBusy] = useState(false);
  const running = useRef(false);
  const run = useCallback(async (fn: () => Promise<void>): Promise<void> => {
    if (running.current) return;
    running.current = true;
    setErr(null);
    setBusy(true);
    try {
      await fn();
    } catch (e) {
      setErr(asFieldError(e));
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);
  return { err, busy, run, setErr };
}

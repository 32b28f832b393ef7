/**
 * Sync for a person: enrol this device with a server (one-time code from an
 * admin), sync now, review refused changes, and resolve conflicts by
 * choosing one of the values the devices wrote (docs/sync.md).
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncStatusView } from '../../../core/api/sync.js';
import type { Result } from '../../../core/api/contract.js';
import { ApiCallError, call } from '../../transport.js';
import { useEventReload } from '../../use-event-reload.js';
import { changeLabel, subjectLabel } from '../../sync-change-label.js';
import { useMay } from '../../role.js';

type Conflict = Result<'sync.conflicts'>['items'][number];
type Rejected = Result<'sync.rejected'>['items'][number];

export function SyncPanel({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<SyncStatusView | null>(null);
  const [conflicts, setConflicts] = useState<Conflict[]>([]);
  const [rejected, setRejected] = useState<Rejected[]>([]);
  const [form, setForm] = useState({ serverUrl: '', code: '', deviceName: '' });
  const [error, setError] = useState<{ path?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const mayResolve = useMay('conflict.resolve');

  const reload = useCallback(async () => {
    const s = await call('sync.status', {});
    setStatus(s);
    if (s.enrolled) {
      setConflicts((await call('sync.conflicts', { limit: 100 })).items.filter((c) => c.status === 'open'));
      setRejected((await call('sync.rejected', { limit: 100 })).items);
    }
  }, []);
  useEffect(() => {
    void reload().catch(() => undefined);
  }, [reload]);
  useEventReload(['sync.status'], () => void reload().catch(() => undefined));

  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      await reload();
    } catch (err) {
      setError(err instanceof ApiCallError ? { ...(err.path ? { path: err.path } : {}), message: err.message } : { message: (err as Error).message });
    } finally {
      setBusy(false);
    }
  };
  const fieldError = (path: string) =>
    error?.path === path ? (
      <span className="field-error" role="alert">
        {error.message}
      </span>
    ) : null;

  return (
    <section className="panel sync-panel" aria-labelledby="sync-heading">
      <h2 id="sync-heading">{t('sync.heading')}</h2>
      <button type="button" onClick={onClose}>
        {t('sync.close')}
      </button>
      {status && !status.enrolled && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => call('sync.enrol', { serverUrl: form.serverUrl, code: form.code, ...(form.deviceName ? { deviceName: form.deviceName } : {}) }));
          }}
        >
          <p>{t('sync.enrolIntro')}</p>
          <label>
            {t('sync.serverUrl')}
            <input value={form.serverUrl} onChange={(e) => setForm({ ...form, serverUrl: e.target.value })} required />
          </label>
          {fieldError('serverUrl')}
          <label>
            {t('sync.code')}
            <input value={form.code} onChange={(e) => setForm({ ...form, code: e.target.value })} required />
          </label>
          {fieldError('code')}
          <label>
            {t('sync.deviceName')}
            <input value={form.deviceName} onChange={(e) => setForm({ ...form, deviceName: e.target.value })} />
          </label>
          <button type="submit" disabled={busy}>
            {t('sync.enrol')}
          </button>
        </form>
      )}
      {status?.enrolled && (
        <>
          <p>
            {t('sync.enrolledAt', { server: status.serverUrl ?? '', prefix: status.casePrefix ?? '' })}{' '}
            <button type="button" disabled={busy} onClick={() => void run(() => call('sync.now', {}))}>
              {t('sync.now')}
            </button>
          </p>
          {(status.uploads > 0 || status.downloads > 0 || status.attachmentsFailed > 0) && (
            <p data-testid="sync-attachments" className={status.attachmentsFailed ? 'field-error' : undefined}>
              {[
                status.uploads ? t('sync.uploads', { count: status.uploads }) : '',
                status.downloads ? t('sync.downloads', { count: status.downloads }) : '',
                status.attachmentsFailed ? t('sync.attachmentsFailed', { count: status.attachmentsFailed }) : '',
              ]
                .filter(Boolean)
                .join(' · ')}
              {status.attachmentError ? ` — ${t('sync.attachmentProblem', { message: status.attachmentError })}` : ''}
            </p>
          )}
          <h3>{t('sync.conflictsHeading')}</h3>
          {conflicts.length === 0 && <p>{t('sync.noConflicts')}</p>}
          <ul className="plain">
            {conflicts.map((c) => (
              <li key={c.id}>
                <strong>{c.caseNumber ?? c.ticketId}</strong> · {c.field}
                {mayResolve ? (
                  <div role="group" aria-label={t('sync.choose', { field: c.field })}>
                    {c.candidates.map((cand) => (
                      <button
                        key={cand.hlc + cand.deviceId}
                        type="button"
                        disabled={busy || c.resolving}
                        onClick={() => void run(() => call('sync.resolveConflict', { conflictId: c.id, value: cand.value }))}
                      >
                        {cand.value ?? '—'}
                      </button>
                    ))}
                  </div>
                ) : (
                  <div className="muted">
                    {c.candidates.map((cand) => cand.value ?? '—').join(' / ')} — {t('sync.resolveByOfficer')}
                  </div>
                )}
              </li>
            ))}
          </ul>
          <h3>{t('sync.rejectedHeading')}</h3>
          {rejected.length === 0 && <p>{t('sync.noRejected')}</p>}
          <ul className="plain">
            {rejected.map((r) => (
              <li key={r.id}>
                <strong>{subjectLabel(t, r)}</strong> · {r.caseNumber && <>{changeLabel(t, r)} · </>}
                {t(`sync.reasons.${r.reason}`, { defaultValue: r.message ?? r.reason })}
                {/* The server's own words name the field, the limit or how far the clock is ahead. */}
                {r.message && <div className="muted">{r.message}</div>}
              </li>
            ))}
          </ul>
        </>
      )}
      {error && !error.path && (
        <p role="alert" className="bad-text">
          {error.message}
        </p>
      )}
    </section>
  );
}

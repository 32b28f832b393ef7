/** Edits a contract's maintenance plans as JSON (docs/maintenance.md); every problem is listed with its path. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiIssue } from '../../../core/api/contract.js';
import { call } from '../../transport.js';

export function PlansEditor({ contractId, maintenance, onSaved }: { contractId: string; maintenance: unknown[] | null; onSaved: () => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(() => JSON.stringify(maintenance ?? [], null, 2));
  const [issues, setIssues] = useState<ApiIssue[]>([]);
  const [msg, setMsg] = useState('');
  const save = async () => {
    setMsg('');
    let plans: unknown;
    try {
      plans = JSON.parse(text);
    } catch (e) {
      return setIssues([{ path: '', message: t('maintenance.invalidJson', { message: (e as Error).message }) }]);
    }
    try {
      const r = await call('agreements.setMaintenance', { contractId, maintenance: Array.isArray(plans) && plans.length === 0 ? null : (plans as unknown[]) });
      setIssues([]);
      setMsg(t('maintenance.saved', { count: r.created }));
      onSaved();
    } catch (e) {
      const err = e as Error & { issues?: ApiIssue[]; path?: string };
      setIssues(err.issues ?? [{ path: err.path ?? '', message: err.message }]);
    }
  };
  return (
    <details>
      <summary>{t('maintenance.edit')}</summary>
      <label>
        {t('maintenance.plansJson')}
        <textarea rows={10} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
      </label>
      <button type="button" onClick={() => void save()}>
        {t('maintenance.save')}
      </button>
      {issues.length > 0 && (
        <ul role="alert" aria-label={t('maintenance.problems')}>
          {issues.map((i, n) => (
            <li key={n}>
              {i.path ? <code>{i.path}</code> : null} {i.message}
            </li>
          ))}
        </ul>
      )}
      {msg && <p role="status">{msg}</p>}
    </details>
  );
}

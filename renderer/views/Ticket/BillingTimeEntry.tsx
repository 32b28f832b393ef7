/** The ticket page's "Time and billing" section: log a time entry, see the case's invoice preview. */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseBillingView, TimeKind } from '../../../core/api/reports.js';
import { NumberInput } from '../../number-input.js';
import { parseDecimal } from '../../number-text.js';
import { useApp } from '../../store.js';
import { call } from '../../transport.js';
import { useEventReload } from '../../use-event-reload.js';
import { useSave } from '../../use-save.js';
import { InvoiceLines } from '../Billing/InvoiceLines.js';
import { TimeEntryList, VisitProposals } from './TimeEntries.js';

const TIME_KINDS: readonly TimeKind[] = ['phone', 'remote', 'onsite', 'travel'];
const fromLocal = (v: string): number | null => (v ? new Date(v).getTime() : null);

export function BillingTimeEntry({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const me = useApp((s) => s.me);
  const [level, setLevel] = useState('L1');
  const [kind, setKind] = useState<TimeKind>('phone');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [minutes, setMinutes] = useState('');
  const [billable, setBillable] = useState(true);
  const [text, setText] = useState('');
  const [msg, setMsg] = useState('');
  const { err, busy, run } = useSave();
  const [preview, setPreview] = useState<CaseBillingView | null>(null);
  const load = useCallback(() => void call('billing.case', { ticketId }).then(setPreview, () => setPreview(null)), [ticketId]);
  useEffect(load, [load]);
  useEventReload(['tickets.changed'], load, { ticketId });

  function submit(e: React.FormEvent) {
    e.preventDefault();
    void run(async () => {
      setMsg('');
      const mins = minutes.trim() ? parseDecimal(minutes) : null;
      if (mins === null && minutes.trim()) throw new Error(t('field.notNumber', { text: minutes }));
      await call('billing.addTimeEntry', { ticketId, level, kind, start: fromLocal(start), end: fromLocal(end), minutes: mins, billable, text: text || null, author: me || null });
      setMsg(t('timeEntry.logged'));
      setStart('');
      setEnd('');
      setMinutes('');
      setText('');
      load();
    });
  }

  return (
    <section className="panel" aria-labelledby="time-heading">
      <h2 id="time-heading">{t('timeEntry.heading')}</h2>
      {preview && <VisitProposals ticketId={ticketId} view={preview} level={level} onLogged={load} />}
      <form onSubmit={submit} className="grid-form">
        <label>
          {t('timeEntry.level')}
          <input value={level} onChange={(e) => setLevel(e.target.value)} size={4} list="vakt-levels" />
          <datalist id="vakt-levels">
            <option value="L1" />
            <option value="L2" />
            <option value="L3" />
          </datalist>
        </label>
        <label>
          {t('timeEntry.kind')}
          <select value={kind} onChange={(e) => setKind(e.target.value as TimeKind)}>
            {TIME_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`timeEntry.kinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('timeEntry.start')}
          <input type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} />
        </label>
        <label>
          {t('timeEntry.end')}
          <input type="datetime-local" value={end} onChange={(e) => setEnd(e.target.value)} />
        </label>
        <label>
          {t('timeEntry.minutes')}
          <NumberInput value={minutes} onChange={(e) => setMinutes(e.target.value)} size={5} />
        </label>
        <label className="check">
          <input type="checkbox" checked={billable} onChange={(e) => setBillable(e.target.checked)} />
          {t('timeEntry.billable')}
        </label>
        <label>
          {t('timeEntry.text')}
          <input value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        <button type="submit" disabled={busy} aria-busy={busy}>
          {t('timeEntry.log')}
        </button>
      </form>
      <p className="hint">{t('timeEntry.hint')}</p>
      {err && <p role="alert">{err.message}</p>}
      {msg && <p role="status">{msg}</p>}
      {preview && (
        <>
          <TimeEntryList view={preview} />
          <h3>{t('timeEntry.preview')}</h3>
          <InvoiceLines c={preview} />
        </>
      )}
    </section>
  );
}

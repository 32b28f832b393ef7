/**
 * The contract's `reports` and `warranty` sections as JSON (the contract
 * file's format, docs/scheduled-reports.md, docs/warranty.md): saved with
 * `agreements.setSections`; every problem is listed with its path, and an
 * empty box removes the section.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field, issueText } from '../../fields.js';
import type { FieldError } from '../../fields.js';
import { call } from '../../transport.js';
import { useSave } from '../../use-save.js';

const KEYS = ['reports', 'warranty'] as const;
type Key = (typeof KEYS)[number];
const show = (v: unknown) => (v == null ? '' : JSON.stringify(v, null, 2));

export function SectionsEditor({ contractId }: { contractId: string }) {
  const { t } = useTranslation();
  const [text, setText] = useState<Record<Key, string> | null>(null);
  const [saved, setSaved] = useState(false);
  const { err, busy, run, setErr } = useSave();
  useEffect(() => {
    void call('agreements.contract', { contractId }).then((a) => setText({ reports: show(a.reports), warranty: show(a.warranty) }));
  }, [contractId]);
  if (!text) return null;
  const problems = (k: Key, e: FieldError | null): string | null => {
    const list = (e?.issues?.length ? e.issues : e?.path ? [{ path: e.path, message: e.message }] : []).filter((i) => i.path === k || i.path.startsWith(`${k}.`) || i.path.startsWith(`${k}[`));
    return list.length ? list.map((i) => `${i.path}: ${issueText(i)}`).join(' · ') : null;
  };
  function save() {
    setSaved(false);
    const body: Record<string, unknown> = { contractId };
    for (const k of KEYS) {
      try {
        body[k] = text![k].trim() ? (JSON.parse(text![k]) as unknown) : null;
      } catch (e) {
        return setErr({ path: k, message: t('agreements.notJson', { why: (e as Error).message }) });
      }
    }
    void run(async () => {
      await call('agreements.setSections', body as { contractId: string });
      setSaved(true);
    });
  }
  return (
    <form
      aria-label={t('agreements.sectionsHeading')}
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <h3>{t('agreements.sectionsHeading')}</h3>
      {KEYS.map((k) => (
        <Field key={k} label={t(`agreements.section.${k}`)} error={problems(k, err)}>
          {(id, d) => (
            <textarea id={id} className="long-text code" rows={6} aria-describedby={d} aria-invalid={!!problems(k, err)} value={text[k]} onChange={(e) => setText({ ...text, [k]: e.target.value })} />
          )}
        </Field>
      ))}
      <button type="submit" disabled={busy} aria-busy={busy}>
        {t('agreements.saveSections')}
      </button>
      <span role="status">{saved ? t('agreements.sectionsSaved') : ''}</span>
    </form>
  );
}

/**
 * The ticket page's field visit log (issue 8 §1): the steps with their times
 * (a corrected time is a new event with a reason), km, parts, the inspection
 * checklist and the customer's acceptance with a signature drawn on a canvas.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EventView } from '../../../core/api/desk.js';
import type { ChecklistItemDef, FieldStep } from '../../../core/api/field.js';
import { formatDateTime } from '../../format.js';
import { NumberInput } from '../../number-input.js';
import { parseDecimal } from '../../number-text.js';
import { useApp } from '../../store.js';
import { call, callWithFile } from '../../transport.js';
import { useSave } from '../../use-save.js';
import { VisitReportButton } from '../Maintenance/VisitReport.js';

const STEPS: readonly FieldStep[] = ['travel', 'arrive', 'work', 'depart'];
/** core/api/field.ts SIGNATURE_MAX_CHARS. */
const SIGNATURE_MAX_CHARS = 150_000;
const fromLocal = (v: string): number | null => (v ? new Date(v).getTime() : null);
const toLocal = (at: number): string => {
  const d = new Date(at - new Date(at).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};

/** The step events still in force: the last of each step not corrected by a later one. */
export function currentSteps(events: EventView[]): Partial<Record<FieldStep, EventView>> {
  const replaced = new Set(events.filter((e) => e.type === 'visit_step' && typeof e.data.replaces === 'string').map((e) => e.data.replaces as string));
  const out: Partial<Record<FieldStep, EventView>> = {};
  for (const e of events) if (e.type === 'visit_step' && !replaced.has(e.id)) out[e.data.step as FieldStep] = e;
  return out;
}

function StepRow({ ticketId, step, current, onDone }: { ticketId: string; step: FieldStep; current: EventView | undefined; onDone: (msg: string, err?: string) => void }) {
  const { t } = useTranslation();
  const me = useApp((s) => s.me);
  const [time, setTime] = useState('');
  const [reason, setReason] = useState('');
  const [km, setKm] = useState('');
  const [editing, setEditing] = useState(false);
  const { busy, run } = useSave();
  const record = (correct: boolean) =>
    run(async () => {
      const kmValue = step === 'depart' && km.trim() ? parseDecimal(km) : null;
      if (kmValue === null && step === 'depart' && km.trim()) return onDone('', t('field.notNumber', { text: km }));
      try {
        await call('field.step', {
          ticketId,
          step,
          at: correct || time ? fromLocal(time) : null,
          replaces: correct ? (current?.id ?? null) : null,
          reason: reason || null,
          km: kmValue,
          author: me || null,
        });
        setEditing(false);
        setTime('');
        setReason('');
        onDone(t('field.recorded'));
      } catch (x) {
        onDone('', (x as Error).message);
      }
    });
  const label = t(`field.steps.${step}`);
  return (
    <li data-testid={`step-${step}`}>
      <strong>{label}</strong> {current ? <time dateTime={new Date(current.at).toISOString()}>{formatDateTime(current.at)}</time> : <span className="muted">–</span>}{' '}
      {step === 'depart' && !current && (
        <label>
          {t('field.km')} <NumberInput value={km} onChange={(e) => setKm(e.target.value)} size={5} />
        </label>
      )}
      {!current && (
        <button type="button" disabled={busy} aria-busy={busy} onClick={() => void record(false)}>
          {label}
        </button>
      )}
      {current && !editing && (
        <button type="button" onClick={() => (setEditing(true), setTime(toLocal(current.at)))} aria-label={`${t('field.correct')}: ${label}`}>
          {t('field.correct')}
        </button>
      )}
      {current && editing && (
        <span>
          <label>
            {t('field.time')} <input type="datetime-local" value={time} onChange={(e) => setTime(e.target.value)} />
          </label>{' '}
          <label>
            {t('field.reason')} <input value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>{' '}
          <button type="button" disabled={busy} aria-busy={busy} onClick={() => void record(true)}>
            {t('field.record')}
          </button>
        </span>
      )}
    </li>
  );
}

function Parts({ ticketId, onDone }: { ticketId: string; onDone: (msg: string, err?: string) => void }) {
  const { t } = useTranslation();
  const me = useApp((s) => s.me);
  const empty = { product: '', serialIn: '', serialOut: '' };
  const [rows, setRows] = useState([empty]);
  const set = (i: number, k: keyof typeof empty, v: string) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, [k]: v } : r)));
  const { busy, run } = useSave();
  const save = () =>
    run(async () => {
      try {
        await call('field.parts', { ticketId, parts: rows.filter((r) => r.product || r.serialIn || r.serialOut), author: me || null });
        setRows([empty]);
        onDone(t('field.recorded'));
      } catch (x) {
        onDone('', (x as Error).message);
      }
    });
  return (
    <fieldset>
      <legend>{t('field.parts')}</legend>
      {rows.map((r, i) => (
        <div key={i} className="grid-form">
          <label>
            {t('field.product')} <input value={r.product} onChange={(e) => set(i, 'product', e.target.value)} />
          </label>
          <label>
            {t('field.serialIn')} <input value={r.serialIn} onChange={(e) => set(i, 'serialIn', e.target.value)} />
          </label>
          <label>
            {t('field.serialOut')} <input value={r.serialOut} onChange={(e) => set(i, 'serialOut', e.target.value)} />
          </label>
        </div>
      ))}
      <button type="button" onClick={() => setRows((rs) => [...rs, empty])}>
        {t('field.addPart')}
      </button>{' '}
      <button type="button" disabled={busy} aria-busy={busy} onClick={() => void save()}>
        {t('field.saveParts')}
      </button>
    </fieldset>
  );
}

function Checklist({ ticketId, onDone }: { ticketId: string; onDone: (msg: string, err?: string) => void }) {
  const { t, i18n } = useTranslation();
  const me = useApp((s) => s.me);
  const [defs, setDefs] = useState<{ items: ChecklistItemDef[]; fromContract: boolean } | null>(null);
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  useEffect(() => {
    call('field.checklistFor', { ticketId }).then(setDefs, () => setDefs(null));
  }, [ticketId]);
  const { busy, run } = useSave();
  if (!defs) return null;
  const labelOf = (d: ChecklistItemDef) => (!defs.fromContract && i18n.exists(`field.items.${d.key}`) ? t(`field.items.${d.key}`) : d.label);
  const save = () =>
    run(async () => {
      try {
        await call('field.checklist', { ticketId, values: Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '')), author: me || null });
        setValues({});
        onDone(t('field.recorded'));
      } catch (x) {
        onDone('', (x as Error).message);
      }
    });
  return (
    <fieldset>
      <legend>{t('field.checklist')}</legend>
      <div className="grid-form">
        {defs.items.map((d) =>
          d.kind === 'yesno' ? (
            <label key={d.key} className="check">
              <input type="checkbox" checked={values[d.key] === true} onChange={(e) => setValues((v) => ({ ...v, [d.key]: e.target.checked }))} /> {labelOf(d)}
            </label>
          ) : (
            <label key={d.key}>
              {labelOf(d)}{' '}
              <input
                inputMode={d.kind === 'number' ? 'decimal' : undefined}
                value={(values[d.key] as string | undefined) ?? ''}
                onChange={(e) => setValues((v) => ({ ...v, [d.key]: e.target.value }))}
              />
            </label>
          ),
        )}
      </div>
      <button type="button" disabled={busy} aria-busy={busy} onClick={() => void save()}>
        {t('field.saveChecklist')}
      </button>
    </fieldset>
  );
}

function Acceptance({ ticketId, onDone }: { ticketId: string; onDone: (msg: string, err?: string) => void }) {
  const { t } = useTranslation();
  const me = useApp((s) => s.me);
  const canvas = useRef<HTMLCanvasElement>(null);
  const last = useRef<{ x: number; y: number } | null>(null);
  const [signed, setSigned] = useState(false);
  const [name, setName] = useState('');
  const point = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * e.currentTarget.width) / r.width, y: ((e.clientY - r.top) * e.currentTarget.height) / r.height };
  };
  function down(e: React.PointerEvent<HTMLCanvasElement>) {
    e.currentTarget.setPointerCapture?.(e.pointerId);
    last.current = point(e);
  }
  function move(e: React.PointerEvent<HTMLCanvasElement>) {
    const from = last.current;
    const g = canvas.current?.getContext('2d');
    if (!from || !g) return;
    const to = point(e);
    g.lineWidth = 2;
    g.lineCap = 'round';
    g.strokeStyle = '#000';
    g.beginPath();
    g.moveTo(from.x, from.y);
    g.lineTo(to.x, to.y);
    g.stroke();
    last.current = to;
    setSigned(true);
  }
  const up = () => (last.current = null);
  function clear() {
    const c = canvas.current;
    c?.getContext('2d')?.clearRect(0, 0, c.width, c.height);
    setSigned(false);
  }
  const { busy, run } = useSave();
  async function save() {
    const c = canvas.current;
    if (!c || !signed) return onDone('', t('field.signFirst'));
    const signature = c.toDataURL('image/png');
    if (signature.length > SIGNATURE_MAX_CHARS) return onDone('', `${t('field.signature')}: > ${SIGNATURE_MAX_CHARS}`);
    await run(async () => {
      try {
        await call('field.acceptance', { ticketId, name, signature, author: me || null });
        clear();
        setName('');
        onDone(t('field.recorded'));
      } catch (x) {
        onDone('', (x as Error).message);
      }
    });
  }
  return (
    <fieldset>
      <legend>{t('field.acceptance')}</legend>
      <label>
        {t('field.name')} <input value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <div>
        <canvas
          ref={canvas}
          width={400}
          height={150}
          role="img"
          aria-label={t('field.signature')}
          style={{ border: '1px solid #888', touchAction: 'none', background: '#fff', maxWidth: '100%' }}
          onPointerDown={down}
          onPointerMove={move}
          onPointerUp={up}
          onPointerLeave={up}
          onPointerCancel={up}
        />
      </div>
      <button type="button" onClick={clear}>
        {t('field.clear')}
      </button>{' '}
      <button type="button" disabled={busy} aria-busy={busy} onClick={() => void save()}>
        {t('field.accept')}
      </button>
    </fieldset>
  );
}

/** core/api/field.ts PHOTO_MIMES / PHOTO_MAX_BYTES. */
const PHOTO_MIMES = ['image/jpeg', 'image/png', 'image/webp'];
const MB = 1024 * 1024;
const PHOTO_MAX_BYTES = 8 * MB;

function AddPhoto({ ticketId, onDone }: { ticketId: string; onDone: (msg: string, err?: string) => void }) {
  const { t } = useTranslation();
  const me = useApp((s) => s.me);
  /** Share of the photo sent so far (0..1) while uploading, else null. */
  const [progress, setProgress] = useState<number | null>(null);
  async function add(input: HTMLInputElement) {
    const file = input.files?.[0];
    if (!file) return;
    try {
      if (!PHOTO_MIMES.includes(file.type)) return onDone('', `${t('field.photos')}: ${file.type || '?'} (${PHOTO_MIMES.join(', ')})`);
      if (file.size > PHOTO_MAX_BYTES) return onDone('', t('field.photoTooLarge', { size: (file.size / MB).toFixed(1), max: PHOTO_MAX_BYTES / MB }));
      setProgress(0);
      const request = { ticketId, name: file.name || 'photo', mime: file.type as 'image/png', author: me || null };
      await callWithFile('field.photo', request, 'dataBase64', file, (done, total) => setProgress(total ? done / total : 0));
      onDone(t('field.recorded'));
    } catch (x) {
      onDone('', `${t('field.photoFailed')}: ${(x as Error).message}`);
    } finally {
      setProgress(null);
      input.value = '';
    }
  }
  return (
    <p>
      <label>
        {t('field.photos')} <input type="file" accept="image/*" disabled={progress !== null} onChange={(e) => void add(e.currentTarget)} />
      </label>
      {progress !== null && (
        <span role="status" className="photo-progress">
          {' '}
          <progress max={1} value={progress} aria-label={t('field.photoUploading', { percent: Math.round(progress * 100) })} /> {t('field.photoUploading', { percent: Math.round(progress * 100) })}
        </span>
      )}
    </p>
  );
}

export function FieldVisit({ ticketId, events, onChanged }: { ticketId: string; events: EventView[]; onChanged: () => void }) {
  const { t } = useTranslation();
  const [msg, setMsg] = useState('');
  const [err, setErr] = useState('');
  const done = (m: string, e = '') => {
    setMsg(m);
    setErr(e);
    if (m) onChanged();
  };
  const current = currentSteps(events);
  return (
    <section className="panel" aria-labelledby="field-visit-heading">
      <h2 id="field-visit-heading">{t('field.log')}</h2>
      <ol className="steps">
        {STEPS.map((s) => (
          <StepRow key={s} ticketId={ticketId} step={s} current={current[s]} onDone={done} />
        ))}
      </ol>
      <Parts ticketId={ticketId} onDone={done} />
      <Checklist ticketId={ticketId} onDone={done} />
      <Acceptance ticketId={ticketId} onDone={done} />
      <AddPhoto ticketId={ticketId} onDone={done} />
      <VisitReportButton ticketId={ticketId} />
      {err && <p role="alert">{err}</p>}
      {msg && <p role="status">{msg}</p>}
    </section>
  );
}

/**
 * The keyboard shortcuts, shown on `?` (as Gmail, Jira and GitHub do) or from
 * the top bar's "?" button (issue 15 item 3). Escape or Close hides them and
 * gives the focus back.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

const SHORTCUTS: Array<[keys: string, what: string]> = [
  ['Alt+1 … Alt+7', 'shortcuts.views'],
  ['↓ ↑', 'shortcuts.matchMove'],
  ['Enter', 'shortcuts.matchPick'],
  ['Escape', 'shortcuts.matchClose'],
  ['Enter', 'shortcuts.lastField'],
  ['Ctrl+Enter', 'shortcuts.register'],
  ['?', 'shortcuts.help'],
];

/** Whether a key press is typing into a field (a `?` there is text, not the help). */
const typing = (t: EventTarget | null) => t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));

export function Shortcuts() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey && !typing(e.target)) {
        e.preventDefault();
        setOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  return (
    <>
      <button type="button" aria-keyshortcuts="?" aria-label={t('shortcuts.heading')} onClick={() => setOpen(true)}>
        ?
      </button>
      <dialog ref={dialog} aria-labelledby="shortcuts-heading" className="shortcuts" onClose={() => setOpen(false)}>
        <h2 id="shortcuts-heading">{t('shortcuts.heading')}</h2>
        <table>
          <tbody>
            {SHORTCUTS.map(([keys, what]) => (
              <tr key={what}>
                <th scope="row">
                  <kbd>{keys}</kbd>
                </th>
                <td>{t(what)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" autoFocus onClick={() => setOpen(false)}>
          {t('shortcuts.close')}
        </button>
      </dialog>
    </>
  );
}

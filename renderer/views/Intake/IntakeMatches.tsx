/**
 * The caller search of the intake as a combobox a person can drive blind
 * (issue 15 item 3): arrows move through the matches, Enter picks the
 * highlighted one (the first by default; an Enter typed before the matches
 * came picks when they come), Escape closes the list and a second Escape
 * clears the search. The order is stable: contacts by name, then customer and
 * agreement; a lookup answered after a newer one was sent is dropped.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallerView, CustomerView } from '../../../core/api/desk.js';
import type { Auth } from '../../intake-draft.js';
import { call } from '../../transport.js';

export interface Match {
  key: string;
  label: string;
  contractId: string;
  auth: Auth;
  phone: string | null;
}

const byText = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'base' });

function matchesOf(found: { callers: CallerView[]; customers: CustomerView[] }, t: (k: string, o?: Record<string, unknown>) => string): Match[] {
  const callers = [...found.callers].sort(
    (a, b) =>
      byText(a.contact.name, b.contact.name) ||
      byText(a.contract.customerName, b.contract.customerName) ||
      byText(a.contract.agreementNumber, b.contract.agreementNumber) ||
      byText(a.contact.id, b.contact.id),
  );
  const contracts = [...found.customers]
    .sort((a, b) => byText(a.name, b.name) || byText(a.id, b.id))
    .flatMap((cu) => [...cu.contracts].sort((a, b) => byText(a.agreementNumber, b.agreementNumber)).map((k) => ({ cu, k })));
  return [
    ...callers.map((c) => ({
      key: `contact:${c.contact.id}:${c.contract.id}`,
      label: t('intake.contactMatch', { name: c.contact.name, role: c.contact.role ?? '', customer: c.contract.customerName, agreement: c.contract.agreementNumber }),
      contractId: c.contract.id,
      auth: { kind: 'contact' as const, contactId: c.contact.id, name: c.contact.name },
      phone: c.contact.phone,
    })),
    ...contracts.map(({ cu, k }) => ({
      key: `contract:${k.id}`,
      label: t('intake.contractMatch', { customer: cu.name, agreement: k.agreementNumber }),
      contractId: k.id,
      auth: { kind: 'code' as const },
      phone: null,
    })),
  ];
}

export function IntakeMatches(props: { query: string; setQuery: (q: string) => void; onPick: (m: Match) => void; inputRef: React.RefObject<HTMLInputElement | null>; label: string; hint: string }) {
  const { t } = useTranslation();
  const { query, setQuery, onPick } = props;
  const [found, setFound] = useState<{ for: string; matches: Match[] } | null>(null);
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(true);
  const pendingEnter = useRef(false);
  const id = useId();
  const q = query.trim();
  const current = found && found.for === q ? found.matches : null;

  useEffect(() => {
    if (!q) {
      setFound(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      call('desk.lookup', { query: q })
        .then((r) => live && setFound({ for: q, matches: matchesOf(r, t) }))
        .catch(() => live && setFound({ for: q, matches: [] }));
    }, 150);
    return () => {
      live = false; // a newer query was typed: this answer is dropped
      clearTimeout(timer);
    };
  }, [q, t]);

  useEffect(() => {
    setActive(0);
    if (current && pendingEnter.current) {
      pendingEnter.current = false;
      if (current[0]) onPick(current[0]);
    }
  }, [current]);

  function onKeyDown(e: React.KeyboardEvent<HTMLInputElement>) {
    const n = current?.length ?? 0;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setOpen(true);
      if (n) setActive((a) => (e.key === 'ArrowDown' ? (a + 1) % n : (a - 1 + n) % n));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (current) {
        const m = current[Math.min(active, n - 1)];
        if (m) onPick(m);
      } else if (q) pendingEnter.current = true; // the matches are on their way
    } else if (e.key === 'Escape') {
      e.preventDefault();
      pendingEnter.current = false;
      if (open && current?.length) setOpen(false);
      else setQuery('');
    }
  }

  const listId = `${id}-list`;
  const shown = open && current;
  const optionId = (i: number) => `${id}-opt-${i}`;
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-in`}>{props.label}</label>
        <input
          id={`${id}-in`}
          ref={props.inputRef}
          type="search"
          role="combobox"
          aria-expanded={!!shown && shown.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={shown && shown[active] ? optionId(active) : undefined}
          aria-describedby={`${id}-hint`}
          aria-keyshortcuts="ArrowDown ArrowUp Enter Escape"
          autoFocus
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setOpen(true);
          }}
          onKeyDown={onKeyDown}
          autoComplete="off"
        />
        <small id={`${id}-hint`} className="hint">
          {props.hint}
        </small>
      </div>
      {shown && (
        <div aria-label={t('intake.matches')} role="group" className="matches">
          {shown.length === 0 && <p role="status">{t('intake.noMatch')}</p>}
          <ul id={listId}>
            {shown.map((m, i) => (
              <li key={m.key}>
                <button type="button" id={optionId(i)} className={i === active ? 'active' : undefined} aria-current={i === active ? 'true' : undefined} onClick={() => onPick(m)}>
                  {m.label}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}

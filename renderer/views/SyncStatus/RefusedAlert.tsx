/**
 * Tells the person when the server refused one of their changes (issue 17 item 1): which change, on
 * which ticket, and why, in their language, as an alert until they dismiss it. The sync panel lists
 * them all. The newest refusal dismissed is remembered on this device (localStorage), so a refusal
 * is announced once, also when it arrived while the app was closed.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Result } from '../../../core/api/contract.js';
import { call } from '../../transport.js';
import { changeLabel, subjectLabel } from '../../sync-change-label.js';

type Rejected = Result<'sync.rejected'>['items'][number];
const SEEN = 'vakt.sync.refusedSeen';

export function RefusedAlert({ rejected }: { rejected: number }) {
  const { t } = useTranslation();
  const [newest, setNewest] = useState<Rejected | null>(null);
  useEffect(() => {
    if (!rejected) return;
    let live = true;
    call('sync.rejected', { limit: 1 }).then(
      (r) => {
        const item = r.items[0];
        if (live && item && localStorage.getItem(SEEN) !== item.id) setNewest(item);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [rejected]);
  if (!newest) return null;
  const dismiss = () => {
    localStorage.setItem(SEEN, newest.id);
    setNewest(null);
  };
  return (
    <div role="alert" className="refused-alert bad-text">
      {t('sync.refusedAlert', { case: subjectLabel(t, newest), change: changeLabel(t, newest), reason: t(`sync.reasons.${newest.reason}`, { defaultValue: newest.message ?? newest.reason }) })}{' '}
      <button type="button" onClick={dismiss}>
        {t('sync.dismiss')}
      </button>
    </div>
  );
}

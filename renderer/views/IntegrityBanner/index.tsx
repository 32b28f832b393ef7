/**
 * A banner when the background integrity check found the database damaged
 * (`app.integrity`, main/integrity/watch.ts): what is wrong, that nothing was
 * changed, and the backup to restore with `vakt restore` (docs/store.md).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IntegrityStatus } from '../../../core/api/contract.js';
import { formatDateTime } from '../../format.js';
import { bridge, call } from '../../transport.js';

export function IntegrityBanner() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<IntegrityStatus | null>(null);
  useEffect(() => {
    let live = true;
    call('app.integrity', {}).then(
      (s) => live && setStatus(s),
      () => undefined,
    );
    const off = bridge.subscribe((e) => {
      if (e.name === 'app.integrity') setStatus(e.payload as IntegrityStatus);
    });
    return () => {
      live = false;
      off();
    };
  }, []);
  if (status?.state !== 'damaged') return null;
  const newest = status.backups[0];
  return (
    <div className="integrity-banner" role="alert" data-testid="integrity-banner">
      <strong>{t('integrity.damaged', { file: status.file, when: status.checkedAt === null ? '' : formatDateTime(status.checkedAt) })}</strong>
      <p>{status.problems.slice(0, 3).join('; ')}</p>
      <p>{newest ? t('integrity.restore', { count: status.backups.length }) : t('integrity.noBackup')}</p>
      {newest && <code>{t('integrity.command', { file: newest })}</code>}
    </div>
  );
}

/**
 * The sync status in the top bar: offline, syncing or up to date; how many
 * local changes wait; when the last sync finished; refused changes and
 * conflicts waiting for a person, photos still to upload or download
 * (docs/sync.md). Kept fresh by the `sync.status` push, through the app's
 * one feed of it (`useRoleFeed`, renderer/role.ts).
 */
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../format.js';
import { useRole } from '../../role.js';
import { RefusedAlert } from './RefusedAlert.js';

export function SyncStatus() {
  const { t } = useTranslation();
  const status = useRole((s) => s.status);
  if (!status) return null;
  const parts = [t(`sync.state.${status.state}`)];
  if (status.enrolled) {
    parts.push(t('sync.pending', { count: status.pending }));
    parts.push(status.lastSyncAt ? t('sync.last', { when: formatDateTime(status.lastSyncAt) }) : t('sync.never'));
    if (status.conflicts) parts.push(t('sync.conflicts', { count: status.conflicts }));
    if (status.rejected) parts.push(t('sync.rejected', { count: status.rejected }));
    if (status.uploads) parts.push(t('sync.uploads', { count: status.uploads }));
    if (status.downloads) parts.push(t('sync.downloads', { count: status.downloads }));
    if (status.attachmentsFailed) parts.push(t('sync.attachmentsFailed', { count: status.attachmentsFailed }));
    if (status.updateRequired) parts.push(t('sync.update'));
  }
  const tone = status.state === 'up_to_date' ? 'ok' : status.state === 'error' || status.updateRequired || status.conflicts || status.rejected || status.attachmentsFailed ? 'bad' : 'warn';
  return (
    <>
      <span className={`sync-status ${tone}`} role="status" aria-label={t('sync.label')} data-testid="sync-status" title={status.message ?? status.attachmentError ?? undefined}>
        {parts.join(' · ')}
      </span>
      <RefusedAlert rejected={status.rejected} />
    </>
  );
}

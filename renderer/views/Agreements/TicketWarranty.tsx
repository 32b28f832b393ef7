/** The ticket's asset warranty, the diagnosis fee it proposes, and "repair quote accepted" (docs/warranty.md). */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TicketWarrantyView } from '../../../core/api/agreements.js';
import { call } from '../../transport.js';
import { useEventReload } from '../../use-event-reload.js';
import { WarrantyLine } from './WarrantyLine.js';

export function TicketWarranty({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const [w, setW] = useState<TicketWarrantyView | null>(null);
  const [err, setErr] = useState('');
  const [reload, setReload] = useState(0);
  useEventReload(['tickets.changed'], () => setReload((n) => n + 1), { ticketId });
  useEffect(() => {
    void call('agreements.ticketWarranty', { ticketId }).then(setW, () => setW(null));
  }, [ticketId, reload]);
  if (!w?.asset) return null;
  async function toggle(accepted: boolean) {
    setErr('');
    try {
      setW(await call('agreements.setQuoteAccepted', { ticketId, accepted }));
    } catch (e) {
      setErr((e as Error).message);
    }
  }
  return (
    <section className="ticket-warranty" aria-label={t('agreements.warrantyHeading')}>
      <h3>{t('agreements.warrantyHeading')}</h3>
      <WarrantyLine w={w.asset} />
      {w.proposedFee && (
        <>
          <p data-testid="diagnosis-fee">{t(w.proposedFee.waived ? 'agreements.fee_waived' : 'agreements.fee_proposed', { fee: w.proposedFee.fee })}</p>
          <label>
            <input type="checkbox" checked={w.quoteAccepted} onChange={(e) => void toggle(e.target.checked)} /> {t('agreements.quoteAccepted')}
          </label>
        </>
      )}
      {err && <p role="alert">{err}</p>}
    </section>
  );
}

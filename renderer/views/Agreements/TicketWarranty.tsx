/** The ticket's asset warranty, the diagnosis fee it proposes, and "repair quote accepted" (docs/warranty.md). */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TicketWarrantyView } from '../../../core/api/terms.js';
import { call } from '../../transport.js';
import { useEventReload } from '../../use-event-reload.js';
import { useSave } from '../../use-save.js';
import { WarrantyLine } from './WarrantyLine.js';

export function TicketWarranty({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const [w, setW] = useState<TicketWarrantyView | null>(null);
  const { err, busy, run } = useSave();
  const [reload, setReload] = useState(0);
  useEventReload(['tickets.changed'], () => setReload((n) => n + 1), { ticketId });
  useEffect(() => {
    void call('agreements.ticketWarranty', { ticketId }).then(setW, () => setW(null));
  }, [ticketId, reload]);
  if (!w?.asset) return null;
  const toggle = (accepted: boolean) => run(async () => setW(await call('agreements.setQuoteAccepted', { ticketId, accepted })));
  return (
    <section className="ticket-warranty" aria-label={t('agreements.warrantyHeading')}>
      <h3>{t('agreements.warrantyHeading')}</h3>
      <WarrantyLine w={w.asset} />
      {w.proposedFee && (
        <>
          <p data-testid="diagnosis-fee">{t(w.proposedFee.waived ? 'agreements.fee_waived' : 'agreements.fee_proposed', { fee: w.proposedFee.fee })}</p>
          <label>
            <input type="checkbox" checked={w.quoteAccepted} disabled={busy} onChange={(e) => void toggle(e.target.checked)} /> {t('agreements.quoteAccepted')}
          </label>
        </>
      )}
      {err && <p role="alert">{err.message}</p>}
    </section>
  );
}

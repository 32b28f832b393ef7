/** Invoice previews per customer and month, and the accounting CSV (docs/reports.md). */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MonthInvoicesView } from '../../../core/api/reports.js';
import type { CustomerView } from '../../../core/api/desk.js';
import { call } from '../../transport.js';
import { download, thisMonth } from '../Reports/index.js';
import { RateCardEditor } from './RateCardEditor.js';
import { InvoiceLines } from './InvoiceLines.js';
import { formatMoney } from '../../format.js';

export function Billing() {
  const { t } = useTranslation();
  const [customers, setCustomers] = useState<CustomerView[]>([]);
  const [customerId, setCustomerId] = useState('');
  const [month, setMonth] = useState(thisMonth());
  const [view, setView] = useState<MonthInvoicesView | null>(null);
  const [err, setErr] = useState('');
  const [contractId, setContractId] = useState('');
  const [reload, setReload] = useState(0);
  const [showCard, setShowCard] = useState(false);
  useEffect(() => {
    void call('desk.customers', { prefix: '' }).then((r) => setCustomers(r.customers));
  }, []);
  const cu = customerId || customers[0]?.id || '';
  useEffect(() => {
    if (cu) call('billing.month', { customerId: cu, month }).then(setView, (e: Error) => setErr(e.message));
  }, [cu, month, reload]);
  const contracts = customers.find((c) => c.id === cu)?.contracts ?? [];
  const contract = contracts.find((k) => k.id === contractId) ?? contracts[0];

  return (
    <section className="panel wide" aria-labelledby="billing-heading">
      <h2 id="billing-heading">{t('billing.heading')}</h2>
      <div className="row">
        <label>
          {t('billing.customer')}
          <select value={cu} onChange={(e) => setCustomerId(e.target.value)}>
            {customers.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('reports.month')}
          <input type="month" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} />
        </label>
        <button type="button" disabled={!cu} onClick={() => void call('billing.csv', { customerId: cu, month }).then(download, (e: Error) => setErr(e.message))}>
          {t('billing.downloadCsv')}
        </button>
      </div>
      {err && <p role="alert">{err}</p>}
      {contracts.length > 0 && (
        <div className="ratecard-panel">
          <button type="button" aria-expanded={showCard} aria-controls="ratecard-panel" onClick={() => setShowCard(!showCard)}>
            {t('rateCard.open')}
          </button>
          {showCard && (
            <div id="ratecard-panel">
              <label>
                {t('rateCard.contract')}
                <select value={contract?.id ?? ''} onChange={(e) => setContractId(e.target.value)}>
                  {contracts.map((k) => (
                    <option key={k.id} value={k.id}>
                      {k.agreementNumber}
                      {k.name ? ` · ${k.name}` : ''}
                    </option>
                  ))}
                </select>
              </label>
              {contract && <RateCardEditor key={contract.id} contractId={contract.id} agreementNumber={contract.agreementNumber} onSaved={() => setReload((n) => n + 1)} />}
            </div>
          )}
        </div>
      )}
      {view && (
        <>
          <p>{view.totals.map((x) => t('billing.totals', { total: formatMoney(x.total, x.currency), vat: formatMoney(x.vat, x.currency) })).join(' · ') || t('billing.nothing')}</p>
          {view.cases.map((c) => (
            <div key={c.ticketId} className="invoice-case">
              <h3>
                {c.caseNumber} {c.title ? `– ${c.title}` : ''} <span className="hint">{c.agreementNumber}</span>
              </h3>
              <InvoiceLines c={c} />
            </div>
          ))}
        </>
      )}
    </section>
  );
}

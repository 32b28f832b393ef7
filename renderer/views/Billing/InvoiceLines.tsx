/**
 * A case's invoice as a person reads it (issue 15 items 7, 8): each time
 * entry with its date, level, kind, minutes, free minutes and after-hours
 * minutes (surcharge), each trip's km; then the priced lines and the totals.
 * Every word comes from i18n and every number from renderer/format.ts; the
 * services' English `line.text` is not shown.
 */
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { CaseInvoiceView } from '../../../core/api/reports.js';
import type { InvoiceLine } from '../../../core/billing/index.js';
import { issueText, issuesText } from '../../fields.js';
import { formatAmount, formatDateTime, formatMoney, formatNumber } from '../../format.js';

type Invoice = NonNullable<CaseInvoiceView['invoice']>;

function lineText(l: InvoiceLine, inv: Invoice, t: TFunction): string {
  if (l.kind === 'time') {
    const vars = { minutes: formatNumber(l.minutes ?? 0), level: l.level ?? '', pct: formatNumber(inv.surchargePct ?? 0) };
    return l.afterHours ? t('billing.lineTimeAfterHours', vars) : t('billing.lineTime', vars);
  }
  if (l.kind === 'mileage') return t('billing.lineMileage', { km: formatNumber(l.km ?? 0), price: formatNumber(l.perKm ?? 0, { minimumFractionDigits: 2 }) });
  return l.waived ? t('billing.lineFeeWaived', { fee: l.fee ?? l.text }) : (l.fee ?? l.text);
}

/** Why a case has no invoice, in the user's language. */
export function invoiceError(c: CaseInvoiceView, t: TFunction): string {
  const e = c.error;
  if (!e) return '';
  if (e.code === 'no_contract') return t('billing.noContract');
  if (e.code === 'no_rate_card') return t('billing.noRateCard', { agreement: c.agreementNumber ?? '' });
  if (e.code === 'no_sla') return t('billing.noSla', { message: e.issue?.cause?.length ? issuesText(e.issue.cause) : e.message });
  return t('billing.rateCardError', { message: e.issue ? issueText(e.issue) : e.message });
}

function Entries({ inv }: { inv: Invoice }) {
  const { t } = useTranslation();
  if (!inv.entries.length && !inv.trips.length) return null;
  return (
    <table className="invoice entries" aria-label={t('billing.entries')}>
      <thead>
        <tr>
          <th scope="col">{t('billing.date')}</th>
          <th scope="col">{t('timeEntry.level')}</th>
          <th scope="col">{t('timeEntry.kind')}</th>
          <th scope="col">{t('billing.minutes')}</th>
          <th scope="col">{t('billing.free')}</th>
          <th scope="col">{t('billing.afterHours')}</th>
          <th scope="col">{t('billing.km')}</th>
        </tr>
      </thead>
      <tbody>
        {inv.entries.map((e, i) => (
          <tr key={`e${i}`}>
            <td>{formatDateTime(e.start)}</td>
            <td>{e.level}</td>
            <td>{t(`timeEntry.kinds.${e.kind}`)}</td>
            <td className="num">{e.billable ? formatNumber(e.minutes) : t('billing.notBillable', { minutes: formatNumber(e.minutes) })}</td>
            <td className="num">{e.freeMinutes ? t('billing.freeMinutes', { minutes: formatNumber(e.freeMinutes) }) : ''}</td>
            <td className="num">{e.afterHoursMinutes ? t('billing.afterHoursMinutes', { minutes: formatNumber(e.afterHoursMinutes), pct: formatNumber(inv.surchargePct ?? 0) }) : ''}</td>
            <td />
          </tr>
        ))}
        {inv.trips.map((trip, i) => (
          <tr key={`t${i}`}>
            <td>{formatDateTime(trip.at)}</td>
            <td />
            <td>{t('billing.trip')}</td>
            <td />
            <td />
            <td />
            <td className="num">{formatNumber(trip.km)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function InvoiceLines({ c }: { c: CaseInvoiceView }) {
  const { t } = useTranslation();
  if (!c.invoice) return <p className="hint">{invoiceError(c, t)}</p>;
  const inv = c.invoice;
  return (
    <>
      <Entries inv={inv} />
      <table className="invoice">
        <tbody>
          {inv.lines.map((l, i) => (
            <tr key={i}>
              <td>{lineText(l, inv, t)}</td>
              <td className="num">{formatAmount(l.amount)}</td>
            </tr>
          ))}
          {!inv.lines.length && (
            <tr>
              <td colSpan={2}>{t('billing.nothing')}</td>
            </tr>
          )}
          <tr className="sum">
            <th scope="row">{t('billing.subtotal')}</th>
            <td className="num">{formatAmount(inv.subtotal)}</td>
          </tr>
          <tr>
            <th scope="row">{t('billing.vat')}</th>
            <td className="num">{formatAmount(inv.vat)}</td>
          </tr>
          <tr className="sum">
            <th scope="row">{t('billing.total')}</th>
            <td className="num" data-testid={`invoice-total-${c.caseNumber}`}>
              {formatMoney(inv.total, inv.currency)}
            </td>
          </tr>
        </tbody>
      </table>
    </>
  );
}

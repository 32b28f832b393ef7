/**
 * The planned visits as a table (docs/maintenance.md): the contract's visits
 * in the Contracts view and the month's visits in the SLA report. Each row is
 * a visit's plan, due date and window (its first and last day, in `timezone`),
 * its case (text or a link to the ticket) and its state, already in words.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { windowDays } from './dates.js';

export interface VisitLine {
  planId: string;
  title: string;
  due: string;
  windowStart: number;
  windowEnd: number;
  /** The zone of this visit's window, else the table's. */
  timezone?: string | null;
  missed: boolean;
  caseCell: ReactNode;
  state: string;
}

export function VisitsTable({ rows, timezone, label, testId }: { rows: readonly VisitLine[]; timezone?: string; label?: string; testId?: string }) {
  const { t } = useTranslation();
  return (
    <table className="breaches" aria-label={label} data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">{t('maintenance.visit')}</th>
          <th scope="col">{t('maintenance.due')}</th>
          <th scope="col">{t('maintenance.windowCol')}</th>
          <th scope="col">{t('maintenance.case')}</th>
          <th scope="col">{t('maintenance.state')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const w = windowDays(r, r.timezone ?? timezone);
          return (
            <tr key={`${r.planId}|${r.due}`} className={r.missed ? 'missed' : undefined}>
              <td>{r.title}</td>
              <td>{r.due}</td>
              <td>
                {w.from} – {w.to}
              </td>
              <td>{r.caseCell}</td>
              <td>{r.state}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

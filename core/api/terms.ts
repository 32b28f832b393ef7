/**
 * Agreements over time (issue 20): scheduled reports (docs/scheduled-reports.md)
 * and warranty (docs/warranty.md). The renderer imports only the types.
 */
import { z } from 'zod';
import { dateSchema } from '../agreements/record-fields.js';
import type { ReportSent } from '../agreements/record-fields.js';
import type { DueReport, ReportsSection } from '../agreements/reports.js';
import type { WarrantySection, WarrantyStatus } from '../agreements/warranty.js';
import type { FileView } from './reports.js';

/** One schedule's current period, with what the officer needs to send it. */
export interface DueReportView extends DueReport {
  contractId: string;
  agreementNumber: string;
  customerName: string;
  scheduleName: string;
  every: 'month' | 'quarter';
  to: string[];
  fee: string | null;
  /** The zone the window is cut in (the contract's calendar). */
  timezone: string;
  /** Sends recorded for this schedule (any period), oldest first. */
  sent: ReportSent[];
}

export interface ContractAgreementsView {
  contractId: string;
  agreementNumber: string;
  reports: ReportsSection | null;
  warranty: WarrantySection | null;
  due: DueReportView[];
  reportsSent: ReportSent[];
}

/** An asset's warranty as intake and the ticket show it. */
export interface AssetWarrantyView {
  /** The asset on file (null: none with this serial number yet). */
  assetId: string | null;
  product: string | null;
  serialNumber: string | null;
  purchaseDate: string | null;
  warrantyUntil: string | null;
  /** The contract's terms decide (the asset's own end date first); null without a contract. */
  status: WarrantyStatus;
  /** The rate card's fee proposed outside the warranty, or null. */
  diagnosisFee: string | null;
}

export interface TicketWarrantyView {
  ticketId: string;
  asset: AssetWarrantyView | null;
  quoteAccepted: boolean;
  /** What goes on the invoice: the fee, waived or not; null when none is proposed. */
  proposedFee: { fee: string; waived: boolean } | null;
}

const id = z.string().min(1, 'is required').max(100);
const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/, 'must be a month (2026-11) or a quarter (2026-Q4)');

export const termsMethods = {
  /** The contract's report schedules and warranty terms, what is due now, and the reports sent. */
  'agreements.contract': {
    request: z.object({ contractId: id }).strict(),
    result: z.custom<ContractAgreementsView>(),
  },
  /** Replaces the contract's `reports` and/or `warranty` section (null removes it); refused with the path of each problem. */
  'agreements.setSections': {
    request: z.object({ contractId: id, reports: z.unknown().optional(), warranty: z.unknown().optional() }).strict(),
    result: z.custom<ContractAgreementsView>(),
  },
  /** Every contract's reports that are open or overdue now (and the next upcoming ones), soonest window first. */
  'agreements.dueReports': {
    request: z.object({}).strict(),
    result: z.custom<{ reports: DueReportView[]; now: number }>(),
  },
  /** The period's report as PDF (one per month of the period: the monthly SLA report). */
  'agreements.reportPdf': {
    request: z.object({ contractId: id, schedule: id, period, language: z.enum(['en', 'da', 'nb', 'nl']).optional() }).strict(),
    result: z.custom<{ files: FileView[] }>(),
  },
  /** Records that the period's report was sent now, to whom; it syncs with the contract. */
  'agreements.markReportSent': {
    request: z
      .object({
        contractId: id,
        schedule: id,
        period,
        to: z
          .array(
            z
              .string()
              .trim()
              .regex(/^[^\s@]+@[^\s@]+$/, 'is not an e-mail address')
              .max(200),
          )
          .min(1, 'name at least one recipient')
          .max(20),
        by: z.string().trim().max(200).nullish(),
      })
      .strict(),
    result: z.custom<ContractAgreementsView>(),
  },
  /** Intake: the warranty of the asset named by product and serial number under the contract (the customer's asset with that serial number, when on file). */
  'agreements.intakeWarranty': {
    request: z.object({ contractId: id, product: z.string().trim().max(200).nullish(), serialNumber: z.string().trim().max(100).nullish() }).strict(),
    result: z.custom<AssetWarrantyView>(),
  },
  /** Keeps the asset (product, serial number) with its purchase date and own warranty end: made when the customer has none with that serial number. Syncs as the asset record. */
  'agreements.saveAsset': {
    request: z
      .object({
        contractId: id,
        product: z.string().trim().max(200).nullish(),
        serialNumber: z.string().trim().min(1, 'is required').max(100),
        purchaseDate: dateSchema.nullish(),
        warrantyUntil: dateSchema.nullish(),
      })
      .strict(),
    result: z.custom<AssetWarrantyView>(),
  },
  /** The ticket's asset's warranty, whether the repair quote was accepted, and the diagnosis fee proposed. */
  'agreements.ticketWarranty': {
    request: z.object({ ticketId: id }).strict(),
    result: z.custom<TicketWarrantyView>(),
  },
  /** Records that the customer accepted (or withdrew) the repair quote: a note on the ticket, synced; the diagnosis fee is waived while accepted. */
  'agreements.setQuoteAccepted': {
    request: z.object({ ticketId: id, accepted: z.boolean(), author: z.string().trim().max(200).nullish() }).strict(),
    result: z.custom<TicketWarrantyView>(),
  },
} as const;

/**
 * Contract methods for billing (time entries, invoice previews, accounting
 * CSV) and reports (monthly SLA compliance, its CSV and PDF). See docs/reports.md.
 */
import { z } from 'zod';
import { id, instant, optText } from './fields.js';
import type { Invoice } from '../billing/index.js';
import type { KpiResult } from '../agreements/reports.js';
import type { SlaReport } from '../reports/index.js';
import { VISIT_PARTS } from '../reports/time-entries.js';
import type { KeyedIssue } from '../domain/issue-keys.js';
import type { LoggedEntry, ProposedEntry } from '../reports/time-entries.js';

export const TIME_KINDS = ['phone', 'remote', 'onsite', 'travel'] as const;
export type TimeKind = (typeof TIME_KINDS)[number];

export interface CaseInvoiceView {
  ticketId: string;
  caseNumber: string;
  customerName: string;
  agreementNumber: string | null;
  createdAt: number;
  title: string | null;
  /** null when the case cannot be priced (see `error`). */
  invoice: Invoice | null;
  /** Why not: no contract, no rate card, a calendar that does not compile, or a rate card problem with its path (the rate card's, e.g. `rates.L2`). */
  /** `issue`: the problem with its key (core/domain/issue-keys.ts), for the renderer. */
  error: { code: 'no_contract' | 'no_rate_card' | 'no_sla' | 'rate_card'; message: string; path?: string; issue?: KeyedIssue } | null;
}
/** `billing.case`: the invoice, the ticket's time entries and what its field visit proposes (issue 15 item 8). */
export interface CaseBillingView extends CaseInvoiceView {
  timeEntries: LoggedEntry[];
  proposals: ProposedEntry[];
}
export interface MonthInvoicesView {
  month: string;
  timezone: string;
  customerId: string;
  customerName: string;
  cases: CaseInvoiceView[];
  /** Per currency, minor units. */
  totals: Array<{ currency: string; subtotal: number; vat: number; total: number }>;
}
export interface SlaReportView extends SlaReport {
  contractId: string;
  customerName: string;
  agreementNumber: string;
  contractName: string | null;
  policyNames: Record<string, string>;
  /** The contract's guaranteed KPIs against these figures (scheduled reports; [] without any). */
  kpis?: KpiResult[];
}
export interface FileView {
  filename: string;
  /** CSV text (UTF-8, with BOM) or, for PDFs, base64. */
  content: string;
  mediaType: string;
}

const month = z.string().regex(/^2\d{3}-(0[1-9]|1[0-2])$/, 'must look like 2026-03 (a month from 2000-01 to 2999-12)');

export const timeEntryRequest = z
  .object({
    ticketId: id,
    level: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,20}$/, 'letters, digits, _ and - only (e.g. L1)')
      .default('L1'),
    kind: z.enum(TIME_KINDS),
    /** Start and end, or start and minutes, or minutes alone (ending now). */
    start: instant.nullish(),
    end: instant.nullish(),
    minutes: z
      .number()
      .int()
      .min(1, 'at least 1 minute')
      .max(24 * 60, 'at most 24 hours')
      .nullish(),
    billable: z.boolean().default(true),
    text: optText(2000),
    author: optText(200),
    /** A proposal of the field visit confirmed (`billing.case` proposals): at most one entry per part. */
    fromVisit: z.enum(VISIT_PARTS).nullish(),
  })
  .strict();

export const rateCardSchema = z
  .object({
    id: z.string().max(100).optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as DKK'),
    vatPct: z.union([z.number(), z.string()]),
    rates: z.record(z.string(), z.union([z.number(), z.string()])),
    discountPct: z.union([z.number(), z.string()]).optional(),
    freeMinutesPerCase: z.number().int().min(0).optional(),
    minimumMinutesPerCase: z.number().int().min(0).optional(),
    roundUpToMinutes: z.number().int().min(1).optional(),
    afterHours: z
      .object({ calendar: z.string().min(1), surchargePct: z.union([z.number(), z.string()]) })
      .strict()
      .optional(),
    mileagePerKm: z.union([z.number(), z.string()]).optional(),
    fees: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
  })
  .strict();

export const reportsMethods = {
  /** Logs a time entry on a ticket (level, kind, start/end or a duration, billable). */
  'billing.addTimeEntry': {
    request: timeEntryRequest,
    result: z.custom<{ ticketId: string; eventId: string }>(),
  },
  /** Logs a visit with km driven and fixed fees (e.g. diagnosis, waived or not). */
  'billing.addVisit': {
    request: z
      .object({
        ticketId: id,
        arrivedAt: instant,
        leftAt: instant.nullish(),
        km: z.number().min(0).max(100_000).nullish(),
        fees: z
          .array(z.object({ fee: z.string().trim().min(1).max(100), waived: z.boolean().default(false) }).strict())
          .max(20)
          .default([]),
        technician: optText(200),
        text: optText(2000),
        author: optText(200),
      })
      .strict(),
    result: z.custom<{ ticketId: string; eventId: string }>(),
  },
  /** Sets the contract's rate card on this device (specs/billing.md format); checked by pricing an empty case. */
  'billing.setRateCard': {
    request: z.object({ contractId: id, rateCard: rateCardSchema }).strict(),
    result: z.object({ ok: z.literal(true) }),
  },
  /** The contract's rate card as it prices now (null: none), and the calendars its after-hours rule may name (the rate card form). */
  'billing.rateCard': {
    request: z.object({ contractId: id }).strict(),
    result: z.custom<{ rateCard: z.output<typeof rateCardSchema> | null; calendars: string[] }>(),
  },
  'billing.case': {
    request: z.object({ ticketId: id }).strict(),
    result: z.custom<CaseBillingView>(),
  },
  /** The customer's cases created in the month, each priced. */
  'billing.month': {
    request: z.object({ customerId: id, month }).strict(),
    result: z.custom<MonthInvoicesView>(),
  },
  /** The month's invoice lines as CSV for accounting. */
  'billing.csv': {
    request: z.object({ customerId: id, month }).strict(),
    result: z.custom<FileView>(),
  },
  'reports.sla': {
    request: z.object({ contractId: id, month }).strict(),
    result: z.custom<SlaReportView>(),
  },
  'reports.slaCsv': {
    request: z.object({ contractId: id, month }).strict(),
    result: z.custom<FileView>(),
  },
  /** The printable report page rendered to PDF by Chromium (browser shell; Electron: webContents.printToPDF). */
  'reports.slaPdf': {
    request: z.object({ contractId: id, month, language: z.enum(['en', 'da', 'nb', 'nl']).optional() }).strict(),
    result: z.custom<FileView>(),
  },
} as const;

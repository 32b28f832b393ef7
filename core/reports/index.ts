/** Reports: SLA compliance per contract and month, invoice previews and their CSV (docs/reports.md). Pure. */
export { BOM, csvField, toCsv } from './csv.js';
export type { CsvField } from './csv.js';
export { MONTH_PATTERN, localDate, monthOf, monthRange } from './month.js';
export type { MonthRange } from './month.js';
export { HISTOGRAM_HOURS, slaReport, slaReportCsv, timeFigures } from './sla.js';
export type { Breach, HistogramBin, MetricFigures, PolicyFigures, ReportTicket, SlaReport, SlaReportInput, TimeFigures, UpdateFigures } from './sla.js';
export { OFFLINE_MARK_MS, evidenceRows, receivedLateMs } from './evidence.js';
export type { ClockEventInput, EventProvenance, EvidenceRow, EvidenceTicket } from './evidence.js';
export { DEFAULT_KIND, DEFAULT_LEVEL, INVOICE_CSV_HEADER, allocateVat, caseInputFromEvents, invoiceCsv } from './billing.js';
export type { BillingEvent, InvoiceCase } from './billing.js';
export { VISIT_PARTS, loggedEntries, proposedEntries } from './time-entries.js';
export type { LoggedEntry, ProposedEntry, VisitPart } from './time-entries.js';

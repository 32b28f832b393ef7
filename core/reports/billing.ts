/**
 * Invoice previews from a case's event log, priced by core/billing
 * (docs/reports.md). Pure.
 */
import { formatMinor, toScaled } from '../billing/index.js';
import type { CaseInput, Invoice, RateCard, TimeEntry } from '../billing/index.js';
import { toCsv } from './csv.js';
import { localDate } from './month.js';

const MINUTE = 60_000;
export const DEFAULT_LEVEL = 'L1';
export const DEFAULT_KIND: TimeEntry['kind'] = 'remote';
const KINDS = ['phone', 'remote', 'onsite', 'travel'] as const;

/** A stored event, as much of it as billing reads. */
export interface BillingEvent {
  /** Needed only to tell which field visit steps were corrected (`visit_step.replaces`). */
  id?: string;
  type: string;
  at: number;
  data: Record<string, unknown>;
}

/**
 * The billable input of a case:
 * - `time_entry`: [start, end) with level (default L1), kind (default remote)
 *   and billable (default true). Without `start`, the entry ends when it was
 *   logged (`end` or the event's time) and lasts `minutes`.
 * - `visit`: `km` are added up; `fees` are listed in order, one per fee name,
 *   the latest mention of a fee deciding whether it is waived.
 * - `visit_step` (the field technician's visit log): `km` are added up, except
 *   on steps a later step event corrected (`replaces`; the correction carries them).
 */
export function caseInputFromEvents(events: readonly BillingEvent[]): CaseInput {
  const entries: TimeEntry[] = [];
  let kmMilli = 0n;
  const trips: Array<{ at: number; km: string }> = [];
  const addKm = (at: number, km: number) => {
    const milli = toScaled(Number(km.toFixed(3)), 3, 'km');
    kmMilli += milli;
    trips.push({ at, km: kmText(milli) });
  };
  const fees = new Map<string, boolean>();
  const replaced = new Set(events.filter((e) => e.type === 'visit_step' && typeof e.data.replaces === 'string').map((e) => e.data.replaces as string));
  for (const e of events) {
    const d = e.data;
    if (e.type === 'time_entry') entries.push(timeEntryOf(e));
    else if (e.type === 'visit_step') {
      if (typeof d.km === 'number' && d.km > 0 && !(e.id && replaced.has(e.id))) addKm(e.at, d.km);
    } else if (e.type === 'visit') {
      if (typeof d.km === 'number' && d.km > 0) addKm(e.at, d.km);
      if (Array.isArray(d.fees))
        for (const f of d.fees as Array<{ fee?: unknown; waived?: unknown }>) {
          if (typeof f.fee !== 'string') continue;
          fees.delete(f.fee); // the latest mention decides (and its position)
          fees.set(f.fee, f.waived === true);
        }
    }
  }
  const out: CaseInput = { entries };
  if (kmMilli > 0n) {
    out.km = kmText(kmMilli);
    out.trips = trips;
  }
  if (fees.size) out.fees = [...fees].map(([fee, waived]) => (waived ? { fee, waived } : { fee }));
  return out;
}

/**
 * A `time_entry` event as the entry it bills: [start, end) with level (default
 * L1), kind (default remote) and billable (default true). Without `start`, the
 * entry ends when it was logged (`end` or the event's time) and lasts `minutes`.
 */
export function timeEntryOf(e: BillingEvent): TimeEntry {
  const d = e.data;
  const minutes = typeof d.minutes === 'number' ? d.minutes : 0;
  const start = typeof d.start === 'number' ? d.start : (typeof d.end === 'number' ? d.end : e.at) - minutes * MINUTE;
  const end = typeof d.end === 'number' ? d.end : start + minutes * MINUTE;
  const kind = (KINDS as readonly unknown[]).includes(d.kind) ? (d.kind as TimeEntry['kind']) : DEFAULT_KIND;
  return { start, end, level: typeof d.level === 'string' && d.level ? d.level : DEFAULT_LEVEL, kind, billable: d.billable !== false };
}

/** Thousandths of a km as an exact decimal: 42500n -> "42.5". */
function kmText(milli: bigint): string {
  const s = milli.toString().padStart(4, '0');
  return `${s.slice(0, -3)}.${s.slice(-3)}`.replace(/\.?0+$/, '');
}

/** The VAT of each line: the invoice's VAT split over its lines in proportion, remainders to the largest fractions, so the lines add up to it. */
export function allocateVat(inv: Invoice, card: Pick<RateCard, 'vatPct'>): number[] {
  const pct = toScaled(card.vatPct, 4, 'vatPct'); // percent × 10^4
  const den = 100n * 10_000n;
  const exact = inv.lines.map((l) => BigInt(l.amount) * pct);
  const floors = exact.map((x) => x / den);
  let rest = BigInt(inv.vat) - floors.reduce((a, b) => a + b, 0n);
  const order = exact.map((x, i) => ({ i, frac: x % den })).sort((a, b) => (b.frac > a.frac ? 1 : b.frac < a.frac ? -1 : a.i - b.i));
  for (const o of order) {
    if (rest <= 0n) break;
    floors[o.i] = (floors[o.i] as bigint) + 1n;
    rest--;
  }
  return floors.map(Number);
}

export interface InvoiceCase {
  caseNumber: string;
  customer: string;
  agreementNumber: string;
  /** The case's date (its creation) as an instant, shown as a local date. */
  date: number;
  invoice: Invoice;
  card: Pick<RateCard, 'vatPct'>;
}

export const INVOICE_CSV_HEADER = ['case_number', 'customer', 'agreement_number', 'date', 'text', 'minutes', 'amount', 'vat', 'currency'] as const;

/** One CSV line per invoice line; amounts in major units with a dot; VAT per line (adds up to the invoice's VAT). */
export function invoiceCsv(cases: readonly InvoiceCase[], timezone: string): string {
  const rows: Array<Array<string | number>> = [];
  for (const c of cases) {
    const vat = allocateVat(c.invoice, c.card);
    c.invoice.lines.forEach((l, i) => {
      rows.push([c.caseNumber, c.customer, c.agreementNumber, localDate(c.date, timezone), l.text, l.minutes ?? '', formatMinor(l.amount), formatMinor(vat[i] ?? 0), c.invoice.currency]);
    });
  }
  return toCsv(INVOICE_CSV_HEADER, rows);
}

/**
 * Billable time, as `specs/billing.md` defines it. Pure: a rate card, a case's
 * time entries, mileage and fees in; invoice lines out. Money is integer
 * minor units (øre, cents) throughout, computed with BigInt and rounded half
 * up once per line; never floating point.
 */
import type { CompiledCalendar } from '../sla/calendar.js';
import { issue } from '../domain/issue-keys.js';
import type { KeyedIssue } from '../domain/issue-keys.js';

export const LEVELS_PATTERN = /^[A-Za-z0-9_-]{1,20}$/;

export interface RateCard {
  id?: string;
  currency: string;
  vatPct: number | string;
  /** Hourly rate per level, excluding VAT, in major units ("800", 1095, "1095.50"). */
  rates: Record<string, number | string>;
  discountPct?: number | string;
  freeMinutesPerCase?: number;
  minimumMinutesPerCase?: number;
  roundUpToMinutes?: number;
  afterHours?: { calendar: string; surchargePct: number | string };
  mileagePerKm?: number | string;
  fees?: Record<string, number | string>;
}

export interface TimeEntry {
  /** Epoch ms; the entry covers [start, end). */
  start: number;
  end: number;
  level: string;
  kind: 'phone' | 'remote' | 'onsite' | 'travel';
  billable: boolean;
}

export interface CaseInput {
  entries: readonly TimeEntry[];
  km?: number | string;
  fees?: ReadonlyArray<{ fee: string; waived?: boolean }>;
  /** Where `km` came from (a visit's departure: when and how far), for the invoice's detail; not priced again. */
  trips?: ReadonlyArray<{ at: number; km: string }>;
}

/** One time entry as the invoice details it: its whole minutes, how many were free and how many after hours. */
export interface EntryLine {
  start: number;
  end: number;
  level: string;
  kind: TimeEntry['kind'];
  billable: boolean;
  /** Whole minutes (a started minute counts); 0 billable minutes when not billable. */
  minutes: number;
  /** Of them, taken by the case's free minutes (rule 2). */
  freeMinutes: number;
  /** Of them, after hours (surcharged; rule 1). */
  afterHoursMinutes: number;
}

export interface InvoiceLine {
  kind: 'time' | 'mileage' | 'fee';
  /** e.g. "45 min L2 after hours", "42 km × 3.52", "diagnosis (waived)" (English; a UI builds its own from the fields). */
  text: string;
  level?: string;
  afterHours?: boolean;
  minutes?: number;
  /** Integer minor units. */
  amount: number;
  waived?: boolean;
  /** Mileage: the km and the price per km, as exact decimals. */
  km?: string;
  perKm?: string;
  /** Fee: its name. */
  fee?: string;
}

export interface Invoice {
  currency: string;
  lines: InvoiceLine[];
  /** Integer minor units. */
  subtotal: number;
  vat: number;
  total: number;
  /** Billable minutes before free minutes, after the free minutes, and as billed (rounded, minimum). */
  minutes: { billable: number; afterFree: number; billed: number };
  /** Each time entry in the input's order, with its free and after-hours minutes. */
  entries: EntryLine[];
  /** The input's trips (km per visit). */
  trips: Array<{ at: number; km: string }>;
  /** The after-hours surcharge as given ("100"), or null without one. */
  surchargePct: string | null;
}

export class BillingError extends Error {
  /** The problem at `path` (its message without the path), with its key where it has one. */
  readonly issue: KeyedIssue;
  constructor(
    readonly path: string,
    message: string | KeyedIssue,
  ) {
    const i = typeof message === 'string' ? { path, message } : { ...message, path };
    super(`${path}: ${i.message}`);
    this.name = 'BillingError';
    this.issue = i;
  }
}

const MINUTE = 60_000;

/** A decimal in major units ("3.52", 1095, "12.5") as an exact integer scaled by 10^scale. */
export function toScaled(value: number | string, scale: number, path: string): bigint {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new BillingError(path, `must be a decimal number like 3.52, got ${JSON.stringify(value)}`);
  const frac = (m[3] ?? '').padEnd(scale, '0');
  if (frac.length > scale && /[1-9]/.test(frac.slice(scale))) throw new BillingError(path, `has more than ${scale} decimals: ${text}`);
  const n = BigInt((m[2] ?? '0') + frac.slice(0, scale));
  return m[1] ? -n : n;
}

/** num / den rounded half up (num, den >= 0). */
function divHalfUp(num: bigint, den: bigint): bigint {
  return (2n * num + den) / (2n * den);
}

interface Chunk {
  /** Index of its entry in the input. */
  entry: number;
  at: number;
  minutes: number;
  level: string;
  afterHours: boolean;
}

/** Splits entries into per-(level, normal/after-hours) chunks in time order, whole minutes. */
function chunks(entries: readonly TimeEntry[], calendar: CompiledCalendar | null): Chunk[] {
  const out: Chunk[] = [];
  entries.forEach((e, i) => {
    if (!Number.isInteger(e.start) || !Number.isInteger(e.end)) throw new BillingError(`entries[${i}]`, 'start and end must be epoch milliseconds');
    if (e.end < e.start) throw new BillingError(`entries[${i}].end`, 'is before start');
    if (!e.billable) return;
    const pieces = calendar ? calendar.split(e.start, e.end) : [{ from: e.start, to: e.end, open: true }];
    for (const p of pieces) {
      // Minute by minute: a minute belongs to the side its start falls on.
      const first = Math.ceil((p.from - e.start) / MINUTE);
      const last = Math.ceil((p.to - e.start) / MINUTE);
      const minutes = Math.min(last, Math.ceil((e.end - e.start) / MINUTE)) - first;
      if (minutes > 0) out.push({ entry: i, at: e.start + first * MINUTE, minutes, level: e.level, afterHours: !p.open });
    }
  });
  return out.sort((a, b) => a.at - b.at);
}

/**
 * The invoice of one case under a rate card. `calendars` resolves
 * `afterHours.calendar` (compiled with core/sla).
 */
export function priceCase(card: RateCard, input: CaseInput, calendars: ReadonlyMap<string, CompiledCalendar> = new Map()): Invoice {
  const free = card.freeMinutesPerCase ?? 0;
  const minimum = card.minimumMinutesPerCase ?? 0;
  const roundTo = card.roundUpToMinutes ?? 1;
  if (!Number.isInteger(free) || free < 0) throw new BillingError('freeMinutesPerCase', 'must be a whole number of minutes, 0 or more');
  if (!Number.isInteger(minimum) || minimum < 0) throw new BillingError('minimumMinutesPerCase', 'must be a whole number of minutes, 0 or more');
  if (!Number.isInteger(roundTo) || roundTo < 1) throw new BillingError('roundUpToMinutes', 'must be a whole number of minutes, 1 or more');
  let calendar: CompiledCalendar | null = null;
  if (card.afterHours) {
    calendar = calendars.get(card.afterHours.calendar) ?? null;
    if (!calendar) throw new BillingError('afterHours.calendar', issue('', 'calendarNotDefined', { id: card.afterHours.calendar }));
  }
  const discount = toScaled(card.discountPct ?? 0, 4, 'discountPct'); // percent × 10^4
  const surcharge = toScaled(card.afterHours?.surchargePct ?? 0, 4, 'afterHours.surchargePct');
  const vatPct = toScaled(card.vatPct, 4, 'vatPct');
  if (discount < 0n || discount > 100n * 10_000n) throw new BillingError('discountPct', 'must be from 0 to 100');

  // Rules 1-2: minutes by side, free minutes from the earliest billable minutes.
  const all = chunks(input.entries, calendar);
  const billable = all.reduce((a, c) => a + c.minutes, 0);
  let toFree = free;
  const left: Chunk[] = [];
  const entries: EntryLine[] = input.entries.map((e) => ({
    start: e.start,
    end: e.end,
    level: e.level,
    kind: e.kind,
    billable: e.billable,
    minutes: Math.ceil((e.end - e.start) / MINUTE),
    freeMinutes: 0,
    afterHoursMinutes: 0,
  }));
  for (const c of all) {
    const take = Math.min(toFree, c.minutes);
    toFree -= take;
    const line = entries[c.entry] as EntryLine;
    line.freeMinutes += take;
    if (c.afterHours) line.afterHoursMinutes += c.minutes;
    if (c.minutes - take > 0) left.push({ ...c, minutes: c.minutes - take, at: c.at + take * MINUTE });
  }
  const afterFree = left.reduce((a, c) => a + c.minutes, 0);

  // Rule 3: group by (level, side) in order of first minute; round each group up.
  const groups: Array<{ level: string; afterHours: boolean; minutes: number }> = [];
  for (const c of left) {
    let g = groups.find((x) => x.level === c.level && x.afterHours === c.afterHours);
    if (!g) groups.push((g = { level: c.level, afterHours: c.afterHours, minutes: 0 }));
    g.minutes += c.minutes;
  }
  for (const g of groups) g.minutes = Math.ceil(g.minutes / roundTo) * roundTo;
  // Rule 4: a case with billable minutes below the minimum has its earliest group raised.
  const billed = groups.reduce((a, g) => a + g.minutes, 0);
  if (groups.length && billed < minimum) (groups[0] as { minutes: number }).minutes += minimum - billed;

  const lines: InvoiceLine[] = [];
  // Rule 5: minutes / 60 × rate × (1 − discount) × (1 + surcharge).
  for (const g of groups) {
    const rateRaw = Object.hasOwn(card.rates, g.level) ? card.rates[g.level] : undefined; // a level "constructor" is no rate
    if (rateRaw === undefined) throw new BillingError(`rates.${g.level}`, issue('', 'noRateForLevel', { level: g.level }));
    const rate = toScaled(rateRaw, 2, `rates.${g.level}`); // minor units per hour
    const sur = g.afterHours ? surcharge : 0n;
    const num = BigInt(g.minutes) * rate * (1_000_000n - discount) * (1_000_000n + sur);
    const den = 60n * 1_000_000n * 1_000_000n;
    lines.push({
      kind: 'time',
      text: `${g.minutes} min ${g.level}${g.afterHours ? ' after hours' : ''}`,
      level: g.level,
      afterHours: g.afterHours,
      minutes: g.minutes,
      amount: Number(divHalfUp(num, den)),
    });
  }
  // Rule 6: driving and fixed fees.
  if (input.km !== undefined && input.km !== 0 && input.km !== '0') {
    const km = toScaled(input.km, 3, 'km');
    if (km < 0n) throw new BillingError('km', 'must not be negative');
    if (card.mileagePerKm === undefined) throw new BillingError('mileagePerKm', issue('', 'noPricePerKm'));
    const perKm = toScaled(card.mileagePerKm, 2, 'mileagePerKm');
    lines.push({
      kind: 'mileage',
      text: `${String(input.km)} km × ${String(card.mileagePerKm)}`,
      amount: Number(divHalfUp(km * perKm, 1000n)),
      km: String(input.km),
      perKm: String(card.mileagePerKm),
    });
  }
  for (const [i, f] of (input.fees ?? []).entries()) {
    const price = card.fees && Object.hasOwn(card.fees, f.fee) ? card.fees[f.fee] : undefined;
    if (price === undefined) throw new BillingError(`fees[${i}].fee`, issue('', 'noSuchFee', { fee: f.fee }));
    lines.push(
      f.waived ? { kind: 'fee', text: `${f.fee} (waived)`, amount: 0, waived: true, fee: f.fee } : { kind: 'fee', text: f.fee, amount: Number(toScaled(price, 2, `fees.${f.fee}`)), fee: f.fee },
    );
  }
  // Rule 7: VAT on the sum of the lines.
  const subtotal = lines.reduce((a, l) => a + BigInt(l.amount), 0n);
  const vat = divHalfUp(subtotal * vatPct, 100n * 10_000n);
  return {
    currency: card.currency,
    lines,
    subtotal: Number(subtotal),
    vat: Number(vat),
    total: Number(subtotal + vat),
    minutes: { billable, afterFree, billed: groups.reduce((a, g) => a + g.minutes, 0) },
    entries,
    trips: [...(input.trips ?? [])],
    surchargePct: card.afterHours ? String(card.afterHours.surchargePct) : null,
  };
}

/** Minor units as a plain decimal string: 164250 -> "1642.50". */
export function formatMinor(amount: number): string {
  const neg = amount < 0;
  const s = String(Math.abs(amount)).padStart(3, '0');
  return `${neg ? '-' : ''}${s.slice(0, -2)}.${s.slice(-2)}`;
}

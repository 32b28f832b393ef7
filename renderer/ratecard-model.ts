/**
 * The rate card form's model (renderer/views/Billing/RateCardEditor.tsx), without
 * React or the transport so it can be unit-tested: the form's text fields,
 * the model with money in integer minor units, and the rate card format the
 * services take (specs/billing.md), with money as exact decimal strings.
 */
import type { RateCard } from '../core/billing/index.js';

/** Minor units as a decimal string (164250 -> "1642.50"), as Billing's formatMinor. */
export function formatMinor(amount: number): string {
  const s = String(Math.abs(amount)).padStart(3, '0');
  return `${amount < 0 ? '-' : ''}${s.slice(0, -2)}.${s.slice(-2)}`;
}

export type RateCardJson = RateCard;

/** Parses decimal money text into integer minor units (2 decimals), or null when it is not an amount. */
export function parseMoney(text: string): number | null {
  const m = /^\s*(\d{1,12})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
/** Major units of a rate card (number or decimal string) as minor units, for the form's model. */
export function toMinor(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v >= 0 ? parseMoney(String(v)) : null; // "3.52": read as text, never scaled in floating point
  if (typeof v === 'string') return parseMoney(v);
  return null;
}

export interface Row {
  name: string;
  /** The amount as typed. */
  text: string;
}
export interface Form {
  id: string;
  currency: string;
  vatPct: string;
  rates: Row[];
  discountPct: string;
  freeMinutesPerCase: string;
  minimumMinutesPerCase: string;
  roundUpToMinutes: string;
  afterHours: boolean;
  afterHoursCalendar: string;
  surchargePct: string;
  mileagePerKm: string;
  fees: Row[];
}
/** The form's model: money in integer minor units. */
export interface RateCardModel {
  id?: string;
  currency: string;
  vatPct: string;
  rates: Record<string, number>;
  discountPct?: string;
  freeMinutesPerCase?: number;
  minimumMinutesPerCase?: number;
  roundUpToMinutes?: number;
  afterHours?: { calendar: string; surchargePct: string };
  mileagePerKm?: number;
  fees?: Record<string, number>;
}

const money = (v: unknown) => {
  const m = toMinor(v);
  return m === null ? (v === undefined || v === null ? '' : String(v)) : formatMinor(m);
};
const num = (v: unknown) => (v === undefined || v === null ? '' : String(v));

export function formOf(card: RateCardJson | null, calendars: string[]): Form {
  return {
    id: card?.id ?? '',
    currency: card?.currency ?? '',
    vatPct: card ? num(card.vatPct) : '25',
    rates: card ? Object.entries(card.rates).map(([name, v]) => ({ name, text: money(v) })) : [{ name: 'L1', text: '' }],
    discountPct: num(card?.discountPct),
    freeMinutesPerCase: num(card?.freeMinutesPerCase),
    minimumMinutesPerCase: num(card?.minimumMinutesPerCase),
    roundUpToMinutes: num(card?.roundUpToMinutes),
    afterHours: card ? card.afterHours !== undefined : false,
    afterHoursCalendar: card?.afterHours?.calendar ?? calendars[0] ?? '',
    surchargePct: num(card?.afterHours?.surchargePct ?? 100),
    mileagePerKm: card?.mileagePerKm === undefined ? '' : money(card.mileagePerKm),
    fees: Object.entries(card?.fees ?? {}).map(([name, v]) => ({ name, text: money(v) })),
  };
}

export type Errors = Record<string, string>;

/** Form -> model, with the form's own errors (keys are the rate card's paths). */
export function modelOf(f: Form, msg: { notAmount: string; wholeMinutes: string; nameMissing: string; nameTwice: string }): { model: RateCardModel | null; errors: Errors } {
  const errors: Errors = {};
  const minutes = (key: keyof Form & string, text: string): number | undefined => {
    if (!text.trim()) return undefined;
    if (!/^\s*\d{1,6}\s*$/.test(text)) {
      errors[key] = msg.wholeMinutes;
      return undefined;
    }
    return Number(text);
  };
  const rows = (kind: 'rates' | 'fees', list: Row[]) => {
    const out: Record<string, number> = {};
    const seen = new Set<string>();
    list.forEach((r, i) => {
      const name = r.name.trim();
      if (!name) errors[`${kind}[${i}]`] = msg.nameMissing;
      else if (seen.has(name)) errors[`${kind}[${i}]`] = msg.nameTwice;
      seen.add(name);
      const m = parseMoney(r.text);
      if (m === null) errors[`${kind}.${name || `[${i}]`}`] = msg.notAmount;
      else if (name) out[name] = m;
    });
    return out;
  };
  const model: RateCardModel = { currency: f.currency.trim(), vatPct: f.vatPct.trim(), rates: rows('rates', f.rates) };
  if (f.id.trim()) model.id = f.id.trim();
  if (f.discountPct.trim()) model.discountPct = f.discountPct.trim();
  const free = minutes('freeMinutesPerCase', f.freeMinutesPerCase);
  if (free !== undefined) model.freeMinutesPerCase = free;
  const min = minutes('minimumMinutesPerCase', f.minimumMinutesPerCase);
  if (min !== undefined) model.minimumMinutesPerCase = min;
  const round = minutes('roundUpToMinutes', f.roundUpToMinutes);
  if (round !== undefined) model.roundUpToMinutes = round;
  if (f.afterHours) model.afterHours = { calendar: f.afterHoursCalendar, surchargePct: f.surchargePct.trim() };
  if (f.mileagePerKm.trim()) {
    const m = parseMoney(f.mileagePerKm);
    if (m === null) errors.mileagePerKm = msg.notAmount;
    else model.mileagePerKm = m;
  }
  if (f.fees.length) model.fees = rows('fees', f.fees);
  return { model: Object.keys(errors).length ? null : model, errors };
}

/** Model -> the rate card format: minor units as exact decimal strings. */
export function rateCardOf(m: RateCardModel): RateCardJson {
  const dec = (minor: number) => formatMinor(minor);
  const card: RateCardJson = { currency: m.currency, vatPct: m.vatPct, rates: Object.fromEntries(Object.entries(m.rates).map(([k, v]) => [k, dec(v)])) };
  if (m.id) card.id = m.id;
  if (m.discountPct !== undefined) card.discountPct = m.discountPct;
  if (m.freeMinutesPerCase !== undefined) card.freeMinutesPerCase = m.freeMinutesPerCase;
  if (m.minimumMinutesPerCase !== undefined) card.minimumMinutesPerCase = m.minimumMinutesPerCase;
  if (m.roundUpToMinutes !== undefined) card.roundUpToMinutes = m.roundUpToMinutes;
  if (m.afterHours) card.afterHours = m.afterHours;
  if (m.mileagePerKm !== undefined) card.mileagePerKm = dec(m.mileagePerKm);
  if (m.fees) card.fees = Object.fromEntries(Object.entries(m.fees).map(([k, v]) => [k, dec(v)]));
  return card;
}

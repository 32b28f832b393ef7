/**
 * Warranty of an asset (issue 20 item 4, docs/warranty.md). Pure: the
 * contract's `warranty` section (terms per product line), whether an asset is
 * under warranty on a date, and the diagnosis fee outside it.
 *
 * Atea: "Mac and iPad bought after 01.01.15 carry 3 and 2 years of warranty";
 * "outside the warranty a diagnosis fee of NOK 450 applies, waived when the
 * repair quote is accepted".
 *
 * Dates are calendar dates ("2026-12-03", the customer's day); a warranty of N
 * years from a purchase on D runs up to and including the day before D's N-th
 * anniversary (`warrantyEnd`; bought 29 February, it runs to 28 February).
 */
import { DateTime } from 'luxon';
import type { ValidationIssue } from '../sla/errors.js';
import { describe, isPlainObject } from '../sla/errors.js';
import { instantInRange, OUT_OF_RANGE } from '../time-range.js';
import type { CaseInput } from '../billing/index.js';

export interface WarrantyTerm {
  /** Product lines it covers: a word of the asset's product starting with one of these ("Mac" covers "MacBook Pro 14"). */
  products: string[];
  years: number;
  /** Only assets bought on or after this date ("bought after 01.01.15" read as from 1 January 2015). */
  purchasedFrom?: string;
  purchasedTo?: string;
  name?: string;
}
export interface WarrantySection {
  terms: WarrantyTerm[];
  /** The rate card's fee for a diagnosis outside the warranty ("diagnosis": 450). */
  diagnosisFee?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Why `v` is not a date Vakt accepts, or null. */
export function dateProblem(v: unknown): string | null {
  if (typeof v !== 'string' || !DATE.test(v)) return `must be a date like 2015-01-01, got ${describe(v)}`;
  const d = DateTime.fromISO(v, { zone: 'UTC' });
  if (!d.isValid) return `is not a date in the calendar: ${v}`;
  if (!instantInRange(d.toMillis())) return `${OUT_OF_RANGE}, got ${v}`;
  return null;
}

/** Every problem of a contract's `warranty` section, paths from `warranty`; [] when valid. */
export function checkWarranty(json: unknown): ValidationIssue[] {
  if (!isPlainObject(json)) return [{ path: 'warranty', message: `must be an object { terms, diagnosisFee? }, got ${describe(json)}` }];
  const issues: ValidationIssue[] = [];
  for (const k of Object.keys(json)) if (k !== 'terms' && k !== 'diagnosisFee') issues.push({ path: `warranty.${k}`, message: 'unknown field (allowed: terms, diagnosisFee)' });
  if (json.diagnosisFee !== undefined && (typeof json.diagnosisFee !== 'string' || !json.diagnosisFee.trim()))
    issues.push({ path: 'warranty.diagnosisFee', message: `must name a fee of the rate card, got ${describe(json.diagnosisFee)}` });
  if (!Array.isArray(json.terms)) return [...issues, { path: 'warranty.terms', message: `must be a list of warranty terms, got ${describe(json.terms)}` }];
  json.terms.forEach((t: unknown, i) => {
    const at = `warranty.terms[${i}]`;
    if (!isPlainObject(t)) return void issues.push({ path: at, message: `must be an object { products, years, purchasedFrom? }, got ${describe(t)}` });
    for (const k of Object.keys(t))
      if (!['products', 'years', 'purchasedFrom', 'purchasedTo', 'name'].includes(k))
        issues.push({ path: `${at}.${k}`, message: 'unknown field (allowed: products, years, purchasedFrom, purchasedTo, name)' });
    if (!Array.isArray(t.products) || !t.products.length || t.products.some((p) => typeof p !== 'string' || !p.trim() || p.length > 100))
      issues.push({ path: `${at}.products`, message: `must be a list of product names ("Mac", "iPad"), got ${describe(t.products)}` });
    if (typeof t.years !== 'number' || !Number.isInteger(t.years) || t.years < 1 || t.years > 50)
      issues.push({ path: `${at}.years`, message: `must be a whole number of years, 1 to 50, got ${describe(t.years)}` });
    for (const k of ['purchasedFrom', 'purchasedTo'] as const) {
      const bad = t[k] === undefined ? null : dateProblem(t[k]);
      if (bad) issues.push({ path: `${at}.${k}`, message: bad });
    }
    if (typeof t.purchasedFrom === 'string' && typeof t.purchasedTo === 'string' && t.purchasedTo < t.purchasedFrom) issues.push({ path: `${at}.purchasedTo`, message: 'is before purchasedFrom' });
    if (t.name !== undefined && typeof t.name !== 'string') issues.push({ path: `${at}.name`, message: 'must be a string' });
  });
  return issues;
}

/** Whether a term covers a product: one of its words starts with one of the term's product names (case aside). */
export function coversProduct(term: Pick<WarrantyTerm, 'products'>, product: string): boolean {
  const words = product
    .toLowerCase()
    .split(/[\s,/()-]+/)
    .filter(Boolean);
  return term.products.some((p) => {
    const name = p.trim().toLowerCase();
    return words.some((w) => w.startsWith(name)) || product.toLowerCase().startsWith(name);
  });
}

/**
 * The last day of a warranty of `years` from `purchased`: the day before the
 * anniversary. A purchase on 29 February has its anniversary on 1 March in a
 * common year, so it runs to 28 February.
 */
export function warrantyEnd(purchased: string, years: number): string {
  const d = DateTime.fromISO(purchased, { zone: 'UTC' });
  let anniversary = d.plus({ years });
  if (d.month === 2 && d.day === 29 && anniversary.day === 28) anniversary = anniversary.plus({ days: 1 });
  return anniversary.minus({ days: 1 }).toISODate() as string;
}

export interface WarrantyAsset {
  product: string | null;
  purchaseDate: string | null;
  /** The asset's own end of warranty (an extension, a different deal): it wins over the contract's terms. */
  warrantyUntil?: string | null;
}
export type WarrantyState = 'under_warranty' | 'expired' | 'not_covered' | 'unknown';
export interface WarrantyStatus {
  state: WarrantyState;
  /** The last day of the warranty, when known. */
  until: string | null;
  /** The term that decided it (its index in `terms`), or null (the asset's own date, or none). */
  term: number | null;
  /** Why, in English (the UI says it from the fields). */
  reason: string;
}

/**
 * The asset's warranty on `today` (a date in the customer's zone):
 * - its own `warrantyUntil`, when set;
 * - else the first term covering its product whose purchase range holds its purchase date;
 * - `unknown` without a purchase date (or product), `not_covered` when no term covers it.
 */
export function warrantyStatus(asset: WarrantyAsset, section: WarrantySection | null, today: string): WarrantyStatus {
  if (asset.warrantyUntil) {
    const under = today <= asset.warrantyUntil;
    return { state: under ? 'under_warranty' : 'expired', until: asset.warrantyUntil, term: null, reason: `the asset's own warranty ${under ? 'runs' : 'ran'} to ${asset.warrantyUntil}` };
  }
  if (!asset.purchaseDate) return { state: 'unknown', until: null, term: null, reason: 'the purchase date is not known' };
  if (!asset.product) return { state: 'unknown', until: null, term: null, reason: 'the product is not known' };
  const terms = section?.terms ?? [];
  const d = asset.purchaseDate;
  const i = terms.findIndex((t) => coversProduct(t, asset.product as string) && (!t.purchasedFrom || d >= t.purchasedFrom) && (!t.purchasedTo || d <= t.purchasedTo));
  if (i < 0) {
    const other = terms.some((t) => coversProduct(t, asset.product as string));
    return { state: 'not_covered', until: null, term: null, reason: other ? `bought ${d}, outside the dates of the warranty terms for ${asset.product}` : `no warranty term covers ${asset.product}` };
  }
  const term = terms[i] as WarrantyTerm;
  const until = warrantyEnd(d, term.years);
  const under = today >= d && today <= until;
  return { state: under ? 'under_warranty' : 'expired', until, term: i, reason: `${term.years} years from ${d}: ${under ? 'to' : 'ended'} ${until}` };
}

/**
 * The case's fees with the diagnosis fee proposed: outside the warranty
 * (expired or not covered) the contract's `diagnosisFee` is added, waived once
 * the repair quote is accepted. A fee the technician already listed on a visit
 * keeps its place; only an accepted quote waives it. Under warranty, or with
 * an unknown warranty, nothing is proposed.
 */
export function withDiagnosisFee(input: CaseInput, status: WarrantyStatus, section: WarrantySection | null, quoteAccepted: boolean): CaseInput {
  const fee = section?.diagnosisFee;
  if (!fee || (status.state !== 'expired' && status.state !== 'not_covered')) return input;
  const fees = [...(input.fees ?? [])];
  const i = fees.findIndex((f) => f.fee === fee);
  if (i < 0) fees.push(quoteAccepted ? { fee, waived: true } : { fee });
  else if (quoteAccepted) fees[i] = { fee, waived: true };
  return { ...input, fees };
}

/**
 * Every size limit on what a device stores for everyone, defined once (docs/sync.md "Limits"). The
 * sync schemas (core/sync/mutations.ts) the server checks pushes with, and the app's own request
 * schemas (core/api/*), use these; oversize is refused `too_large` naming the field and the limit.
 */
import type { z } from 'zod';
import { SIGNATURE_MAX_CHARS } from '../api/field.js';

export const LIMITS = {
  /** A short text: a title, reference, reporter's name or phone, author, a record's short fields. */
  shortText: 500,
  /** A long text: a description, the text of a note, update or answer, an edited field's value. */
  longText: 20_000,
  /** A name: of a customer, site, contact, person or device, an assignee. */
  name: 200,
  /** A customer's reference: a ticket's `customerRef` and the intake's `customer_ref` it is taken from (`customerRefFits`). */
  customerRef: 100,
  /** An SLA policy, calendar or priority name (a key of a contract's calendars and policies too). */
  policyName: 100,
  /** A customer's notes. */
  notes: 4_000,
  /** An intake value, and a checklist answer. */
  intakeValue: 2_000,
  /** Intake fields of a ticket. */
  intakeFields: 50,
  /** An event's `data` as JSON: room for an acceptance signature (a PNG data URL) and its fields. */
  eventDataChars: SIGNATURE_MAX_CHARS + 50_000,
  /** A reference record's `data` as JSON (a contract with calendars, policies, rate card, checklist, wording). */
  recordDataChars: 256_000,
  /** Mutations in one push. */
  pushMutations: 500,
  /** Changes in one pull page. */
  pullChanges: 10_000,
  /** Bytes of the changes in one pull page (a single larger change still goes, alone). */
  pullPageBytes: 4 * 1024 * 1024,
} as const;

/** The string values anywhere in `v` (with their paths), for a per-field bound on free-form data. */
export function* stringsIn(v: unknown, path: (string | number)[] = []): Generator<[(string | number)[], string]> {
  if (typeof v === 'string') yield [path, v];
  else if (Array.isArray(v)) for (let i = 0; i < v.length; i++) yield* stringsIn(v[i], [...path, i]);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) yield* stringsIn(x, [...path, k]);
}

interface IssueLike {
  code: string;
  origin?: unknown;
  maximum?: unknown;
  message: string;
  path: PropertyKey[];
  issues?: IssueLike[];
}

/**
 * Whether a zod issue is a size limit (a string, list or key too long; not a number out of range),
 * and its words: record keys report "Invalid key in record", which says nothing.
 */
export function sizeIssue(i: IssueLike): { maximum: number; message: string } | null {
  if (i.code === 'too_big' && ['string', 'array', 'set', 'file', 'record'].includes(String(i.origin))) {
    return { maximum: Number(i.maximum), message: i.message };
  }
  if (i.code === 'invalid_key') {
    const inner = i.issues?.map(sizeIssue).find((x) => x);
    const key = String(i.path[i.path.length - 1] ?? '');
    if (inner) return { maximum: inner.maximum, message: `the key "${key.slice(0, 40)}${key.length > 40 ? '…' : ''}" is ${key.length} characters; at most ${inner.maximum}` };
  }
  return null;
}

/** A customer's reference (trimmed) at most LIMITS.customerRef characters, else a `too_big` issue at `path`. */
export function checkCustomerRef(ref: string | null | undefined, ctx: z.RefinementCtx, path: PropertyKey[]): void {
  const t = ref?.trim();
  if (t && t.length > LIMITS.customerRef)
    ctx.addIssue({ code: 'too_big', origin: 'string', maximum: LIMITS.customerRef, inclusive: true, input: t, path, message: `at most ${LIMITS.customerRef} characters` });
}

/**
 * An intake's `customer_ref` becomes the ticket's customer reference, so it has that limit wherever
 * intake values enter (a zod `superRefine` of the values).
 */
export function customerRefFits(values: Record<string, string | null | undefined>, ctx: z.RefinementCtx): void {
  checkCustomerRef(values.customer_ref, ctx, ['customer_ref']);
}

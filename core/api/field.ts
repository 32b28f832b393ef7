/**
 * Contract methods for the field technician (issue 8 §1): "my visits" and the
 * visit log on a ticket — steps with times (a corrected time is a new event
 * with a mandatory reason), km, parts, the inspection checklist and the
 * customer's acceptance with a drawn signature. Everything is stored as
 * ticket events (local writes; sync carries them as ticket.event@1).
 */
import { z } from 'zod';
import { id, instant, optText, text } from './fields.js';
import type { VisitFacts } from '../agreements/maintenance.js';

/** The steps of a visit, in order. */
export const FIELD_STEPS = ['travel', 'arrive', 'work', 'depart'] as const;
export type FieldStep = (typeof FIELD_STEPS)[number];

/** A signature is a PNG data URL of at most this many characters (~110 kB of PNG). */
export const SIGNATURE_MAX_CHARS = 150_000;
export const SIGNATURE_PATTERN = /^data:image\/png;base64,[A-Za-z0-9+/]+={0,2}$/;

/** Photos of a visit (issue 8 §1 "Photos attached"): the image types accepted and the size limit (decoded bytes). */
export const PHOTO_MIMES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoMime = (typeof PHOTO_MIMES)[number];
export const PHOTO_MAX_BYTES = 8 * 1024 * 1024;
export const SHA256_PATTERN = /^[0-9a-f]{64}$/;
/** Strict base64 (no data: prefix, no whitespace, padded). No regex loop: photos are megabytes long. */
export function isBase64(s: string): boolean {
  return s.length % 4 === 0 && !/[^A-Za-z0-9+/=]/.test(s) && /^[^=]*={0,2}$/.test(s.slice(-4));
}

export const CHECKLIST_KINDS = ['text', 'number', 'yesno'] as const;
export interface ChecklistItemDef {
  key: string;
  label: string;
  kind: (typeof CHECKLIST_KINDS)[number];
}
/** The inspection checklist used when the contract defines none (labels are translated by key in the UI). */
export const DEFAULT_CHECKLIST: readonly ChecklistItemDef[] = [
  { key: 'temperature', label: 'Temperature (°C)', kind: 'number' },
  { key: 'dust', label: 'Dust', kind: 'text' },
  { key: 'devicesAdded', label: 'Devices added', kind: 'text' },
  { key: 'devicesRemoved', label: 'Devices removed', kind: 'text' },
  { key: 'notes', label: 'Notes', kind: 'text' },
];

export interface FieldVisitView {
  ticketId: string;
  caseNumber: string;
  customerName: string;
  status: string;
  title: string | null;
  description: string | null;
  siteName: string | null;
  siteAddress: string | null;
  nextDueAt: number | null;
  /** A planned visit (docs/maintenance.md): its kind, due date and window; null for a call. */
  visit?: VisitFacts | null;
}

const eventResult = z.custom<{ ticketId: string; eventId: string }>();

export const checklistItemDef = z
  .object({ key: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'letters, digits, _ and - only'), label: text(200), kind: z.enum(CHECKLIST_KINDS).default('text') })
  .strict();

export const fieldMethods = {
  /** Open tickets assigned to `assignee`, most urgent first, with customer and site. */
  'field.myVisits': {
    request: z.object({ assignee: text(200) }).strict(),
    result: z.custom<{ items: FieldVisitView[] }>(),
  },
  /**
   * Records a visit step at `at` (default now). Correcting a step's time is a
   * new event naming the corrected one in `replaces`, with a mandatory `reason`.
   */
  'field.step': {
    request: z
      .object({
        ticketId: id,
        step: z.enum(FIELD_STEPS),
        at: instant.nullish(),
        km: z.number().min(0, 'must not be negative').max(100_000).nullish(),
        replaces: id.nullish(),
        reason: optText(2000),
        technician: optText(200),
        author: optText(200),
      })
      .strict(),
    result: eventResult,
  },
  'field.parts': {
    request: z
      .object({
        ticketId: id,
        parts: z
          .array(z.object({ product: text(200), serialIn: optText(100), serialOut: optText(100) }).strict())
          .min(1, 'at least one part')
          .max(50),
        author: optText(200),
      })
      .strict(),
    result: eventResult,
  },
  /** The checklist items for the ticket: the contract's if it has one, else DEFAULT_CHECKLIST. */
  'field.checklistFor': {
    request: z.object({ ticketId: id }).strict(),
    result: z.custom<{ items: ChecklistItemDef[]; fromContract: boolean }>(),
  },
  /** Sets (or, with null, removes) a contract's checklist on this device. */
  'field.setChecklist': {
    request: z.object({ contractId: id, items: z.array(checklistItemDef).min(1, 'at least one item').max(100).nullable() }).strict(),
    result: z.object({ ok: z.literal(true) }),
  },
  'field.checklist': {
    request: z
      .object({
        ticketId: id,
        values: z.record(z.string(), z.union([z.string().max(2000), z.boolean(), z.number()]).nullable()),
        author: optText(200),
      })
      .strict(),
    result: eventResult,
  },
  'field.acceptance': {
    request: z
      .object({
        ticketId: id,
        name: text(200),
        signature: z.string().max(SIGNATURE_MAX_CHARS, `at most ${SIGNATURE_MAX_CHARS} characters`).regex(SIGNATURE_PATTERN, 'must be a PNG data URL (data:image/png;base64,…)'),
        author: optText(200),
      })
      .strict(),
    result: eventResult,
  },
  /**
   * Attaches a photo: the bytes are stored content-addressed on this device
   * (<dataDir>/attachments/<sha256>) and a `photo` event names them.
   */
  'field.photo': {
    request: z
      .object({
        ticketId: id,
        name: text(200),
        mime: z.enum(PHOTO_MIMES, { message: `must be one of ${PHOTO_MIMES.join(', ')}` }),
        // Checked in the handler (size after decoding, base64 alphabet) so the error names `dataBase64`.
        dataBase64: z
          .string()
          .min(1, 'is required')
          .max(Math.ceil(PHOTO_MAX_BYTES / 3) * 4 + 16, `at most ${PHOTO_MAX_BYTES / 1024 / 1024} MB`),
        author: optText(200),
      })
      .strict(),
    result: z.custom<{ ticketId: string; eventId: string; sha256: string; size: number }>(),
  },
  /**
   * The bytes of a stored photo, as base64. A photo taken on another device
   * whose bytes sync has not brought here yet answers `dataBase64: null` with
   * `downloading: true` and a `message` saying why (docs/sync.md "Attachments").
   */
  'field.photoData': {
    request: z.object({ sha256: z.string().regex(SHA256_PATTERN, 'must be 64 lowercase hex digits') }).strict(),
    result: z.custom<{ sha256: string; mime: string; dataBase64: string } | { sha256: string; mime: string; dataBase64: null; downloading: true; message: string }>(),
  },
} as const;

/**
 * The zod field helpers, once: ids, texts and instants as they enter core's
 * contracts (IPC/HTTP requests, sync mutations) and db/'s inputs.
 */
import { z } from 'zod';
import { END_OF_RANGE_MS, EARLIEST_INSTANT_MS, OUT_OF_RANGE } from '../time-range.js';
import { isPhoneNumber, NOT_A_PHONE } from './phone.js';

/** Epoch milliseconds of an instant in the one supported range (core/time-range.ts). */
export const instant = z
  .number()
  .int('must be epoch milliseconds (an integer)')
  .min(EARLIEST_INSTANT_MS, OUT_OF_RANGE)
  .max(END_OF_RANGE_MS - 1, OUT_OF_RANGE);

/** A record's id: present, at most 100 characters. */
export const id = z.string().min(1, 'is required').max(100);

/** A required text: trimmed, not empty, at most `max` characters. */
export const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);

/** An optional text: trimmed, at most `max` characters; empty, null or absent is null. */
export const optText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `at most ${max} characters`)
    .nullish()
    .transform((s) => (s ? s : null));

/** As optText, but absent stays absent: a patch (absent keeps what is stored) or a stored payload. */
export const patchText = (max: number) => optText(max).optional();

/** A contract's agreement number as the customer writes it (e.g. SA0009858). */
export const agreementNumber = text(40).regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'letters, digits and . _ / - only (e.g. SA0009858)');

/** An optional e-mail address (as optText: empty, null or absent is null). */
export const optEmail = (max: number) => optText(max).refine((e) => e == null || /^[^\s@]+@[^\s@]+$/.test(e), 'is not an e-mail address');

/** An optional phone number (as optText): in international form anywhere, else a national one (the handler checks it again in the contract's country). */
export const optPhone = optText(40).refine((p) => p == null || isPhoneNumber(p), { message: 'is not a phone number', params: { key: NOT_A_PHONE } });

/** A contract's authorised contact, the one rule wherever one enters: the contact form, a contract file, the store. */
export const contactFields = { name: text(200), phone: optPhone, email: optEmail(200), role: optText(100) };

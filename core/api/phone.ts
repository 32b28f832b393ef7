/**
 * A phone number field (issue 15 item 9): only a phone number is accepted,
 * checked with libphonenumber-js, national numbers in the contract's country
 * (its calendars' holiday country) as the default region.
 */
import { isValidPhoneNumber } from 'libphonenumber-js';
import type { CountryCode } from 'libphonenumber-js';

/** The key of the issue a bad phone number gets (translated by the renderer). */
export const NOT_A_PHONE = 'notPhone';

/**
 * Whether `text` is a phone number: in international form (+45 …) anywhere;
 * in national form when `country` (ISO 3166 alpha-2) is given and it is valid
 * there. Without a country a national number is accepted when it is made of
 * phone characters and 4 to 15 digits (the handler checks it again with the
 * contract's country).
 */
export function isPhoneNumber(text: string, country?: string | null): boolean {
  const s = text.trim();
  if (!/^\+?[\d\s().\/-]+$/.test(s)) return false;
  const digits = s.replace(/\D/g, '').length;
  if (digits < 4 || digits > 15) return false;
  if (s.startsWith('+') || s.startsWith('00')) return isValidPhoneNumber(s.startsWith('00') ? `+${s.slice(2)}` : s);
  if (!country) return true;
  try {
    return isValidPhoneNumber(s, country.toUpperCase() as CountryCode);
  } catch {
    return true; // a country libphonenumber does not know: the shape was checked
  }
}

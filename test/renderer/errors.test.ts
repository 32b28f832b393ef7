/** The services' errors in the user's language (issue 15 item 7). */
import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorText } from '../../renderer/errors.js';
import { da } from '../../renderer/i18n/da.js';
import { en } from '../../renderer/i18n/en.js';
import { nb } from '../../renderer/i18n/nb.js';

beforeAll(async () => {
  await i18next.init({ resources: { en: { translation: en }, da: { translation: da }, nb: { translation: nb } }, lng: 'en', fallbackLng: 'en', interpolation: { escapeValue: false } });
});
const as = async (lng: string) => {
  await i18next.changeLanguage(lng);
  return (e: { code: string; message: string; path?: string }) => errorText(e, i18next.t);
};

describe('errorText', () => {
  it('drops the method, names the field and translates a known message', async () => {
    const e = { code: 'invalid_request', message: 'desk.createCustomer: name: must not be empty', path: 'name' };
    expect((await as('en'))(e)).toBe('Name: must not be empty');
    expect((await as('da'))(e)).toBe('Navn: må ikke være tomt');
    expect((await as('nb'))({ code: 'invalid_request', message: 'desk.register: reporterPhone: at most 40 characters', path: 'reporterPhone' })).toBe('Melderens telefon: høyst 40 tegn');
  });
  it("translates zod's own messages and names a nested field by its last part", async () => {
    const t = await as('da');
    expect(t({ code: 'invalid_request', message: 'desk.addContact: contacts[1].phone: Invalid input: expected string, received undefined', path: 'contacts[1].phone' })).toBe('Telefon: skal udfyldes');
    expect(t({ code: 'invalid_request', message: 'field.step: km: Invalid input: expected number, received string', path: 'km' })).toBe('Kørte km: skal være et tal');
  });
  it('keeps a message it does not know, and a path it has no name for', async () => {
    const t = await as('da');
    expect(t({ code: 'invalid_request', message: 'intake.site_address: is required by contract SA0009858', path: 'intake.site_address' })).toBe(
      'intake.site_address: is required by contract SA0009858',
    );
    expect(t({ code: 'conflict', message: 'the contract was changed meanwhile' })).toBe('the contract was changed meanwhile');
    expect(t({ code: 'internal', message: 'desk.act failed: disk full' })).toBe('Appens tjenester fejlede: desk.act failed: disk full');
  });
});

describe("a handler's message (no method or path in it)", () => {
  it('gets the field name only where it is known, never a raw path the message did not name', async () => {
    const t = await as('en');
    expect(t({ code: 'invalid_request', message: 'is before the case was created', path: 'arrivedAt' })).toBe('is before the case was created');
    expect(t({ code: 'invalid_request', message: 'must not be empty', path: 'name' })).toBe('Name: must not be empty');
  });
});

/**
 * The Electron window shown while the store is migrated at the first start after an upgrade speaks the
 * OS's language among the app's (main/hosts/electron/updating.ts); plain Node, no Electron.
 */
import { expect, it } from 'vitest';
import { POPUP_LANGUAGES } from '../../main/alerts/popup-words.js';
import { languageOfLocale, updatingPage, updatingText } from '../../main/hosts/electron/updating.js';

const u = { from: 20, to: 23 };

it('has its words in every language the app speaks, with both schema versions filled in', () => {
  const seen = new Set<string>();
  for (const lang of POPUP_LANGUAGES) {
    const t = updatingText(u, lang);
    expect(t.title, lang).not.toBe('');
    expect(t.body, lang).toContain('20');
    expect(t.body, lang).toContain('23');
    expect(t.body, lang).not.toMatch(/[{}]/);
    seen.add(t.body);
  }
  expect(seen.size).toBe(POPUP_LANGUAGES.length);
});

it("takes the OS locale's language, Norwegian's variants as Bokmål, English for others", () => {
  expect(languageOfLocale('da')).toBe('da');
  expect(languageOfLocale('da-DK')).toBe('da');
  expect(languageOfLocale('nb-NO')).toBe('nb');
  expect(languageOfLocale('no')).toBe('nb');
  expect(languageOfLocale('nn_NO')).toBe('nb');
  expect(languageOfLocale('nl-BE')).toBe('nl');
  expect(languageOfLocale('en-US')).toBe('en');
  expect(languageOfLocale('de-DE')).toBe('en');
  expect(languageOfLocale('')).toBe('en');
});

it('the page says it in that language, marked so, text only', () => {
  const page = decodeURIComponent(updatingPage(u, 'da'));
  expect(page).toContain('<html lang="da">');
  expect(page).toContain('<h1>Vakt starter</h1>');
  expect(page).toContain('Opdaterer dine data til denne version (skema 20 til 23)');
  expect(page).not.toMatch(/<script/i);
});

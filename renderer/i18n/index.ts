import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.js';
import { da } from './da.js';
import { nb } from './nb.js';
import { nl } from './nl.js';

export const languages = { en: 'English', da: 'Dansk', nb: 'Norsk bokmål', nl: 'Nederlands' } as const;
export type Language = keyof typeof languages;

function initialLanguage(): Language {
  const stored = localStorage.getItem('vakt.lang');
  if (stored && stored in languages) return stored as Language;
  for (const lang of navigator.languages ?? [navigator.language]) {
    const base = lang.toLowerCase().split('-')[0];
    if (base === 'no' || base === 'nn') return 'nb';
    if (base && base in languages) return base as Language;
  }
  return 'en';
}

void i18next.use(initReactI18next).init({
  resources: { en: { translation: en }, da: { translation: da }, nb: { translation: nb }, nl: { translation: nl } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
});

export function setLanguage(lang: Language): void {
  localStorage.setItem('vakt.lang', lang);
  void i18next.changeLanguage(lang);
  document.documentElement.lang = lang;
}

export default i18next;

/**
 * While the store is migrated before it opens (the first start after an upgrade; its backup is copied
 * behind the start, db/owed-backup.ts), Electron has no main window yet: a small window says the app is
 * starting and updating its data, and closes when the main window is shown. The page is text only: no
 * script, no preload, nothing to navigate to. It speaks the OS's language (the person's own choice is in
 * the store, not open yet) among those the app speaks. `updatingPage` is plain Node (tested);
 * `showUpdating` the thin adapter.
 */
import type { BrowserWindow as BrowserWindowType } from 'electron';
import type { Upgrading } from '../../../db/store.js';
import { POPUP_LANGUAGES } from '../../alerts/popup-words.js';
import type { PopupLanguage } from '../../alerts/popup-words.js';
import { hardenWebContents, secureWebPreferences } from './window.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** "{from}" and "{to}": the schema versions. */
const WORDS: Record<PopupLanguage, { title: string; body: string }> = {
  en: {
    title: 'Vakt is starting',
    body: 'Updating your data to this version (schema {from} to {to}); a copy of it as it was goes to the backups folder while the app runs. The app opens by itself.',
  },
  da: {
    title: 'Vakt starter',
    body: 'Opdaterer dine data til denne version (skema {from} til {to}); en kopi af dem, som de var, gemmes i mappen backups, mens appen kører. Appen åbner af sig selv.',
  },
  nb: {
    title: 'Vakt starter',
    body: 'Oppdaterer dataene dine til denne versjonen (skjema {from} til {to}); en kopi av dem slik de var, lagres i mappen backups mens appen kjører. Appen åpner av seg selv.',
  },
  nl: {
    title: 'Vakt wordt gestart',
    body: 'Je gegevens worden bijgewerkt naar deze versie (schema {from} naar {to}); een kopie zoals ze waren gaat naar de map backups terwijl de app draait. De app opent vanzelf.',
  },
};

/** The app's language for an OS locale (Electron's `app.getLocale()`: "da", "nb-NO", "nl-BE", ...); English for others. */
export function languageOfLocale(locale: string): PopupLanguage {
  const base = locale.toLowerCase().split(/[-_]/)[0] ?? '';
  const lang = base === 'no' || base === 'nn' ? 'nb' : base;
  return (POPUP_LANGUAGES as readonly string[]).includes(lang) ? (lang as PopupLanguage) : 'en';
}

/** What the window says. */
export function updatingText(u: Upgrading, lang: PopupLanguage = 'en'): { title: string; body: string } {
  const w = WORDS[lang];
  return { title: w.title, body: w.body.replace('{from}', String(u.from)).replace('{to}', String(u.to)) };
}

/** The window's page, as a data: URL with its own CSP (no script). */
export function updatingPage(u: Upgrading, lang: PopupLanguage = 'en'): string {
  const t = updatingText(u, lang);
  const html = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>${escape(t.title)}</title><style>body{font:15px system-ui,sans-serif;background:#111418;color:#e8eaed;margin:24px}h1{font-size:18px}</style></head><body><h1>${escape(t.title)}</h1><p>${escape(t.body)}</p></body></html>`;
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
}

/** Shows the window (no preload, sandboxed, every navigation blocked); the caller closes it. */
export function showUpdating(BrowserWindow: typeof BrowserWindowType, u: Upgrading, trustedUrlPrefix: string, locale: string): BrowserWindowType {
  const lang = languageOfLocale(locale);
  const { preload: _preload, ...prefs } = secureWebPreferences('');
  const win = new BrowserWindow({ width: 460, height: 200, resizable: false, title: updatingText(u, lang).title, backgroundColor: '#111418', webPreferences: prefs });
  hardenWebContents(win.webContents, trustedUrlPrefix);
  void win.loadURL(updatingPage(u, lang));
  return win;
}

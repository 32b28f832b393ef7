/**
 * While the store is backed up and migrated before it opens (the first start after an upgrade: seconds on
 * a big store, issue 19), Electron has no main window yet: a small window says the app is starting and
 * updating its data, and closes when the main window is shown. The page is text only: no script, no
 * preload, nothing to navigate to. `updatingPage` is plain Node (tested); `showUpdating` the thin adapter.
 */
import type { BrowserWindow as BrowserWindowType } from 'electron';
import type { Upgrading } from '../../../db/store.js';
import { hardenWebContents, secureWebPreferences } from './window.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** What the window says. */
export function updatingText(u: Upgrading): { title: string; body: string } {
  return {
    title: 'Vakt is starting',
    body: `Updating your data to this version (schema ${u.from} to ${u.to}); a copy of it as it was goes to the backups folder while the app runs. The app opens by itself.`,
  };
}

/** The window's page, as a data: URL with its own CSP (no script). */
export function updatingPage(u: Upgrading): string {
  const t = updatingText(u);
  const html = `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>${escape(t.title)}</title><style>body{font:15px system-ui,sans-serif;background:#111418;color:#e8eaed;margin:24px}h1{font-size:18px}</style></head><body><h1>${escape(t.title)}</h1><p>${escape(t.body)}</p></body></html>`;
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
}

/** Shows the window (no preload, sandboxed, every navigation blocked); the caller closes it. */
export function showUpdating(BrowserWindow: typeof BrowserWindowType, u: Upgrading, trustedUrlPrefix: string): BrowserWindowType {
  const { preload: _preload, ...prefs } = secureWebPreferences('');
  const win = new BrowserWindow({ width: 460, height: 200, resizable: false, title: updatingText(u).title, backgroundColor: '#111418', webPreferences: prefs });
  hardenWebContents(win.webContents, trustedUrlPrefix);
  void win.loadURL(updatingPage(u));
  return win;
}

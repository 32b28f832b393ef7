/**
 * The report PDF in the desktop app: the same print page as the browser
 * shell, loaded in a hidden window of the app (same preload, same validated
 * IPC), printed with webContents.printToPDF.
 */
import type { BrowserWindow as BrowserWindowType } from 'electron';
import type { PdfOptions } from '../../reports/pdf.js';
import { secureWebPreferences } from './window.js';

export interface ElectronPdfDeps {
  BrowserWindow: typeof BrowserWindowType;
  preloadPath: string;
  indexHtml: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function electronPdfRenderer(deps: ElectronPdfDeps): (opts: PdfOptions) => Promise<Buffer> {
  return async (opts) => {
    const win = new deps.BrowserWindow({ show: false, width: 1240, height: 1754, webPreferences: secureWebPreferences(deps.preloadPath) });
    try {
      await win.loadFile(deps.indexHtml, { query: opts.query });
      const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
      for (;;) {
        const state = (await win.webContents.executeJavaScript(
          `document.querySelector('[data-print-error]')?.textContent ?? (document.querySelector('[data-print-ready]') ? 'ready' : 'waiting')`,
        )) as string;
        if (state === 'ready') break;
        if (state !== 'waiting') throw new Error(`the report page failed: ${state}`);
        if (Date.now() > deadline) throw new Error('the report page did not get ready in time');
        await sleep(100);
      }
      return await win.webContents.printToPDF({ pageSize: 'A4', printBackground: true, margins: { top: 0.55, bottom: 0.55, left: 0.47, right: 0.47 } });
    } finally {
      win.destroy();
    }
  };
}

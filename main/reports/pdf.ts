/**
 * The printable report page rendered to PDF by Chromium through
 * playwright-core (browser shell and CLI). The page is the renderer's own
 * bundle (dist/renderer), served to the headless page from disk under a
 * private origin; its `window.api` is a binding to the services'
 * dispatcher, so no port or secret is involved. Electron prints the same
 * page with `webContents.printToPDF` (docs/reports.md).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as PlaywrightCore from 'playwright-core';
import type { Reply } from '../../core/api/contract.js';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const ORIGIN = 'http://vakt-print.invalid';
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml', '.map': 'application/json' };

/** dist/renderer next to the compiled main/, or under dist/ when running from sources; VAKT_RENDERER_DIR overrides. */
export function findRendererDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [process.env.VAKT_RENDERER_DIR, join(here, '..', '..', 'renderer'), join(here, '..', '..', 'dist', 'renderer')].filter((d): d is string => !!d);
  const dir = candidates.find((d) => existsSync(join(d, 'app.js')) && existsSync(join(d, 'index.html')));
  if (!dir) throw new Error(`the UI is not built (no app.js in ${candidates.join(' or ')}): run npm run build`);
  return dir;
}

export interface PdfOptions {
  /** Query of the print page, e.g. { print: 'sla', contract, month }. */
  query: Record<string, string>;
  language?: string;
  /** IANA zone the page shows times in (the user's). */
  timezone?: string;
  /** Answers the page's calls (the dispatcher). */
  call(method: string, request: unknown): Promise<Reply<unknown>>;
  rendererDir?: string;
  chromium?: string;
  timeoutMs?: number;
}

export async function renderPdf(opts: PdfOptions): Promise<Buffer> {
  const rendererDir = opts.rendererDir ?? findRendererDir();
  let pw: typeof PlaywrightCore;
  try {
    pw = await import('playwright-core');
  } catch {
    throw new Error('PDF export needs playwright-core (npm install playwright-core)');
  }
  const browser = await pw.chromium.launch({ executablePath: opts.chromium ?? process.env.VAKT_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
  try {
    const context = await browser.newContext({ locale: opts.language ?? 'en', ...(opts.timezone ? { timezoneId: opts.timezone } : {}) });
    await context.route(`${ORIGIN}/**`, async (route) => {
      const url = new URL(route.request().url());
      const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
      const file = normalize(join(rendererDir, rel));
      if (!file.startsWith(normalize(rendererDir) + sep) || !existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
      return route.fulfill({ status: 200, contentType: TYPES[extname(file)] ?? 'application/octet-stream', body: readFileSync(file) });
    });
    // Anything else (no network for the print page).
    await context.route(
      (u) => !u.href.startsWith(ORIGIN),
      (route) => route.abort(),
    );
    await context.exposeBinding('__vaktCall', (_source, method: string, request: unknown) => opts.call(method, request));
    // Runs in the page before the bundle (a script string: main/ has no DOM types).
    await context.addInitScript(
      `window.api = { call: (m, r) => window.__vaktCall(m, r), subscribe: () => () => {} };` + (opts.language ? `localStorage.setItem('vakt.lang', ${JSON.stringify(opts.language)});` : ''),
    );
    const page = await context.newPage();
    await page.emulateMedia({ media: 'print' });
    await page.goto(`${ORIGIN}/index.html?${new URLSearchParams(opts.query).toString()}`);
    await page.locator('[data-print-ready]').waitFor({ timeout: opts.timeoutMs ?? 20_000 });
    const failed = await page.locator('[data-print-error]').count();
    if (failed) throw new Error(`the report page failed: ${await page.locator('[data-print-error]').innerText()}`);
    return await page.pdf({ format: 'A4', printBackground: true, margin: { top: '14mm', bottom: '14mm', left: '12mm', right: '12mm' } });
  } finally {
    await browser.close();
  }
}

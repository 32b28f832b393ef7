/** The app window, hardened: isolated, sandboxed, no Node, no navigation, no pop-ups. */
import type { BrowserWindow as BrowserWindowType, BrowserWindowConstructorOptions, WebContents } from 'electron';

/** `devTools` only in a development build (`!app.isPackaged`); never in an installed app. */
export function secureWebPreferences(preloadPath: string, devTools = false): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload: preloadPath,
    devTools,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

/** Blocks every navigation away from the app, of the page or of any frame in it, and every `window.open`. */
export function hardenWebContents(contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>, trustedUrlPrefix: string): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(trustedUrlPrefix)) event.preventDefault();
  });
  // The app has no frames of its own: a frame navigating (an injected iframe) is blocked wherever it goes.
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame || !event.url.startsWith(trustedUrlPrefix)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export interface WindowOptions {
  preloadPath: string;
  indexHtml: string;
  trustedUrlPrefix: string;
  /** DevTools: only when not packaged. */
  devTools?: boolean;
}

export function createMainWindow(BrowserWindow: typeof BrowserWindowType, opts: WindowOptions): BrowserWindowType {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    title: 'Vakt',
    show: false,
    backgroundColor: '#111418',
    webPreferences: secureWebPreferences(opts.preloadPath, opts.devTools ?? false),
  });
  hardenWebContents(win.webContents, opts.trustedUrlPrefix);
  win.once('ready-to-show', () => win.show());
  void win.loadFile(opts.indexHtml);
  return win;
}

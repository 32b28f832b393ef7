/**
 * Electron entry: a thin adapter. It builds the same services as the browser
 * shell, then connects them to a window through validated IPC.
 */
import { app, BrowserWindow, ipcMain, Menu, nativeImage, Notification, powerMonitor, safeStorage, session, Tray } from 'electron';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { createServices, systemClock } from '../services.js';
import { createNotifier } from '../notify/create.js';
import { FallbackNotifier } from '../notify/fallback.js';
import { ElectronNotifier } from './notifier.js';
import { createTray } from './tray.js';
import { electronPdfRenderer } from './pdf.js';
import { forwardEvents, registerIpc } from './ipc.js';
import { createMainWindow } from './window.js';
import { CSP } from '../http/shell.js';
import { resolveDataDir } from '../paths.js';

const here = dirname(fileURLToPath(import.meta.url));
const distDir = join(here, '..', '..');
const rendererDir = join(distDir, 'renderer');
const trustedUrlPrefix = pathToFileURL(rendererDir).href + '/';

const dataDir = resolveDataDir(process.argv);
app.setPath('userData', dataDir);
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(async () => {
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
    });
    session.defaultSession.setPermissionRequestHandler((_wc, _perm, callback) => callback(false));
    const log = (msg: string, err?: unknown) => console.error(msg, err ?? '');
    const services = await createServices({
      clock: systemClock,
      notifier: new FallbackNotifier(await createNotifier('electron', process.env, log), new ElectronNotifier(Notification), log),
      dataDir,
      host: 'electron',
      // powerMonitor reports sleep and resume here; the wall-clock watch still catches clock and zone changes.
      clockWatch: true,
      // The sync token is kept encrypted with the OS keychain (safeStorage).
      tokenCipher: safeStorage,
      renderPdf: electronPdfRenderer({ BrowserWindow, preloadPath: join(distDir, 'preload', 'preload.cjs'), indexHtml: join(rendererDir, 'index.html') }),
      log,
    });
    const resumed = () => {
      void services.context.scheduler.replan('resume');
      services.sync.wake();
    };
    powerMonitor.on('resume', resumed);
    powerMonitor.on('unlock-screen', resumed);
    const ipc = registerIpc(ipcMain, services.dispatch, { trustedUrlPrefix, log: (m) => console.warn(m) });
    const openWindow = () =>
      createMainWindow(BrowserWindow, {
        preloadPath: join(distDir, 'preload', 'preload.cjs'),
        indexHtml: join(rendererDir, 'index.html'),
        trustedUrlPrefix,
      });
    let win = openWindow();
    const showWindow = () => {
      if (win.isDestroyed()) win = openWindow();
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
    };
    const tray = createTray(Tray, Menu, nativeImage.createFromPath(join(rendererDir, 'icon.png')), showWindow, () => app.quit());
    const sub = services.events.on((event) => {
      forwardEvents(win.webContents, event);
      if (event.name === 'alerts.changed') tray.setActive((event.payload as { active: number }).active);
      // A click on a notification brings the window up; the renderer opens the ticket.
      if (event.name === 'alerts.open') showWindow();
    });
    app.on('second-instance', showWindow);
    app.on('before-quit', () => {
      sub.dispose();
      tray.dispose();
      ipc.dispose();
      void services.dispose();
    });
  });
  // The SLA clock and notifications keep running in the tray with the window closed: quit from the tray menu.
  app.on('window-all-closed', () => undefined);
}

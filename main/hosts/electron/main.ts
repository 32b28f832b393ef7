/**
 * Electron entry: a thin adapter. It builds the same services as the browser
 * shell, then connects them to a window through validated IPC.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, Notification, powerMonitor, safeStorage, session, Tray } from 'electron';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { systemClock } from '../../../db/system-time.js';
import { createServices } from '../../app/services.js';
import { createNotifier } from '../../notify/create.js';
import { FallbackNotifier } from '../../notify/fallback.js';
import { ElectronNotifier } from './notifier.js';
import { createTray } from './tray.js';
import { electronPdfRenderer } from './pdf.js';
import { forwardEvents, registerIpc } from './ipc.js';
import { createMainWindow } from './window.js';
import { CSP } from '../http/shell.js';
import { resolveDataDir } from '../../app/paths.js';
import { lockDataDir } from '../../../db/data-dir-lock.js';
import type { DataDirLock } from '../../../db/data-dir-lock.js';
import { electronTokenCipher } from './token-cipher.js';
import { showUpdating } from './updating.js';
import { settleAfterStart } from '../../../db/settle-memory.js';

const here = dirname(fileURLToPath(import.meta.url));
const distDir = join(here, '..', '..', '..');
const rendererDir = join(distDir, 'renderer');
const trustedUrlPrefix = pathToFileURL(rendererDir).href + '/';

const dataDir = resolveDataDir(process.argv);
app.setPath('userData', dataDir);
app.enableSandbox();

/**
 * Electron's single-instance lock (per userData, which is the data dir) hands a second launch of the
 * app to the first one (it shows its window). The data-dir lock (db/data-dir-lock.ts) also keeps out
 * `vakt serve`, `vakt server` and `vakt restore` on the same data dir, and this app out of theirs.
 */
function lockOrExplain(): DataDirLock | null {
  try {
    return lockDataDir(dataDir, { what: 'Vakt (Electron)', since: Date.now() });
  } catch (e) {
    dialog.showErrorBox('Vakt cannot start', (e as Error).message);
    return null;
  }
}

const dataLock = app.requestSingleInstanceLock() ? lockOrExplain() : null;
if (!dataLock) {
  app.quit();
} else {
  void app.whenReady().then(async () => {
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
    });
    session.defaultSession.setPermissionRequestHandler((_wc, _perm, callback) => callback(false));
    // Permission checks (synchronous queries, e.g. navigator.permissions, clipboard, media) are denied too.
    session.defaultSession.setPermissionCheckHandler(() => false);
    const log = (msg: string, err?: unknown) => console.error(msg, err ?? '');
    // Migrations before the store opens: a small window says so until the main one shows.
    let updating = null as BrowserWindow | null;
    const services = await createServices({
      onUpgrade: (u) => (updating ??= showUpdating(BrowserWindow, u, trustedUrlPrefix, app.getLocale())),
      clock: systemClock,
      notifier: new FallbackNotifier(await createNotifier('electron', process.env, log), new ElectronNotifier(Notification), log),
      dataDir,
      host: 'electron',
      // powerMonitor reports sleep and resume here; the wall-clock watch still catches clock and zone changes.
      clockWatch: true,
      // The sync token is kept encrypted with the OS keychain (safeStorage); refused where that is only basic_text.
      tokenCipher: electronTokenCipher(safeStorage, join(dataDir, 'sync-token')),
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
        devTools: !app.isPackaged,
      });
    let win = openWindow();
    if (updating) {
      const done = updating;
      win.once('ready-to-show', () => done.isDestroyed() || done.close());
    }
    // What the start built is garbage once its work is done: collected then (db/settle-memory.ts).
    void settleAfterStart(
      async () => {
        await services.context.scheduler.idle();
        await services.integrity?.idle();
      },
      () => services.context.store.settle(),
    ).catch((err: unknown) => log('memory: could not settle after start', err));
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
      void services.dispose().finally(() => dataLock.release());
    });
  });
  // The SLA clock and notifications keep running in the tray with the window closed: quit from the tray menu.
  app.on('window-all-closed', () => undefined);
}

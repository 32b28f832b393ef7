/**
 * Electron entry: a thin adapter. It builds the same services as the browser
 * shell, then connects them to a window through validated IPC.
 */
import { app, BrowserWindow, ipcMain, session } from 'electron';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { createServices, systemClock } from '../services.js';
import { createNotifier } from '../notify/create.js';
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
    const services = await createServices({
      clock: systemClock,
      notifier: await createNotifier('electron'),
      dataDir,
      host: 'electron',
      log: (msg, err) => console.error(msg, err ?? ''),
    });
    const ipc = registerIpc(ipcMain, services.dispatch, { trustedUrlPrefix, log: (m) => console.warn(m) });
    const win = createMainWindow(BrowserWindow, {
      preloadPath: join(distDir, 'preload', 'preload.cjs'),
      indexHtml: join(rendererDir, 'index.html'),
      trustedUrlPrefix,
    });
    const sub = services.events.on((event) => forwardEvents(win.webContents, event));
    app.on('second-instance', () => {
      if (win.isMinimized()) win.restore();
      win.focus();
    });
    app.on('before-quit', () => {
      sub.dispose();
      ipc.dispose();
      void services.dispose();
    });
  });
  app.on('window-all-closed', () => {
    // The SLA clock and notifications keep running in the tray; quit only on macOS convention otherwise.
    if (process.platform !== 'darwin') app.quit();
  });
}

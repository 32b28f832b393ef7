import { beforeEach, describe, expect, it, vi } from 'vitest';
import { registerIpc, isTrustedSender, forwardEvents } from '../../main/hosts/electron/ipc.js';
import { createMainWindow, hardenWebContents, secureWebPreferences } from '../../main/hosts/electron/window.js';
import { createDispatcher } from '../../main/api/dispatch.js';
import type { Handlers } from '../../main/api/dispatch.js';
import { CHANNEL_PREFIX, EVENT_CHANNEL, methods } from '../../core/api/contract.js';

const TRUSTED = 'file:///opt/vakt/dist/renderer/';

function fakeIpcMain() {
  const handlers = new Map<string, (event: unknown, req: unknown) => Promise<unknown>>();
  return {
    handlers,
    handle: vi.fn((ch: string, fn: (event: unknown, req: unknown) => Promise<unknown>) => void handlers.set(ch, fn)),
    removeHandler: vi.fn((ch: string) => void handlers.delete(ch)),
  };
}

const frame = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } });

describe('Electron IPC host', () => {
  const dispatch = createDispatcher({
    'app.info': () => ({ name: 'Vakt', version: '1', host: 'electron', dataDir: '/d', now: 0, timezone: 'UTC' }),
    'app.echo': ({ text }: { text: string }) => ({ text }),
  } as Partial<Handlers> as Handlers);

  it('registers one vakt: channel per contract method and removes them on dispose', () => {
    const ipc = fakeIpcMain();
    const d = registerIpc(ipc as never, dispatch, { trustedUrlPrefix: TRUSTED });
    expect([...ipc.handlers.keys()].sort()).toEqual(
      Object.keys(methods)
        .map((m) => CHANNEL_PREFIX + m)
        .sort(),
    );
    d.dispose();
    expect(ipc.handlers.size).toBe(0);
  });

  it('validates every argument against the contract', async () => {
    const ipc = fakeIpcMain();
    registerIpc(ipc as never, dispatch, { trustedUrlPrefix: TRUSTED });
    const echo = ipc.handlers.get('vakt:app.echo')!;
    expect(await echo(frame(TRUSTED + 'index.html'), { text: 'hi' })).toEqual({ ok: true, result: { text: 'hi' } });
    expect(await echo(frame(TRUSTED + 'index.html'), { text: 5 })).toMatchObject({ ok: false, error: { code: 'invalid_request', path: 'text' } });
    expect(await echo(frame(TRUSTED + 'index.html'), 'not an object')).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('refuses a sender that is not the app main frame', async () => {
    const ipc = fakeIpcMain();
    const log = vi.fn();
    registerIpc(ipc as never, dispatch, { trustedUrlPrefix: TRUSTED, log });
    const info = ipc.handlers.get('vakt:app.info')!;
    expect(await info(frame('https://evil.example/'), {})).toMatchObject({ ok: false });
    expect(await info(frame(TRUSTED + 'index.html', { url: TRUSTED }), {})).toMatchObject({ ok: false });
    expect(await info({ senderFrame: null }, {})).toMatchObject({ ok: false });
    expect(log).toHaveBeenCalledTimes(3);
    expect(isTrustedSender(frame(TRUSTED + 'index.html') as never, TRUSTED)).toBe(true);
  });

  it('forwards pushes only to a live window', () => {
    const wc = { send: vi.fn(), isDestroyed: vi.fn(() => false) };
    forwardEvents(wc, { name: 'app.heartbeat', payload: { now: 1 } });
    expect(wc.send).toHaveBeenCalledWith(EVENT_CHANNEL, { name: 'app.heartbeat', payload: { now: 1 } });
    wc.isDestroyed.mockReturnValue(true);
    forwardEvents(wc, { name: 'app.heartbeat', payload: { now: 2 } });
    expect(wc.send).toHaveBeenCalledTimes(1);
  });
});

describe('Electron window', () => {
  it('runs isolated, sandboxed, without Node', () => {
    expect(secureWebPreferences('/p.cjs')).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, preload: '/p.cjs' });
  });

  it('blocks window.open and navigation away from the app', () => {
    const listeners: Record<string, (e: { preventDefault(): void }, url: string) => void> = {};
    let openHandler: (() => { action: string }) | undefined;
    const wc = {
      on: vi.fn((name: string, fn: (e: { preventDefault(): void }, url: string) => void) => void (listeners[name] = fn)),
      setWindowOpenHandler: vi.fn((fn: () => { action: string }) => void (openHandler = fn)),
    };
    hardenWebContents(wc as never, TRUSTED);
    expect(openHandler?.()).toEqual({ action: 'deny' });
    const prevent = vi.fn();
    listeners['will-navigate']!({ preventDefault: prevent }, 'https://evil.example/');
    expect(prevent).toHaveBeenCalledTimes(1);
    listeners['will-navigate']!({ preventDefault: prevent }, TRUSTED + 'index.html');
    expect(prevent).toHaveBeenCalledTimes(1);
    listeners['will-redirect']!({ preventDefault: prevent }, 'https://evil.example/');
    expect(prevent).toHaveBeenCalledTimes(2);
  });

  it('creates the window with those preferences and loads the built UI', () => {
    const created: Array<{ opts: { webPreferences: Record<string, unknown> }; loadFile: ReturnType<typeof vi.fn> }> = [];
    class FakeWindow {
      webContents = { on: vi.fn(), setWindowOpenHandler: vi.fn() };
      loadFile = vi.fn(async () => undefined);
      once = vi.fn();
      show = vi.fn();
      constructor(readonly opts: { webPreferences: Record<string, unknown> }) {
        created.push(this);
      }
    }
    createMainWindow(FakeWindow as never, { preloadPath: '/dist/preload/preload.cjs', indexHtml: '/dist/renderer/index.html', trustedUrlPrefix: TRUSTED });
    expect(created).toHaveLength(1);
    expect(created[0]!.opts.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(created[0]!.loadFile).toHaveBeenCalledWith('/dist/renderer/index.html');
  });
});

interface MockedElectron {
  handles: string[];
  power: string[];
  trays: Array<{ tooltip: string }>;
  windows: Array<{ opts: { webPreferences: Record<string, unknown> } }>;
  permissionCheck: Array<(...args: unknown[]) => boolean>;
  errorBoxes: Array<[string, string]>;
  quit: ReturnType<typeof vi.fn>;
  whenReady: ReturnType<typeof vi.fn>;
  ready(): void;
}

/** Mocks `electron` for main/hosts/electron/main.ts: a packaged app, whose windows, handlers and dialogs are recorded. */
function mockElectron(): MockedElectron {
  let ready!: () => void;
  const whenReady = new Promise<void>((r) => (ready = r));
  const m: MockedElectron = { handles: [], power: [], trays: [], windows: [], permissionCheck: [], errorBoxes: [], quit: vi.fn(), whenReady: vi.fn(() => whenReady), ready: () => ready() };
  vi.doMock('electron', () => {
    class BrowserWindow {
      webContents = { on: vi.fn(), setWindowOpenHandler: vi.fn(), send: vi.fn(), isDestroyed: () => false };
      loadFile = vi.fn(async () => undefined);
      once = vi.fn();
      isMinimized = () => false;
      isDestroyed = () => false;
      constructor(readonly opts: { webPreferences: Record<string, unknown> }) {
        m.windows.push(this);
      }
    }
    return {
      app: {
        isPackaged: true,
        setPath: vi.fn(),
        enableSandbox: vi.fn(),
        requestSingleInstanceLock: () => true,
        whenReady: m.whenReady,
        on: vi.fn(),
        quit: m.quit,
      },
      BrowserWindow,
      dialog: { showErrorBox: (title: string, text: string) => void m.errorBoxes.push([title, text]) },
      ipcMain: { handle: (ch: string) => m.handles.push(ch), removeHandler: vi.fn() },
      Menu: { buildFromTemplate: vi.fn((t: unknown) => t) },
      nativeImage: { createFromPath: vi.fn(() => ({})) },
      Notification: Object.assign(vi.fn(), { isSupported: () => true }),
      powerMonitor: { on: (name: string) => m.power.push(name) },
      safeStorage: { isEncryptionAvailable: () => false, encryptString: vi.fn(), decryptString: vi.fn(), getSelectedStorageBackend: () => 'gnome_libsecret' },
      Tray: class {
        constructor() {
          m.trays.push(this);
        }
        tooltip = '';
        setToolTip(t: string) {
          this.tooltip = t;
        }
        setTitle = vi.fn();
        setContextMenu = vi.fn();
        on = vi.fn();
        destroy = vi.fn();
      },
      session: {
        defaultSession: {
          webRequest: { onHeadersReceived: vi.fn() },
          setPermissionRequestHandler: vi.fn(),
          setPermissionCheckHandler: (fn: (...args: unknown[]) => boolean) => void m.permissionCheck.push(fn),
        },
      },
    };
  });
  return m;
}

/** Imports main/hosts/electron/main.ts with `--data-dir dir` and the notifier in memory. */
async function importEntry(dir: string): Promise<() => void> {
  process.env.VAKT_NOTIFIER = 'memory';
  const argv = process.argv;
  process.argv = [...argv, '--data-dir', dir];
  try {
    await import('../../main/hosts/electron/main.js');
  } finally {
    process.argv = argv;
  }
  return () => {
    delete process.env.VAKT_NOTIFIER;
    vi.doUnmock('electron');
  };
}

describe('Electron entry with electron mocked', () => {
  beforeEach(() => vi.resetModules());

  it('builds the services, registers IPC and opens one hardened window', async () => {
    const e = mockElectron();
    const { tempDir } = await import('../helpers/services.js');
    const tmp = tempDir();
    const done = await importEntry(tmp.dir);
    try {
      e.ready();
      await vi.waitFor(() => expect(e.windows).toHaveLength(1), { timeout: 20_000 }); // services start first (store worker, migrations): slow on a loaded machine
      expect(e.handles.sort()).toEqual(
        Object.keys(methods)
          .map((m) => CHANNEL_PREFIX + m)
          .sort(),
      );
      expect(e.windows[0]!.opts.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
      expect(String(e.windows[0]!.opts.webPreferences.preload)).toMatch(/preload\.cjs$/);
      // a packaged app has no DevTools; every permission check is denied
      expect(e.windows[0]!.opts.webPreferences.devTools).toBe(false);
      expect(e.permissionCheck).toHaveLength(1);
      for (const perm of ['clipboard-read', 'media', 'notifications', 'geolocation']) expect(e.permissionCheck[0]!(null, perm, TRUSTED, {})).toBe(false);
      // Sleep and resume re-plan the alerts; the tray shows the active alert count.
      expect(e.power).toContain('resume');
      expect(e.trays).toHaveLength(1);
      expect(e.trays[0]!.tooltip).toBe('Vakt: no active alerts');
    } finally {
      done();
      tmp.cleanup();
    }
  });

  it('refuses a data dir another process uses: says which and quits, before anything starts', async () => {
    const e = mockElectron();
    const { tempDir } = await import('../helpers/services.js');
    const { lockDataDir } = await import('../../db/data-dir-lock.js');
    const tmp = tempDir();
    const lock = lockDataDir(tmp.dir, { what: 'vakt serve', since: 0 });
    const done = await importEntry(tmp.dir);
    try {
      expect(e.quit).toHaveBeenCalled();
      expect(e.errorBoxes).toHaveLength(1);
      expect(e.errorBoxes[0]![1]).toContain(`the data dir ${tmp.dir} is in use by process ${process.pid} (vakt serve`);
      // nothing waits for ready: no services, no IPC, no window
      expect(e.whenReady).not.toHaveBeenCalled();
      expect(e.windows).toHaveLength(0);
      expect(e.handles).toHaveLength(0);
    } finally {
      lock.release();
      done();
      tmp.cleanup();
    }
  });
});

describe('preload', () => {
  beforeEach(() => vi.resetModules());

  it('exposes exactly one window.api that can only invoke vakt: channels', async () => {
    const exposed: Record<string, unknown> = {};
    const invoke = vi.fn(async () => ({ ok: true, result: {} }));
    vi.doMock('electron', () => ({
      contextBridge: { exposeInMainWorld: (key: string, value: unknown) => void (exposed[key] = value) },
      ipcRenderer: { invoke, on: vi.fn(), removeListener: vi.fn() },
    }));
    try {
      await import('../../preload/preload.js');
      expect(Object.keys(exposed)).toEqual(['api']);
      const api = exposed.api as { call(m: string, r: unknown): Promise<unknown>; subscribe(l: () => void): () => void };
      expect(Object.keys(api).sort()).toEqual(['call', 'subscribe']);
      await api.call('app.info', {});
      expect(invoke).toHaveBeenCalledWith(CHANNEL_PREFIX + 'app.info', {});
      const refused = await api.call('../../evil', {});
      expect(refused).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
      expect(invoke).toHaveBeenCalledTimes(1);
    } finally {
      vi.doUnmock('electron');
    }
  });
});

/**
 * Electron hardening (issue #14, item 9): the fuses the packaging flips, the
 * sync token refused where safeStorage has no keyring (`basic_text`), frame
 * navigation blocked. The entry's permission check handler, DevTools and the
 * data-dir lock are in electron-host.test.ts (electron mocked).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { basicTextRefusal, electronTokenCipher } from '../../main/hosts/electron/token-cipher.js';
import { hardenWebContents, secureWebPreferences } from '../../main/hosts/electron/window.js';
import { SyncService } from '../../main/sync/service.js';
import type { SyncServiceOptions } from '../../main/sync/service.js';
import { EncryptedFileTokenStore } from '../../main/sync/token-store.js';
import { cleanupTempDirs, tempDir } from '../db/helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);

afterEach(cleanupTempDirs);

describe('packaging fuses', () => {
  it('electron-builder.yml, as electron-builder reads and validates it, flips RunAsNode and inspect off, asar integrity and asar-only on', async () => {
    const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      getConfig(dir: string, file: string, fromOptions: null): Promise<{ electronFuses?: Record<string, boolean> }>;
      validateConfiguration(config: unknown, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    const config = await getConfig(root, join(root, 'electron-builder.yml'), null);
    await validateConfiguration(config, new DebugLogger(false));
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    // What electron-builder hands to @electron/fuses' flipFuses (its own mapping, with @electron/fuses installed).
    const { PlatformPackager } = require('app-builder-lib') as {
      PlatformPackager: { prototype: { generateFuseConfig(f: unknown): Promise<Record<string, unknown>> } };
    };
    const fuses = await PlatformPackager.prototype.generateFuseConfig.call({}, config.electronFuses);
    const { FuseV1Options } = (await import('@electron/fuses')) as unknown as { FuseV1Options: Record<string, string> };
    expect(fuses[FuseV1Options.RunAsNode as string]).toBe(false);
    expect(fuses[FuseV1Options.EnableNodeCliInspectArguments as string]).toBe(false);
    expect(fuses[FuseV1Options.EnableEmbeddedAsarIntegrityValidation as string]).toBe(true);
    expect(fuses[FuseV1Options.OnlyLoadAppFromAsar as string]).toBe(true);
    // the UI is loaded from file://: that fuse must keep its default
    expect(fuses[FuseV1Options.GrantFileProtocolExtraPrivileges as string]).toBeUndefined();
  });
});

const fakeSafeStorage = (backend: string) => ({
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => backend,
  encryptString: (s: string) => Buffer.from(`enc:${s}`),
  decryptString: (b: Buffer) => b.toString().replace(/^enc:/, ''),
});

describe('the sync token under Electron', () => {
  it('is refused, with the reason and the fallback, where safeStorage has only basic_text', async () => {
    const file = join(tempDir(), 'sync-token');
    const tokens = new EncryptedFileTokenStore(file, electronTokenCipher(fakeSafeStorage('basic_text'), file, 'linux'));
    expect(tokens.refusal()).toBe(basicTextRefusal(file));
    await expect(tokens.save('vakt_secret')).rejects.toThrow(/safeStorage backend "basic_text".*refused.*mode 0600 in a 0700 folder/);
    expect(existsSync(file)).toBe(false);
  });

  it('is stored encrypted with a real keyring backend, and elsewhere than Linux', async () => {
    for (const [backend, platform] of [
      ['gnome_libsecret', 'linux'],
      ['basic_text', 'darwin'],
    ] as const) {
      const file = join(tempDir(), 'sync-token');
      const tokens = new EncryptedFileTokenStore(file, electronTokenCipher(fakeSafeStorage(backend), file, platform));
      expect(tokens.refusal()).toBeNull();
      await tokens.save('vakt_secret');
      expect(await tokens.load()).toBe('vakt_secret');
    }
  });

  it('enrolment is refused before the one-time code is sent to the server', async () => {
    const file = join(tempDir(), 'sync-token');
    const fetch = vi.fn();
    const sync = new SyncService({
      repo: { enrolment: async () => null },
      tokens: new EncryptedFileTokenStore(file, electronTokenCipher(fakeSafeStorage('basic_text'), file, 'linux')),
      activePrefix: async () => ({ prefix: 'ABCDEFGH', kind: 'provisional' }),
      clock: { now: () => 0 },
      onTicketsChanged: async () => undefined,
      onRecordsChanged: () => undefined,
      onStatus: () => undefined,
      fetch,
    } as unknown as SyncServiceOptions);
    await expect(sync.enrol('http://127.0.0.1:9', '7H3K-9QZ2-M4TD')).rejects.toMatchObject({ code: 'enrolment_failed', message: expect.stringMatching(/basic_text/) });
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('window hardening', () => {
  const TRUSTED = 'file:///opt/vakt/dist/renderer/';

  it('blocks every frame navigation but the main frame within the app', () => {
    const listeners: Record<string, (e: { preventDefault(): void; url: string; isMainFrame: boolean }) => void> = {};
    hardenWebContents({ on: (name: string, fn: never) => void (listeners[name] = fn), setWindowOpenHandler: vi.fn() } as never, TRUSTED);
    const nav = (url: string, isMainFrame: boolean) => {
      const preventDefault = vi.fn();
      listeners['will-frame-navigate']!({ preventDefault, url, isMainFrame });
      return preventDefault.mock.calls.length > 0;
    };
    expect(nav('https://evil.example/', false)).toBe(true);
    expect(nav(TRUSTED + 'index.html', false)).toBe(true);
    expect(nav('https://evil.example/', true)).toBe(true);
    expect(nav(TRUSTED + 'index.html', true)).toBe(false);
  });

  it('has DevTools off unless asked for (the entry asks only when not packaged)', () => {
    expect(secureWebPreferences('/p.cjs').devTools).toBe(false);
    expect(secureWebPreferences('/p.cjs', true).devTools).toBe(true);
  });
});

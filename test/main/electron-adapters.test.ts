import { describe, expect, it, vi } from 'vitest';
import { FallbackNotifier } from '../../main/notify/fallback.js';
import { MemoryNotifier } from '../../main/notify/notifier.js';
import type { Notifier } from '../../main/notify/notifier.js';
import { ElectronNotifier } from '../../main/hosts/electron/notifier.js';
import { trayLabel } from '../../main/hosts/electron/tray.js';

const n = { id: 't1|update|callback_due|5', title: 'K7: callback due', body: 'K7 · Status callback due', critical: true, ticketId: 't1' };

describe('notifier fallback', () => {
  it('uses the OS notifier, and Electron notifications when that fails', async () => {
    const failing: Notifier = { notify: vi.fn(async () => Promise.reject(new Error('notify-send: not found'))) };
    const fallback = new MemoryNotifier();
    const log = vi.fn();
    await new FallbackNotifier(failing, fallback, log).notify(n);
    expect(fallback.sent).toEqual([n]);
    expect(log).toHaveBeenCalledOnce();
    const primary = new MemoryNotifier();
    const unused = new MemoryNotifier();
    await new FallbackNotifier(primary, unused).notify(n);
    expect(primary.sent).toHaveLength(1);
    expect(unused.sent).toHaveLength(0);
  });

  it("Electron's notification reports a click with the alert id, so the ticket opens", async () => {
    const handlers: Record<string, () => void> = {};
    const show = vi.fn();
    const Fake = Object.assign(
      vi.fn(function (this: unknown, opts: unknown) {
        Object.assign(this as object, { opts, show, on: (ev: string, fn: () => void) => void (handlers[ev] = fn) });
      }),
      { isSupported: () => true },
    );
    const notifier = new ElectronNotifier(Fake as never);
    const clicks: string[] = [];
    notifier.onAction((id, action) => clicks.push(`${id}:${action}`));
    await notifier.notify(n);
    expect(show).toHaveBeenCalledOnce();
    expect(Fake).toHaveBeenCalledWith(expect.objectContaining({ title: n.title, body: n.body, urgency: 'critical' }));
    handlers.click!();
    expect(clicks).toEqual([`${n.id}:open`]);
  });

  it('names the active alert count for the tray', () => {
    expect(trayLabel(0)).toBe('Vakt: no active alerts');
    expect(trayLabel(1)).toBe('Vakt: 1 active alert');
    expect(trayLabel(12)).toBe('Vakt: 12 active alerts');
  });
});

describe('Electron report PDF', () => {
  it('loads the print page in a hidden sandboxed window, waits until it is ready, prints it and closes the window', async () => {
    const { electronPdfRenderer } = await import('../../main/hosts/electron/pdf.js');
    const states = ['waiting', 'waiting', 'ready'];
    const made: Array<{
      opts: { show: boolean; webPreferences: Record<string, unknown> };
      loadFile: ReturnType<typeof vi.fn>;
      destroy: ReturnType<typeof vi.fn>;
      printToPDF: ReturnType<typeof vi.fn>;
    }> = [];
    class FakeWindow {
      printToPDF = vi.fn(async () => Buffer.from('%PDF-1.7'));
      webContents = { executeJavaScript: vi.fn(async () => states.shift()), printToPDF: this.printToPDF };
      loadFile = vi.fn(async () => undefined);
      destroy = vi.fn();
      constructor(readonly opts: { show: boolean; webPreferences: Record<string, unknown> }) {
        made.push(this);
      }
    }
    const render = electronPdfRenderer({ BrowserWindow: FakeWindow as never, preloadPath: '/p.cjs', indexHtml: '/r/index.html' });
    const pdf = await render({ query: { print: 'sla', contract: 'c1', month: '2026-03' }, call: async () => ({ ok: true, result: {} }) });
    expect(pdf.toString()).toBe('%PDF-1.7');
    expect(made).toHaveLength(1);
    expect(made[0]!.opts).toMatchObject({ show: false, webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false } });
    expect(made[0]!.loadFile).toHaveBeenCalledWith('/r/index.html', { query: { print: 'sla', contract: 'c1', month: '2026-03' } });
    expect(made[0]!.printToPDF).toHaveBeenCalledWith(expect.objectContaining({ pageSize: 'A4', printBackground: true }));
    expect(made[0]!.destroy).toHaveBeenCalledOnce();
  });

  it('reports a page that failed, and still closes the window', async () => {
    const { electronPdfRenderer } = await import('../../main/hosts/electron/pdf.js');
    const destroy = vi.fn();
    class FakeWindow {
      webContents = { executeJavaScript: vi.fn(async () => 'no such contract'), printToPDF: vi.fn() };
      loadFile = vi.fn(async () => undefined);
      destroy = destroy;
    }
    const render = electronPdfRenderer({ BrowserWindow: FakeWindow as never, preloadPath: '/p.cjs', indexHtml: '/r/index.html' });
    await expect(render({ query: {}, call: async () => ({ ok: true, result: {} }) })).rejects.toThrow(/report page failed: no such contract/);
    expect(destroy).toHaveBeenCalledOnce();
  });
});

/**
 * Electron IPC host: one `ipcMain.handle` per contract method, each request
 * validated by the shared dispatcher. Like VS Code's ipcMain wrapper, a call
 * is refused unless it comes from the app's own main frame.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { CHANNEL_PREFIX, EVENT_CHANNEL, methods } from '../../../core/api/contract.js';
import type { Reply } from '../../../core/api/contract.js';
import type { Disposable } from '../../../core/lifecycle.js';
import { toDisposable } from '../../../core/lifecycle.js';
import type { Dispatch } from '../../api/dispatch.js';
import type { PushEvent } from '../../../core/api/contract.js';

export interface IpcHostOptions {
  /** The URL prefix the app's page is loaded from (file:// URL of dist/renderer/). */
  trustedUrlPrefix: string;
  log?: (msg: string) => void;
}

/** True when the call comes from the top frame of a page we loaded ourselves. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>, trustedUrlPrefix: string): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  if (frame.parent !== null) return false;
  return frame.url.startsWith(trustedUrlPrefix);
}

export function registerIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, dispatch: Dispatch, opts: IpcHostOptions): Disposable {
  const channels = Object.keys(methods).map((m) => CHANNEL_PREFIX + m);
  for (const channel of channels) {
    const method = channel.slice(CHANNEL_PREFIX.length);
    ipcMain.handle(channel, async (event, request: unknown): Promise<Reply<unknown>> => {
      if (!isTrustedSender(event, opts.trustedUrlPrefix)) {
        opts.log?.(`refused ${channel} from ${event.senderFrame?.url ?? 'unknown frame'}`);
        return { ok: false, error: { code: 'invalid_request', message: 'caller is not the app window' } };
      }
      return dispatch(method, request);
    });
  }
  return toDisposable(() => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  });
}

/** Forwards pushed events to a window's renderer. */
export function forwardEvents(webContents: Pick<WebContents, 'send' | 'isDestroyed'>, event: PushEvent): void {
  if (!webContents.isDestroyed()) webContents.send(EVENT_CHANNEL, event);
}

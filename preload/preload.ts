/**
 * The one bridge: `window.api`, a whitelisted object over the contract. Raw
 * ipcRenderer is never exposed; the preload can only invoke `vakt:` channels
 * and the main side validates each call.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { EventName, Method, Reply, Request, Result, VaktBridge } from '../core/api/contract.js';

// Kept in step with core/api/contract.ts (type imports only may cross this boundary; a test checks these match).
const CHANNEL_PREFIX = 'vakt:';
const EVENT_CHANNEL = 'vakt-event';

const api: VaktBridge = {
  call<M extends Method>(method: M, request: Request<M>): Promise<Reply<Result<M>>> {
    if (typeof method !== 'string' || !/^[a-z]+\.[A-Za-z.]+$/.test(method)) {
      return Promise.resolve({ ok: false, error: { code: 'unknown_method', message: `unknown method "${String(method)}"` } });
    }
    return ipcRenderer.invoke(CHANNEL_PREFIX + method, request) as Promise<Reply<Result<M>>>;
  },
  subscribe(listener: (event: { name: EventName; payload: unknown }) => void): () => void {
    const wrapped = (_e: unknown, event: { name: EventName; payload: unknown }) => listener(event);
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('api', api);

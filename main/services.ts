/**
 * The app's services, built from injected parts. Both hosts (Electron and the
 * plain-Node browser shell) build them through this one function and serve
 * the same contract; nothing in here knows which host it runs under.
 */
import { mkdirSync } from 'node:fs';
import type { Clock } from '../core/clock.js';
import type { EventName } from '../core/api/contract.js';
import { DisposableStore, Emitter } from '../core/lifecycle.js';
import { createDispatcher } from './api/dispatch.js';
import type { Dispatch, Handlers } from './api/dispatch.js';
import type { Notifier } from './notify/notifier.js';
import { VERSION } from './version.js';

export interface ServiceParts {
  clock: Clock;
  notifier: Notifier;
  dataDir: string;
  host: 'electron' | 'browser';
  /** The user's IANA zone; defaults to the process's. */
  timezone?: string;
  log?: (msg: string, err?: unknown) => void;
}

export interface PushEvent {
  name: EventName;
  payload: unknown;
}

export interface Services {
  readonly dispatch: Dispatch;
  readonly events: Emitter<PushEvent>;
  readonly parts: ServiceParts;
  dispose(): Promise<void>;
}

export async function createServices(parts: ServiceParts): Promise<Services> {
  mkdirSync(parts.dataDir, { recursive: true });
  const disposables = new DisposableStore();
  const events = disposables.add(Object.assign(new Emitter<PushEvent>(), { dispose() {} }));
  const timezone = parts.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;

  const handlers: Handlers = {
    'app.info': () => ({
      name: 'Vakt',
      version: VERSION,
      host: parts.host,
      dataDir: parts.dataDir,
      now: parts.clock.now(),
      timezone,
    }),
    'app.echo': ({ text }) => ({ text }),
  };

  const dispatch = createDispatcher(handlers, parts.log);
  return {
    dispatch,
    events,
    parts,
    async dispose() {
      disposables.dispose();
    },
  };
}

export const systemClock: Clock = { now: () => Date.now() };

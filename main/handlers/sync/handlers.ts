/** Handlers of the `sync.*` contract methods (core/api/sync.ts). */
import type { syncMethods } from '../../../core/api/sync.js';
import { ApiFailure } from '../../api/dispatch.js';
import type { HandlersFor } from '../../api/dispatch.js';
import { SyncError } from '../../sync/service.js';
import type { SyncService } from '../../sync/service.js';

async function guard<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof SyncError) throw new ApiFailure('conflict', e.message);
    const name = (e as Error)?.name;
    if (name === 'NotFoundError') throw new ApiFailure('not_found', (e as Error).message);
    if (name === 'ValidationError') throw new ApiFailure('invalid_request', (e as Error).message, (e as { path?: string }).path);
    throw e;
  }
}

export function syncHandlers(sync: SyncService): HandlersFor<typeof syncMethods> {
  return {
    'sync.status': () => sync.status(),
    'sync.enrol': ({ serverUrl, code, deviceName }) => guard(() => sync.enrol(serverUrl, code, deviceName)),
    'sync.now': () => guard(() => sync.syncNow()),
    'sync.rejected': async ({ limit }) => ({ items: await sync.rejected(limit) }),
    'sync.conflicts': async ({ limit }) => ({ items: await sync.conflicts(limit) }),
    'sync.resolveConflict': ({ conflictId, value }) => guard(() => sync.resolveConflict(conflictId, value)),
  };
}

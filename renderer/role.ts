/**
 * Roles in the UI (issue 17 item 3; docs/sync.md "Roles"): what this device's
 * user may do, from the enrolled role's column of the role matrix
 * (core/sync/roles.ts), as `sync.status` carries it. The views hide what the
 * role may never do (`no`); the server stays the authority and refuses the
 * rest (`own` on someone else's ticket, ...), which the sync panel shows.
 * The enrolled user's name is the app's "Your name". The feed keeps the
 * whole status (the top bar's `SyncStatus` shows it): one `sync.status` call
 * at boot, then its pushes.
 */
import { useEffect } from 'react';
import { create } from 'zustand';
import type { SyncStatusView } from '../core/api/sync.js';
import type { RoleAction } from '../core/sync/roles.js';
import { useApp } from './store.js';
import { bridge, call } from './transport.js';

interface RoleState {
  /** The enrolled user's name, or null (not enrolled, or enrolled before the server told it). */
  userName: string | null;
  permissions: SyncStatusView['permissions'];
  /** The last sync status seen (null until the first answer). */
  status: SyncStatusView | null;
  set(s: SyncStatusView): void;
}

export const useRole = create<RoleState>((set) => ({
  userName: null,
  permissions: null,
  status: null,
  set: (s) => set({ userName: s.userName, permissions: s.permissions, status: s }),
}));

/** Whether this device's user may take `action` at all (a device not enrolled may do all, locally). */
export function useMay(action: RoleAction): boolean {
  return useRole((s) => s.permissions === null || s.permissions[action] !== 'no');
}

/** Keeps the role and the enrolled name up to date (once, in the app); the enrolled name becomes "Your name". */
export function useRoleFeed(): void {
  useEffect(() => {
    const apply = (s: SyncStatusView) => {
      useRole.getState().set(s);
      if (s.userName && useApp.getState().me !== s.userName) useApp.getState().setMe(s.userName);
    };
    void call('sync.status', {}).then(apply, () => undefined);
    return bridge.subscribe((e) => {
      if (e.name === 'sync.status') apply(e.payload as SyncStatusView);
    });
  }, []);
}

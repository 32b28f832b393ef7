/**
 * The alert scope is the user's (issue 17 item 4, docs/alerts.md "Alert scope"): once the device is
 * enrolled, "Alert me for" is stored with the user on the sync server (`user.setAlertScope@1`) and
 * pulled by their other devices (db/sync/user-settings.ts), so a technician on a second device keeps
 * it. A device not enrolled keeps it in its own alert settings, as before.
 */
import type { AlertSettings } from './types.js';

type Scope = AlertSettings['alertScope'];

interface UserSettingsStore {
  alertScope(): Promise<{ user: boolean; alertScope: 'mine' | 'all' | null }>;
  setAlertScope(alertScope: 'mine' | 'all' | null): Promise<boolean>;
}

export class UserAlertScope {
  private constructor(
    private readonly store: UserSettingsStore,
    private current: { user: boolean; alertScope: Scope },
  ) {}

  static async load(store: UserSettingsStore): Promise<UserAlertScope> {
    return new UserAlertScope(store, await store.alertScope());
  }

  /** Reads the user's scope again (after a pull brought it from another device). */
  async reload(): Promise<void> {
    this.current = await this.store.alertScope();
  }

  /** The device's settings with the scope in force: the user's when enrolled, else the device's own. */
  over(local: AlertSettings): AlertSettings {
    return this.current.user ? { ...local, alertScope: this.current.alertScope } : local;
  }

  /** Sets the user's scope on all their devices; false when not enrolled (the device's own setting holds). */
  async set(alertScope: 'mine' | 'all' | null): Promise<boolean> {
    if (!(await this.store.setAlertScope(alertScope))) return false;
    await this.reload();
    return true;
  }
}

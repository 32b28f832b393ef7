/**
 * This device's user's synced settings (issue 17 item 4, docs/alerts.md "Alert scope"): whose tickets
 * alert them. Kept as tickets are (db/sync/ticket-view.ts): the server's row, as pulled (a
 * `userSettings` change, settings key `sync.userSettings`), with this device's pending
 * `user.setAlertScope@1` on top when it is the later by HLC. A refused change is no longer pending,
 * so the server's value shows again, and the scheduler applies it at once (`answered`); a later change from the user's other device wins here as on
 * the server.
 */
import { lwwWins } from '../../core/sync/merge.js';
import type { SyncUserSettings } from '../../core/sync/mutations.js';
import type { Ctx } from '../context.js';
import { json, parseJson } from '../context.js';

export type AlertScope = SyncUserSettings['alertScope'];

const KEY = 'sync.userSettings';

type Row = Record<string, unknown>;

export class UserSettingsPart {
  private readonly s;
  constructor(private readonly ctx: Ctx) {
    const db = ctx.db;
    this.s = {
      user: db.prepare(`SELECT user_id FROM sync_state WHERE id = 1 AND server_url IS NOT NULL`),
      server: db.prepare(`SELECT value FROM settings WHERE key = '${KEY}'`),
      setServer: db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('${KEY}', ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`),
      pending: db.prepare(`SELECT hlc, payload FROM outbox WHERE status = 'pending' AND seq IS NOT NULL AND name = 'user.setAlertScope' ORDER BY seq DESC LIMIT 1`),
    };
  }

  private userId(): string | null {
    return ((this.s.user.get() as Row | undefined)?.user_id as string | null | undefined) ?? null;
  }

  private server(): SyncUserSettings | null {
    const u = parseJson<SyncUserSettings | null>((this.s.server.get() as Row | undefined)?.value as string | undefined, null);
    // Only the enrolled user's (a device enrolled again as someone else starts from nothing).
    return u && u.id === this.userId() ? u : null;
  }

  /** The user's alert scope (null: the role's default); `user` false: not enrolled as a user, so the device's own setting holds. */
  alertScope(): { user: boolean; alertScope: AlertScope } {
    if (!this.userId()) return { user: false, alertScope: null };
    const server = this.server();
    const p = this.s.pending.get() as Row | undefined;
    if (p && lwwWins(server?.hlc, p.hlc as string)) return { user: true, alertScope: parseJson<{ alertScope: AlertScope }>(p.payload as string, { alertScope: null }).alertScope };
    return { user: true, alertScope: server?.alertScope ?? null };
  }

  /** Sets the user's alert scope on every device of theirs: `user.setAlertScope@1` in the outbox. False when not enrolled as a user. */
  setAlertScope(alertScope: AlertScope): boolean {
    if (!this.userId()) return false;
    this.ctx.tx(() => this.ctx.mutate('user.setAlertScope@1', { alertScope }, this.ctx.hlc.now()));
    return true;
  }

  /**
   * Records the server's answers (`mark`, in one transaction with the reads here): a refused or
   * superseded `user.setAlertScope@1` is no longer pending, so the scope in force is the server's
   * again. `recordKinds` holds `userSettings` when the scope in force changed, so that the app
   * applies it at once, as after a pull (a refused change leaves no trace, issue 17 item 1).
   */
  answered<T extends object>(mark: () => T): T & { recordKinds: string[] } {
    return this.ctx.tx(() => {
      const before = this.alertScope().alertScope;
      const r = mark();
      return { ...r, recordKinds: this.alertScope().alertScope !== before ? ['userSettings'] : [] };
    });
  }

  /** A pulled `userSettings` change (inside the pull's transaction): kept when it is this user's and the later by HLC. True when the scope in force changed. */
  applyPulled(u: SyncUserSettings): boolean {
    if (u.id !== this.userId()) return false;
    const before = this.alertScope().alertScope;
    const server = this.server();
    if (server && !lwwWins(server.hlc, u.hlc)) return false;
    this.s.setServer.run(json(u), this.ctx.clock.now());
    return this.alertScope().alertScope !== before;
  }
}

/** Device settings: key -> JSON value. Device-local, not synced. */
import type { Ctx } from '../context.js';
import { ValidationError } from '../errors.js';

export class SettingsRepo {
  private readonly s;
  constructor(private readonly ctx: Ctx) {
    const db = ctx.db;
    this.s = {
      get: db.prepare(`SELECT value FROM settings WHERE key = ?`),
      set: db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`),
      del: db.prepare(`DELETE FROM settings WHERE key = ?`),
      all: db.prepare(`SELECT key, value FROM settings ORDER BY key`),
    };
  }

  private static checkKey(key: string): void {
    if (!/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,99}$/.test(key)) throw new ValidationError(`"${key}" is not a valid key (letters, digits, . _ -; at most 100)`, 'key');
  }

  get<T = unknown>(key: string): T | undefined {
    SettingsRepo.checkKey(key);
    const r = this.s.get.get(key) as { value: string } | undefined;
    return r ? (JSON.parse(r.value) as T) : undefined;
  }

  set(key: string, value: unknown): void {
    SettingsRepo.checkKey(key);
    if (value === undefined) throw new ValidationError('must not be undefined (use delete)', `settings.${key}`);
    const text = JSON.stringify(value);
    if (text.length > 1_000_000) throw new ValidationError('is larger than 1 MB', `settings.${key}`);
    this.s.set.run(key, text, this.ctx.clock.now());
  }

  delete(key: string): boolean {
    SettingsRepo.checkKey(key);
    return this.s.del.run(key).changes > 0;
  }

  all(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const r of this.s.all.all() as { key: string; value: string }[]) out[r.key] = JSON.parse(r.value);
    return out;
  }
}

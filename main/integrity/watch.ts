/**
 * The database's integrity, checked in the background (issue 19): the full
 * `PRAGMA quick_check` runs once the app has started and then every day, on a
 * connection in a thread of its own (db/integrity.ts, once commits pause), never on the
 * start's path. A damaged file is pushed to the page (`app.integrity`: a
 * banner in the person's language naming the backups to restore with
 * `vakt restore`, the recovery path of docs/store.md) and logged; the file is
 * left as it is.
 */
import type { Timers } from '../../core/clock.js';
import type { Disposable } from '../../core/lifecycle.js';
import type { IntegrityStatus } from '../../core/api/contract.js';
import type { CheckOutcome } from '../../db/integrity.js';

export const INTEGRITY_EVERY_MS = 24 * 3600_000;

export interface IntegrityDeps {
  file: string;
  timers: Timers;
  now(): number;
  check(file: string): Promise<CheckOutcome>;
  backups(): string[];
  report(status: IntegrityStatus): void;
  log(msg: string, err?: unknown): void;
  /** Delay of the first check after start (ms; default 0: as soon as the start is done). */
  firstAfterMs?: number;
  everyMs?: number;
}

export class IntegrityWatch implements Disposable {
  private current: IntegrityStatus;
  private timer: unknown = null;
  private running: Promise<void> | null = null;
  private disposed = false;

  constructor(private readonly deps: IntegrityDeps) {
    this.current = { state: 'pending', checkedAt: null, file: deps.file, problems: [], backups: [] };
    this.schedule(deps.firstAfterMs ?? 0);
  }

  get status(): IntegrityStatus {
    return this.current;
  }

  /** Runs a check now (unless one runs); resolves when it is done. */
  checkNow(): Promise<void> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Waits for a running check (tests, dispose). */
  async idle(): Promise<void> {
    await this.running;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) this.deps.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(ms: number): void {
    if (this.disposed) return;
    this.timer = this.deps.timers.setTimeout(() => {
      this.timer = null;
      void this.checkNow().finally(() => this.schedule(this.deps.everyMs ?? INTEGRITY_EVERY_MS));
    }, ms);
  }

  private async run(): Promise<void> {
    const outcome = await this.deps.check(this.deps.file);
    if (this.disposed) return;
    if ('error' in outcome) {
      // Busy or unreadable for another reason: not a finding; the next scheduled check tries again.
      this.deps.log(`integrity: the check of ${this.deps.file} could not run: ${outcome.error}`);
      return;
    }
    const ok = outcome.problems.length === 1 && outcome.problems[0] === 'ok';
    // Once damaged it stays reported until the file is replaced (vakt restore, with the app closed).
    if (ok && this.current.state === 'damaged') return;
    this.current = ok
      ? { state: 'ok', checkedAt: this.deps.now(), file: this.deps.file, problems: [], backups: [] }
      : { state: 'damaged', checkedAt: this.deps.now(), file: this.deps.file, problems: outcome.problems.slice(0, 20), backups: this.deps.backups() };
    if (!ok) this.deps.log(`integrity: ${this.deps.file} is damaged: ${outcome.problems.slice(0, 3).join('; ')}`);
    this.deps.report(this.current);
  }
}

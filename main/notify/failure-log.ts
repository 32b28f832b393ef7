/**
 * A failure that repeats (every pop-up fails the same way on a machine without a session bus or notification
 * daemon) is logged with its stack once, then only as a count at 10, 100, 1000... in a row, and a line says when
 * it works again: not a stack per pop-up (docs/alerts.md "Notifier").
 */
export interface FailureWords {
  /** The first failure's line (its error and stack follow). */
  failed: string;
  /** The line at 10, 100, ... failures in a row. */
  repeated(count: number, message: string): string;
  /** The line when it works again. */
  works(count: number): string;
}

export class FailureLog {
  private failing: { message: string; count: number } | null = null;

  constructor(
    private readonly log: ((msg: string, err?: unknown) => void) | undefined,
    private readonly words: FailureWords,
  ) {}

  failed(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    if (this.failing?.message === message) {
      const count = ++this.failing.count;
      if (/^10+$/.test(String(count))) this.log?.(this.words.repeated(count, message));
      return;
    }
    this.failing = { message, count: 1 };
    this.log?.(this.words.failed, err);
  }

  worked(): void {
    if (this.failing) this.log?.(this.words.works(this.failing.count));
    this.failing = null;
  }
}

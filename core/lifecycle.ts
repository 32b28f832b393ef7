/**
 * Lifetimes, after VS Code's lifecycle.ts: every timer, listener and window is
 * registered in a DisposableStore and released in one place.
 */
export interface Disposable {
  dispose(): void;
}

export function toDisposable(fn: () => void): Disposable {
  let done = false;
  return {
    dispose() {
      if (done) return;
      done = true;
      fn();
    },
  };
}

export class DisposableStore implements Disposable {
  private readonly items = new Set<Disposable>();
  private disposed = false;

  add<T extends Disposable>(item: T): T {
    if (this.disposed) {
      item.dispose();
      return item;
    }
    this.items.add(item);
    return item;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Disposes everything, in reverse order of registration; the first error is rethrown after all ran. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const items = [...this.items].reverse();
    this.items.clear();
    let first: unknown;
    for (const item of items) {
      try {
        item.dispose();
      } catch (err) {
        first ??= err;
      }
    }
    if (first !== undefined) throw first;
  }
}

/** A minimal typed event emitter whose subscriptions are Disposables. */
export class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();
  on(listener: (value: T) => void): Disposable {
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  }
  fire(value: T): void {
    for (const l of [...this.listeners]) l(value);
  }
  get size(): number {
    return this.listeners.size;
  }
}

/**
 * An indexed binary min-heap of (key -> instant). Updating or removing a key
 * is O(log n), so re-planning one ticket among 100,000 costs microseconds.
 */
export class IndexedMinHeap<K> {
  private keys: K[] = [];
  private at: number[] = [];
  private readonly pos = new Map<K, number>();

  get size(): number {
    return this.keys.length;
  }

  /** Replaces the whole content in O(n). */
  build(entries: Iterable<readonly [K, number]>): void {
    this.keys = [];
    this.at = [];
    this.pos.clear();
    for (const [k, t] of entries) {
      if (this.pos.has(k)) throw new Error(`duplicate heap key ${String(k)}`);
      this.pos.set(k, this.keys.length);
      this.keys.push(k);
      this.at.push(t);
    }
    for (let i = (this.keys.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  peek(): { key: K; at: number } | undefined {
    return this.keys.length ? { key: this.keys[0] as K, at: this.at[0] as number } : undefined;
  }

  get(key: K): number | undefined {
    const i = this.pos.get(key);
    return i === undefined ? undefined : this.at[i];
  }

  /** Sets the key's instant (inserting it), or removes it when `at` is null. */
  set(key: K, at: number | null): void {
    const i = this.pos.get(key);
    if (at === null) {
      if (i !== undefined) this.removeAt(i);
      return;
    }
    if (i === undefined) {
      this.pos.set(key, this.keys.length);
      this.keys.push(key);
      this.at.push(at);
      this.up(this.keys.length - 1);
      return;
    }
    const old = this.at[i] as number;
    this.at[i] = at;
    if (at < old) this.up(i);
    else this.down(i);
  }

  /** Removes and returns every entry due at or before `t`, earliest first. */
  popDue(t: number): Array<{ key: K; at: number }> {
    const out: Array<{ key: K; at: number }> = [];
    while (this.keys.length && (this.at[0] as number) <= t) {
      out.push({ key: this.keys[0] as K, at: this.at[0] as number });
      this.removeAt(0);
    }
    return out;
  }

  /**
   * Calls `fn` for entries due at or before `t`, leaving the heap as it is (visits only those and their
   * children); stops when `fn` returns false.
   */
  forEachDue(t: number, fn: (key: K, at: number) => boolean | void): void {
    const stack = this.keys.length && (this.at[0] as number) <= t ? [0] : [];
    while (stack.length) {
      const i = stack.pop() as number;
      if (fn(this.keys[i] as K, this.at[i] as number) === false) return;
      for (const c of [2 * i + 1, 2 * i + 2]) if (c < this.keys.length && (this.at[c] as number) <= t) stack.push(c);
    }
  }

  private removeAt(i: number): void {
    const last = this.keys.length - 1;
    const key = this.keys[i] as K;
    this.swap(i, last);
    this.keys.pop();
    this.at.pop();
    this.pos.delete(key);
    if (i < this.keys.length) {
      this.up(i);
      this.down(i);
    }
  }

  private swap(a: number, b: number): void {
    if (a === b) return;
    const ka = this.keys[a] as K;
    const kb = this.keys[b] as K;
    this.keys[a] = kb;
    this.keys[b] = ka;
    const ta = this.at[a] as number;
    this.at[a] = this.at[b] as number;
    this.at[b] = ta;
    this.pos.set(kb, a);
    this.pos.set(ka, b);
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((this.at[p] as number) <= (this.at[i] as number)) return;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const n = this.keys.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && (this.at[l] as number) < (this.at[m] as number)) m = l;
      if (r < n && (this.at[r] as number) < (this.at[m] as number)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}

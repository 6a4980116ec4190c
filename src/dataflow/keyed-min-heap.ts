/**
 * KeyedMinHeap: a binary min-heap of keys by a numeric priority, at most one entry per key,
 * whose priority can be changed or removed in O(log n). The session window keeps one entry
 * per partition, by the end of its earliest session, so a watermark finds the sessions it
 * closes without looking at the other partitions.
 */
export class KeyedMinHeap<K> {
  readonly #keys: K[] = [];
  readonly #priorities: number[] = [];
  readonly #position = new Map<K, number>();

  get size(): number {
    return this.#keys.length;
  }

  /** The key with the smallest priority, or undefined when empty. */
  peek(): [key: K, priority: number] | undefined {
    return this.#keys.length === 0 ? undefined : [this.#keys[0]!, this.#priorities[0]!];
  }

  /** Inserts `key`, or changes its priority. */
  set(key: K, priority: number): void {
    const at = this.#position.get(key);
    if (at === undefined) {
      this.#keys.push(key);
      this.#priorities.push(priority);
      this.#position.set(key, this.#keys.length - 1);
      this.#up(this.#keys.length - 1);
      return;
    }
    const old = this.#priorities[at]!;
    this.#priorities[at] = priority;
    if (priority < old) this.#up(at);
    else if (priority > old) this.#down(at);
  }

  delete(key: K): void {
    const at = this.#position.get(key);
    if (at === undefined) return;
    const last = this.#keys.length - 1;
    this.#swap(at, last);
    this.#keys.pop();
    this.#priorities.pop();
    this.#position.delete(key);
    if (at < last) {
      this.#up(at);
      this.#down(at);
    }
  }

  #up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.#priorities[parent]! <= this.#priorities[i]!) return;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #down(i: number): void {
    const n = this.#keys.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.#priorities[l]! < this.#priorities[m]!) m = l;
      if (r < n && this.#priorities[r]! < this.#priorities[m]!) m = r;
      if (m === i) return;
      this.#swap(i, m);
      i = m;
    }
  }

  #swap(a: number, b: number): void {
    if (a === b) return;
    const k = this.#keys[a]!;
    const p = this.#priorities[a]!;
    this.#keys[a] = this.#keys[b]!;
    this.#priorities[a] = this.#priorities[b]!;
    this.#keys[b] = k;
    this.#priorities[b] = p;
    this.#position.set(this.#keys[a]!, a);
    this.#position.set(k, b);
  }
}

/**
 * SortedList: an ordered collection as a list of sorted chunks (at most 1024 items each), so
 * inserting or removing is O(log n + chunk size) instead of the O(n) of splicing one big
 * array, and reading from the start stops as early as the reader wants. Used by TopK, whose
 * groups can hold a whole table (a global ORDER BY … LIMIT keeps every row).
 */
const MAX_CHUNK = 1024;

export class SortedList<T> {
  #chunks: T[][] = [];
  #size = 0;

  constructor(private readonly compare: (a: T, b: T) => number) {}

  /** Builds from items already sorted by `compare`. */
  static fromSorted<T>(items: T[], compare: (a: T, b: T) => number): SortedList<T> {
    const list = new SortedList(compare);
    for (let i = 0; i < items.length; i += MAX_CHUNK / 2) list.#chunks.push(items.slice(i, i + MAX_CHUNK / 2));
    list.#size = items.length;
    return list;
  }

  get size(): number {
    return this.#size;
  }

  /** The item equal to `probe` (compare = 0), or undefined. */
  find(probe: T): T | undefined {
    const c = this.#chunkFor(probe);
    if (c < 0) return undefined;
    const chunk = this.#chunks[c]!;
    const i = this.#lowerBound(chunk, probe);
    const item = chunk[i];
    return item !== undefined && this.compare(item, probe) === 0 ? item : undefined;
  }

  insert(item: T): void {
    if (this.#chunks.length === 0) {
      this.#chunks.push([item]);
      this.#size = 1;
      return;
    }
    let c = this.#chunkFor(item);
    if (c < 0) c = this.#chunks.length - 1; // after every item: append to the last chunk
    const chunk = this.#chunks[c]!;
    chunk.splice(this.#lowerBound(chunk, item), 0, item);
    this.#size++;
    if (chunk.length > MAX_CHUNK) this.#chunks.splice(c + 1, 0, chunk.splice(MAX_CHUNK / 2));
  }

  /** Removes the item equal to `probe`; returns whether there was one. */
  remove(probe: T): boolean {
    const c = this.#chunkFor(probe);
    if (c < 0) return false;
    const chunk = this.#chunks[c]!;
    const i = this.#lowerBound(chunk, probe);
    if (i >= chunk.length || this.compare(chunk[i]!, probe) !== 0) return false;
    chunk.splice(i, 1);
    this.#size--;
    if (chunk.length === 0) this.#chunks.splice(c, 1);
    return true;
  }

  /** Items in order, from the first. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (const chunk of this.#chunks) yield* chunk;
  }

  /** The first chunk whose last item is >= `probe`, or -1 if every item is smaller. */
  #chunkFor(probe: T): number {
    let lo = 0;
    let hi = this.#chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = this.#chunks[mid]!;
      if (this.compare(chunk[chunk.length - 1]!, probe) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.#chunks.length ? lo : -1;
  }

  #lowerBound(chunk: T[], probe: T): number {
    let lo = 0;
    let hi = chunk.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(chunk[mid]!, probe) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * PointCache: recently read entries of tables and views, by storage key, for point reads of
 * the latest committed state (`WHERE key = $1` on a view or table, outside a snapshot), and the
 * whole contents of small views (`SELECT n FROM counts`, a view of one row read in a loop). A
 * collection's entries are dropped whenever a tick changes it, so the cache never answers
 * with an older value than the store holds: a read that started before the tick and finishes
 * after it does not fill the cache (a generation per collection says so).
 *
 * Bounded: at most `maxEntries` point entries per collection (past that the collection's cache
 * starts over), and whole contents only of collections of at most `maxContentRows` entries.
 */
import type { Change } from '../dataflow/zset.js';
import type { Bytes } from '../storage/kv-store.js';

interface CollectionCache {
  generation: number;
  entries: Map<string, Bytes | undefined>;
  /** The whole contents as last read, when small enough. */
  contents: Change[] | undefined;
}

export class PointCache {
  #collections = new Map<string, CollectionCache>();

  constructor(
    private readonly maxEntries = 100_000,
    private readonly maxContentRows = 1_000,
  ) {}

  #cache(id: string): CollectionCache {
    let c = this.#collections.get(id);
    if (!c) this.#collections.set(id, (c = { generation: 0, entries: new Map(), contents: undefined }));
    return c;
  }

  /** Reads through the cache: `read` runs on a miss, and its result is kept if still current. */
  async get(id: string, key: Bytes, read: () => Promise<Bytes | undefined>): Promise<Bytes | undefined> {
    const c = this.#cache(id);
    const k = Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1');
    if (c.entries.has(k)) return c.entries.get(k);
    const generation = c.generation;
    const value = await read();
    if (c.generation === generation) {
      if (c.entries.size >= this.maxEntries) c.entries.clear();
      c.entries.set(k, value);
    }
    return value;
  }

  /**
   * A whole collection through the cache: `read` runs on a miss, and its result is kept if still
   * current and at most `maxContentRows` entries long. Each caller gets its own copy (its list
   * and rows), so it may change what it got.
   */
  async contents(id: string, read: () => Promise<Change[]>): Promise<Change[]> {
    const c = this.#cache(id);
    if (c.contents) return copyChanges(c.contents);
    const generation = c.generation;
    const changes = await read();
    if (c.generation === generation && changes.length <= this.maxContentRows) c.contents = copyChanges(changes);
    return changes;
  }

  /** A tick changed the collection (call right after its batch is issued). */
  invalidate(id: string): void {
    const c = this.#collections.get(id);
    if (!c) return;
    c.generation++;
    c.entries.clear();
    c.contents = undefined;
  }
}

function copyChanges(changes: readonly Change[]): Change[] {
  return changes.map(([row, diff]): Change => [row.slice(), diff]);
}

/**
 * ViewErrorCounts: how many entries each materialized view's error collection holds, as of the
 * last commit, and so which views are erroring (a SELECT or SUBSCRIBE reading one fails with
 * its first error). Counted from the store at start, then moved by each tick's error deltas
 * (what `applyErrorChanges` returns per view).
 *
 * State: one count per erroring view, plus the set of their ids, replaced (never mutated) when
 * it changes, so a reader holding the set of one tick keeps it.
 */
import type { KvReader } from '../storage/kv-store.js';
import { countViewErrors } from './collections.js';

export class ViewErrorCounts {
  #counts = new Map<string, number>();
  #erroring: ReadonlySet<string> = new Set();

  /** Counts the views' stored error collections (at start). */
  async load(reader: KvReader): Promise<void> {
    this.#counts = await countViewErrors(reader);
    this.#erroring = new Set(this.#counts.keys());
  }

  /** The views whose error collection is not empty. */
  get erroring(): ReadonlySet<string> {
    return this.#erroring;
  }

  /** A view's error count. */
  count(id: string): number {
    return this.#counts.get(id) ?? 0;
  }

  /** Applies a tick's changes of the counts, by view. */
  note(deltas: ReadonlyMap<string, number>): void {
    if (deltas.size === 0) return;
    for (const [id, d] of deltas) {
      const n = (this.#counts.get(id) ?? 0) + d;
      if (n > 0) this.#counts.set(id, n);
      else this.#counts.delete(id);
    }
    this.#erroring = new Set(this.#counts.keys());
  }
}

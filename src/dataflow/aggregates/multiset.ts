/**
 * Multiset aggregate state: the per-group multiset of argument tuples, `valueKey → {vals,
 * diff}`. Hierarchical aggregates (min, max) and basic ones (string_agg, array_agg, jsonb_agg,
 * any DISTINCT aggregate) keep it; the Reduce operator persists each changed value entry.
 *
 * State: one entry per distinct argument tuple in the group; grows with the number of
 * distinct values of the group.
 */
import type { Datum } from '../../types/datum.js';

export interface MultisetEntry {
  vals: Datum[];
  diff: number;
}

export abstract class MultisetAgg {
  readonly values = new Map<string, MultisetEntry>();

  /** Adds `diff` copies of the tuple `vals` (keyed by `vk`); returns the entry's new diff. */
  add(vk: string, vals: Datum[], diff: number): number {
    let e = this.values.get(vk);
    if (e === undefined) {
      e = { vals, diff: 0 };
      this.values.set(vk, e);
    }
    const before = e.diff;
    e.diff += diff;
    if (e.diff === 0) this.values.delete(vk);
    this.changed(e, before);
    return e.diff;
  }

  /** Hook for incremental results: `e.diff` went from `before` to its current value. */
  protected changed(_e: MultisetEntry, _before: number): void {}

  abstract result(): Datum;
}

/** A multiset aggregate whose result is recomputed from the whole multiset (basic aggregates). */
export class BasicAgg extends MultisetAgg {
  constructor(readonly finish: (entries: Iterable<MultisetEntry>) => Datum) {
    super();
  }
  result(): Datum {
    return this.finish(this.values.values());
  }
}

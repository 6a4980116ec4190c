/**
 * min(x) / max(x): the hierarchical aggregates. The multiset of non-NULL values per group is
 * kept (see multiset.ts) so retractions are safe: when the current extreme is retracted, the
 * next one is found by a scan of the group's distinct values; inserts only compare with the
 * cached extreme.
 *
 * State: one multiset entry per distinct value in the group.
 */
import type { Datum } from '../../types/datum.js';
import { compareDatums } from '../../types/compare.js';
import { MultisetAgg, type MultisetEntry } from './multiset.js';

export class MinMaxAgg extends MultisetAgg {
  #best: Datum = null;
  #has = false;
  #stale = false;

  constructor(readonly max: boolean) {
    super();
  }

  #better(a: Datum, b: Datum): boolean {
    const c = compareDatums(a, b);
    return this.max ? c > 0 : c < 0;
  }

  protected override changed(e: MultisetEntry, before: number): void {
    const v = e.vals[0]!;
    if (before <= 0 && e.diff > 0) {
      if (!this.#stale && (!this.#has || this.#better(v, this.#best))) {
        this.#best = v;
        this.#has = true;
      }
    } else if (before > 0 && e.diff <= 0) {
      if (this.#has && compareDatums(v, this.#best) === 0) this.#stale = true;
    }
  }

  result(): Datum {
    if (this.#stale) {
      this.#stale = false;
      this.#has = false;
      this.#best = null;
      for (const e of this.values.values()) {
        if (e.diff <= 0) continue;
        const v = e.vals[0]!;
        if (!this.#has || this.#better(v, this.#best)) {
          this.#best = v;
          this.#has = true;
        }
      }
    }
    return this.#has ? this.#best : null;
  }
}

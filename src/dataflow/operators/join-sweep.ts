/**
 * TimeSweep: frees the rows of one side of an interval join (operators/join.ts) whose time is
 * below a bound the watermarks have passed, a bounded part of the arrangement per tick. When a
 * window's worth of rows dies at once (q7: every 10 s of event time, a million bids), freeing
 * them in one tick would make that tick as long as several (the scan, a delete per row, the
 * store's write of them); a pass instead visits at most a quarter of the join keys per tick
 * (at least SWEEP_MIN_BUCKETS), so it ends within four ticks (five, with the keys added meanwhile).
 *
 * Rows not yet freed stay correct: they are still in the arrangement, and the join's residual
 * (which holds the time bounds) rejects every pair they could form. A higher bound arriving
 * while a pass is under way restarts the pass with it (keys already visited are visited again).
 *
 * State: none of its own, only the pass's position (a Map iterator: keys added meanwhile are
 * visited too, keys deleted are skipped).
 */
import type { JoinBucket, JoinEntry } from './join-bucket.js';

const SWEEP_TICKS = 4;
const SWEEP_MIN_BUCKETS = 4096;

export class TimeSweep {
  readonly #arr: Map<string, JoinBucket>;
  readonly #column: number;
  readonly #free: (e: JoinEntry) => void;
  #below = -Infinity;
  /** Keys visited per tick: a quarter of those there when the pass started. */
  #perTick = SWEEP_MIN_BUCKETS;
  #it: Iterator<[string, JoinBucket]> | null = null;

  /** `free` is told about each row removed from the arrangement (to delete its stored entry). */
  constructor(arr: Map<string, JoinBucket>, column: number, free: (e: JoinEntry) => void) {
    this.#arr = arr;
    this.#column = column;
    this.#free = free;
  }

  /** Starts a pass freeing the rows whose time is below `below` (restarting one under way). */
  start(below: number): void {
    this.#below = below;
    this.#perTick = Math.max(SWEEP_MIN_BUCKETS, Math.ceil(this.#arr.size / SWEEP_TICKS));
    this.#it = this.#arr.entries();
  }

  get active(): boolean {
    return this.#it !== null;
  }

  /** Continues the pass under way, if any, by this tick's share of the keys. */
  step(): void {
    const it = this.#it;
    if (it === null) return;
    const arr = this.#arr;
    const col = this.#column;
    const below = this.#below;
    let budget = this.#perTick;
    for (let r = it.next(); ; r = it.next()) {
      if (r.done === true) {
        this.#it = null;
        return;
      }
      const [key, bucket] = r.value;
      for (const head of bucket.heads()) {
        for (let e: JoinEntry | null = head, next: JoinEntry | null; e !== null; e = next) {
          next = e.next;
          const t = e.row[col];
          if (typeof t !== 'number' || t >= below) continue;
          bucket.remove(e);
          this.#free(e);
        }
      }
      if (bucket.size === 0) arr.delete(key);
      if (--budget === 0) return;
    }
  }
}

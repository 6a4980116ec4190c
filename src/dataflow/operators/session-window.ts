/**
 * SessionWindow: SESSION windows. Per value of the partition key, the rows ordered by their
 * time column form sessions: maximal runs in which consecutive times differ by less than
 * `gap` (Flink: the windows [t, t + gap) of the rows merge where they overlap). Each row is
 * output with its session's bounds appended: window_start = the session's first time,
 * window_end = its last time + gap. A row with a NULL time belongs to no session and is dropped.
 *
 * A change can reshape sessions: a new row extends a session, or bridges two into one; a
 * retraction shortens one, or splits it in two. The operator then retracts the old annotated
 * rows of every session the changes touch and inserts the rows of the new sessions over the
 * same stretch of time; rows whose bounds did not change cancel out (the output is consolidated
 * per partition).
 *
 * State kept: every row of the open sessions with its accumulated diff, per partition
 * (`<partitionKey><rowKey>` → [row, diff] when persistent), indexed by time (a sorted array of
 * the distinct times). **It grows with the input** until the time column's watermark closes
 * sessions: a session whose window_end ≤ the watermark can never change again (a later row is
 * at least a gap after its last row), so its rows are deleted from memory and from the store,
 * and an empty partition is dropped. Without a watermark nothing is freed. A min-heap of the
 * partitions by the end of their earliest session finds the closed sessions without scanning
 * every partition. Per tick, a partition costs O(log n) per change plus the rows of the
 * sessions it touches (and an O(n) array splice for a time inserted out of order).
 *
 * Input: one change stream. Output: per partition changed this tick, the annotated rows of the
 * touched sessions, old retracted and new inserted (consolidated).
 *
 *   Δin ──▶ [per partition: sessions(old) −, apply Δ, sessions(new) +] ──▶ Δout
 *                          └── state: rows by time, freed by the watermark
 *
 * Watermarks: only window_end gets one, the time column's watermark W (every session a later
 * change can touch, old or new, ends after W). Other columns get none: re-annotating a session
 * re-emits its old rows with their old values.
 *
 * Example: partition #0, time #1, gap 10
 *   tick 1: [a, 0] +1, [a, 25] +1  → [a, 0, 0, 10] +1, [a, 25, 25, 35] +1
 *   tick 2: [a, 12] +1 (bridges)   → [a, 0, 0, 10] -1, [a, 25, 25, 35] -1,
 *                                    [a, 0, 0, 35] +1, [a, 12, 0, 35] +1, [a, 25, 0, 35] +1
 *   tick 3: [a, 12] -1 (splits)    → the reverse of tick 2
 */
import type { KvReader } from '../../storage/kv-store.js';
import type { Row } from '../../types/datum.js';
import { columnsKey, rowKey } from '../../types/row-key.js';
import { consolidate, type Change } from '../zset.js';
import type { Operator } from '../operator.js';
import type { OperatorState } from '../state.js';
import type { WatermarkStep, Watermarks } from '../watermark.js';
import { KeyedMinHeap } from '../keyed-min-heap.js';

export interface SessionWindowSpec {
  partitionKey: number[];
  timeColumn: number;
  inputArity: number;
  /** µs, positive. */
  gap: number;
}

interface Entry {
  row: Row;
  rk: string;
  diff: number;
}

interface Partition {
  /** Time → the rows at that time (each with a non-zero diff), by rowKey. */
  readonly slots: Map<number, Map<string, Entry>>;
  /** The keys of `slots`, ascending. */
  readonly times: number[];
}

export class SessionWindowOperator implements Operator {
  readonly #spec: SessionWindowSpec;
  readonly #state: OperatorState | null;
  readonly #partitions = new Map<string, Partition>();
  /** Partition key → the window_end of its earliest session. */
  readonly #closing = new KeyedMinHeap<string>();

  constructor(spec: SessionWindowSpec, state: OperatorState | null) {
    this.#spec = spec;
    this.#state = state;
  }

  async load(reader: KvReader): Promise<void> {
    if (!this.#state) return;
    for await (const [, value] of this.#state.entries(reader)) {
      const row = value[0] as Row;
      const pk = columnsKey(row, this.#spec.partitionKey);
      const part = this.#partition(pk);
      const t = row[this.#spec.timeColumn] as number;
      let slot = part.slots.get(t);
      if (slot === undefined) {
        part.slots.set(t, (slot = new Map()));
        part.times.push(t);
      }
      const rk = rowKey(row);
      slot.set(rk, { row, rk, diff: value[1] as number });
    }
    for (const [pk, part] of this.#partitions) {
      part.times.sort((a, b) => a - b);
      this.#closing.set(pk, this.#firstEnd(part));
    }
  }

  step(inputs: readonly Change[][]): Change[] {
    const input = inputs[0]!;
    if (input.length === 0) return [];
    const { partitionKey, timeColumn } = this.#spec;
    const byPartition = new Map<string, Change[]>();
    for (const c of input) {
      if (typeof c[0][timeColumn] !== 'number') continue; // NULL time: no session
      const pk = columnsKey(c[0], partitionKey);
      const l = byPartition.get(pk);
      if (l === undefined) byPartition.set(pk, [c]);
      else l.push(c);
    }
    const out: Change[] = [];
    for (const [pk, changes] of byPartition) {
      const part = this.#partition(pk);
      const regions = this.#touched(part.times, changes);
      const partOut: Change[] = [];
      for (const [lo, hi] of regions) this.#annotate(part, lo, hi, -1, partOut);
      this.#apply(pk, part, changes);
      for (const [lo, hi] of regions) this.#annotate(part, lo, hi, 1, partOut);
      for (const c of consolidate(partOut)) out.push(c);
      if (part.times.length === 0) {
        this.#partitions.delete(pk);
        this.#closing.delete(pk);
      } else this.#closing.set(pk, this.#firstEnd(part));
    }
    return out;
  }

  /**
   * Frees the sessions that the time column's watermark W closes (window_end ≤ W); says
   * window_end's watermark (W).
   */
  onWatermarks(inputs: readonly (Watermarks | undefined)[]): WatermarkStep {
    const w = inputs[0]?.get(this.#spec.timeColumn);
    if (w === undefined) return { emitted: [], watermarks: undefined };
    for (let top = this.#closing.peek(); top !== undefined && top[1] <= w; top = this.#closing.peek()) {
      const pk = top[0];
      const part = this.#partitions.get(pk)!;
      this.#freeClosed(pk, part, w);
      if (part.times.length === 0) {
        this.#partitions.delete(pk);
        this.#closing.delete(pk);
      } else this.#closing.set(pk, this.#firstEnd(part));
    }
    return { emitted: [], watermarks: new Map([[this.#spec.inputArity + 1, w]]) };
  }

  /** @internal For tests: how many rows (distinct, with their diffs) the state holds, and in how many partitions. */
  stateSize(): { rows: number; partitions: number } {
    let rows = 0;
    for (const part of this.#partitions.values()) for (const slot of part.slots.values()) rows += slot.size;
    return { rows, partitions: this.#partitions.size };
  }

  #partition(pk: string): Partition {
    let part = this.#partitions.get(pk);
    if (part === undefined) this.#partitions.set(pk, (part = { slots: new Map(), times: [] }));
    return part;
  }

  /**
   * The stretches of time [lo, hi] whose sessions the changes can reshape, ascending and
   * disjoint: each changed time, widened to the old sessions it lies in or within a gap of,
   * merged with the previous stretch when less than a gap apart. Every stretch holds whole
   * old sessions, and the new sessions over it stay inside it: outside, the nearest old time
   * and the nearest changed time are at least a gap away.
   */
  #touched(times: number[], changes: Change[]): [number, number][] {
    const gap = this.#spec.gap;
    const tc = this.#spec.timeColumn;
    const changed = [...new Set(changes.map((c) => c[0][tc] as number))].sort((a, b) => a - b);
    const n = times.length;
    const regions: [number, number][] = [];
    let walked = -1; // the highest index of `times` a rightward walk reached
    for (const t of changed) {
      const i = lowerBound(times, t);
      const prev = regions[regions.length - 1];
      let lo = t;
      let hi = t;
      if (!(prev && t - prev[1] < gap) && i > 0 && t - times[i - 1]! < gap) {
        let j = i - 1;
        while (j > 0 && times[j]! - times[j - 1]! < gap) j--;
        lo = times[j]!;
      }
      if (i < n && times[i]! - t < gap) {
        let j = Math.max(i, walked);
        while (j + 1 < n && times[j + 1]! - times[j]! < gap) j++;
        walked = j;
        hi = Math.max(hi, times[j]!);
      }
      if (prev && (t - prev[1] < gap || lo <= prev[1])) prev[1] = Math.max(prev[1], hi);
      else regions.push([lo, hi]);
    }
    return regions;
  }

  /** Appends every row with a time in [lo, hi], annotated with its session, with its diff × sign. */
  #annotate(part: Partition, lo: number, hi: number, sign: number, out: Change[]): void {
    const { times, slots } = part;
    const gap = this.#spec.gap;
    let i = lowerBound(times, lo);
    while (i < times.length && times[i]! <= hi) {
      let j = i;
      while (j + 1 < times.length && times[j + 1]! <= hi && times[j + 1]! - times[j]! < gap) j++;
      const start = times[i]!;
      const end = times[j]! + gap;
      for (let k = i; k <= j; k++) {
        for (const e of slots.get(times[k]!)!.values()) {
          const n = e.row.length;
          const row: Row = new Array(n + 2);
          for (let c = 0; c < n; c++) row[c] = e.row[c]!;
          row[n] = start;
          row[n + 1] = end;
          out.push([row, sign * e.diff]);
        }
      }
      i = j + 1;
    }
  }

  /** Adds the changes to the partition's rows, mirroring each changed entry into the store. */
  #apply(pk: string, part: Partition, changes: Change[]): void {
    const tc = this.#spec.timeColumn;
    const touched = new Map<string, Entry>();
    for (const [row, diff] of changes) {
      if (diff === 0) continue;
      const t = row[tc] as number;
      let slot = part.slots.get(t);
      if (slot === undefined) {
        part.slots.set(t, (slot = new Map()));
        part.times.splice(lowerBound(part.times, t), 0, t);
      }
      const rk = rowKey(row);
      let e = slot.get(rk);
      if (e === undefined) slot.set(rk, (e = { row, rk, diff: 0 }));
      e.diff += diff;
      touched.set(rk, e);
      if (e.diff === 0) {
        slot.delete(rk);
        if (slot.size === 0) {
          part.slots.delete(t);
          part.times.splice(lowerBound(part.times, t), 1);
        }
      }
    }
    if (this.#state) {
      for (const [rk, e] of touched) {
        if (e.diff === 0) this.#state.del(pk + rk);
        else this.#state.put(pk + rk, [e.row, e.diff]);
      }
    }
  }

  /** Deletes the partition's leading sessions that end at or before `w`. */
  #freeClosed(pk: string, part: Partition, w: number): void {
    const { times, slots } = part;
    const gap = this.#spec.gap;
    let cut = 0; // times[0 .. cut) are freed
    while (cut < times.length) {
      let j = cut;
      while (j + 1 < times.length && times[j + 1]! - times[j]! < gap) j++;
      if (times[j]! + gap > w) break;
      cut = j + 1;
    }
    for (let k = 0; k < cut; k++) {
      const t = times[k]!;
      if (this.#state) for (const rk of slots.get(t)!.keys()) this.#state.del(pk + rk);
      slots.delete(t);
    }
    times.splice(0, cut);
  }

  /** window_end of the partition's earliest session. */
  #firstEnd(part: Partition): number {
    const { times } = part;
    const gap = this.#spec.gap;
    let j = 0;
    while (j + 1 < times.length && times[j + 1]! - times[j]! < gap) j++;
    return times[j]! + gap;
  }
}

/** The first index whose time is ≥ t. */
function lowerBound(times: number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

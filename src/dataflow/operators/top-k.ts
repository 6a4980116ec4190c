/**
 * TopK: per group of the `groupKey` columns, the rows ranked by `order` (ties broken by the
 * row's key, so the ranking is deterministic), keeping ranks in (offset, offset + limit]. A row
 * with diff n occupies n consecutive ranks. With `rankColumn`, each kept copy gets its rank
 * appended as an int8 (row_number()). With `ranking` rank / dense_rank, rows equal on `order`
 * share one rank (rank() = 1 + the rows before the tie, dense_rank() = 1 + the distinct values
 * before it) and the kept ranks hold whole ties: `rank() … <= 1` keeps every row tied first.
 *
 * State kept: every input row with a non-zero accumulated diff, per group, in a SortedList
 * (sorted chunks; `<groupKey><rowKey>` → [row, diff] when persistent). **State grows with the input
 * collection, not with k**: a TopK over a table of n rows keeps all n rows (in memory and in
 * the store), because a retraction inside the window must be able to promote the next row.
 * Only a retraction of a row shrinks it; nothing is evicted. Per tick, each change costs
 * O(log g) plus a splice within one chunk of at most 1024 entries, and each changed group
 * O(offset + limit) to diff its window (g = the group's size).
 * (A bounded variant, keeping the top k + slack and rehydrating from the input on underflow,
 * is future work.)
 *
 * Input: one change stream. Output: per group changed this tick, the old window retracted and
 * the new one inserted (consolidated per group, so unchanged rows produce nothing).
 *
 *   Δin ──▶ [group, sorted insert] ──▶ [window(old) −, window(new) +] ──▶ Δout
 *
 * Example: ORDER BY #0 LIMIT 1     tick 1: [3] +1, [5] +1 → [3] +1
 *                                  tick 2: [3] -1        → [3] -1, [5] +1
 */
import type { KvReader } from '../../storage/kv-store.js';
import type { Datum, Row } from '../../types/datum.js';
import { columnsKey, rowKey } from '../../types/row-key.js';
import { compareNullable } from '../../types/compare.js';
import { consolidate, type Change } from '../zset.js';
import { pushError, type Operator, type Tick } from '../operator.js';
import type { OperatorState } from '../state.js';
import type { CompiledSortKey } from '../scalar-fn.js';
import { SortedList } from '../sorted-list.js';
import type { WatermarkStep, Watermarks } from '../watermark.js';

export interface TopKSpec {
  groupKey: number[];
  order: CompiledSortKey[];
  limit: number | null;
  offset: number;
  rankColumn: boolean;
  /** rank() / dense_rank(): rows equal on `order` share a rank, and a limit keeps whole ties. Default row_number(). */
  ranking?: 'row_number' | 'rank' | 'dense_rank';
}

interface Entry {
  row: Row;
  rk: string;
  sort: Datum[];
  diff: number;
}

export class TopKOperator implements Operator {
  readonly #spec: TopKSpec;
  readonly #state: OperatorState | null;
  readonly #groups = new Map<string, SortedList<Entry>>();

  constructor(spec: TopKSpec, state: OperatorState | null) {
    this.#spec = spec;
    this.#state = state;
  }

  #compare = (a: Entry, b: Entry): number => {
    const c = this.#compareSort(a, b);
    if (c !== 0) return c;
    return a.rk < b.rk ? -1 : a.rk > b.rk ? 1 : 0;
  };

  /** The order of the sort values alone (0: a tie). */
  #compareSort(a: Entry, b: Entry): number {
    const order = this.#spec.order;
    for (let i = 0; i < order.length; i++) {
      const o = order[i]!;
      const av = a.sort[i]!;
      const bv = b.sort[i]!;
      const c = compareNullable(av, bv, o.nullsFirst);
      if (c !== 0) return o.desc && av !== null && bv !== null ? -c : c;
    }
    return 0;
  }

  #sortValues(row: Row): Datum[] {
    const order = this.#spec.order;
    const s: Datum[] = new Array(order.length);
    for (let i = 0; i < order.length; i++) s[i] = order[i]!.fn(row);
    return s;
  }

  async load(reader: KvReader): Promise<void> {
    if (!this.#state) return;
    const loaded = new Map<string, Entry[]>();
    for await (const [, value] of this.#state.entries(reader)) {
      const row = value[0] as Row;
      const gk = columnsKey(row, this.#spec.groupKey);
      let list = loaded.get(gk);
      if (list === undefined) loaded.set(gk, (list = []));
      list.push({ row, rk: rowKey(row), sort: this.#sortValues(row), diff: value[1] as number });
    }
    for (const [gk, list] of loaded) this.#groups.set(gk, SortedList.fromSorted(list.sort(this.#compare), this.#compare));
  }

  step(inputs: readonly Change[][], tick: Tick): Change[] {
    const input = inputs[0]!;
    if (input.length === 0) return [];
    const byGroup = new Map<string, Change[]>();
    for (const c of input) {
      const gk = columnsKey(c[0], this.#spec.groupKey);
      const l = byGroup.get(gk);
      if (l === undefined) byGroup.set(gk, [c]);
      else l.push(c);
    }
    const out: Change[] = [];
    for (const [gk, changes] of byGroup) {
      let list = this.#groups.get(gk);
      if (list === undefined) this.#groups.set(gk, (list = new SortedList(this.#compare)));
      const groupOut = this.#window(list, -1);
      const touched = new Map<string, Entry>();
      for (const [row, diff] of changes) {
        let sort: Datum[];
        try {
          sort = this.#sortValues(row);
        } catch (e) {
          pushError(tick, e, diff);
          continue;
        }
        const probe: Entry = { row, rk: rowKey(row), sort, diff: 0 };
        const e = this.#upsert(list, probe, diff);
        touched.set(e.rk, e);
      }
      for (const c of this.#window(list, 1)) groupOut.push(c);
      for (const c of consolidate(groupOut)) out.push(c);
      if (list.size === 0) this.#groups.delete(gk);
      if (this.#state) {
        for (const [rk, e] of touched) {
          if (e.diff === 0) this.#state.del(gk + rk);
          else this.#state.put(gk + rk, [e.row, e.diff]);
        }
      }
    }
    return out;
  }

  /** Adds `diff` to the entry equal to `probe` (inserting it in order); removes it at zero. */
  #upsert(list: SortedList<Entry>, probe: Entry, diff: number): Entry {
    let e = list.find(probe);
    if (e === undefined) {
      e = probe;
      list.insert(e);
    }
    e.diff += diff;
    if (e.diff === 0) list.remove(e);
    return e;
  }

  /** The kept ranks of a group, with each change's diff multiplied by `sign`. */
  #window(list: SortedList<Entry>, sign: number): Change[] {
    const { offset, limit, rankColumn, ranking } = this.#spec;
    const end = limit === null ? Infinity : offset + limit;
    if (ranking === 'rank' || ranking === 'dense_rank') return this.#tiedWindow(list, sign, offset, end);
    const out: Change[] = [];
    let pos = 0; // ranks used so far
    for (const e of list) {
      if (pos >= end) break;
      if (e.diff <= 0) continue;
      const first = Math.max(pos, offset); // 0-based first kept rank of this entry
      const last = Math.min(pos + e.diff, end); // exclusive
      if (last > first) {
        if (!rankColumn) out.push([e.row, sign * (last - first)]);
        else for (let r = first; r < last; r++) out.push([[...e.row, BigInt(r + 1)], sign]);
      }
      pos += e.diff;
    }
    return out;
  }

  /**
   * rank() / dense_rank(): an entry's rank is that of the first entry it ties with (1 + the rows
   * before it, or 1 + the distinct sort values before it); entries with ranks in (offset, end]
   * are kept, all copies of a row alike.
   */
  #tiedWindow(list: SortedList<Entry>, sign: number, offset: number, end: number): Change[] {
    const dense = this.#spec.ranking === 'dense_rank';
    const out: Change[] = [];
    let pos = 0; // rows before the entry
    let rank = 0;
    let prev: Entry | undefined;
    for (const e of list) {
      if (e.diff <= 0) continue;
      if (prev === undefined || this.#compareSort(prev, e) !== 0) {
        rank = dense ? rank + 1 : pos + 1;
        prev = e;
      }
      if (rank > end) break;
      if (rank > offset) out.push(this.#spec.rankColumn ? [[...e.row, BigInt(rank)], sign * e.diff] : [e.row, sign * e.diff]);
      pos += e.diff;
    }
    return out;
  }

  /** Group key columns keep their watermarks (other output values can come from older rows). */
  onWatermarks(inputs: readonly (Watermarks | undefined)[]): WatermarkStep {
    const wms = inputs[0];
    if (!wms) return { emitted: [], watermarks: undefined };
    let out: Map<number, number> | undefined;
    for (const c of this.#spec.groupKey) {
      const w = wms.get(c);
      if (w !== undefined) (out ??= new Map()).set(c, w);
    }
    return { emitted: [], watermarks: out };
  }
}

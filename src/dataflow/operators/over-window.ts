/**
 * OverWindow: window functions over frames (`avg(x) OVER (PARTITION BY p ORDER BY t ROWS
 * BETWEEN 10 PRECEDING AND CURRENT ROW)`, row_number(), lag()…). Per partition of the
 * `partitionKey` columns, the rows sorted by `order` (ties broken by the row's key, so ROWS
 * frames and row_number() are deterministic); every input row is output with one value per
 * call appended, as Postgres computes it (window-frame-eval.ts). A row with diff n is n rows.
 *
 * State kept: every input row with a non-zero accumulated diff, per partition, in ORDER BY
 * order, with the output values last computed for it (`<partitionKey><rowKey>` → [row, diff]
 * when persistent; the values are recomputed at load). **State grows with the input
 * collection**: a window over a table of n rows keeps all n rows, since any of them can be in
 * a later row's frame. Only retractions shrink it.
 *
 * Incremental rule: a tick's changes to a partition are applied to its sorted rows (spliced in
 * one by one, or merged when there are many), giving the changed region [L, H): every row
 * inserted, and the row after every row removed. The rows whose values can differ are those
 * whose frame or offset reaches the region (window-reach.ts): for bounded ROWS frames and
 * lag / lead only a neighbourhood (L − following … H − 1 + preceding); for frames starting
 * UNBOUNDED PRECEDING and for row_number / rank / dense_rank, everything from L on; for frames
 * ending UNBOUNDED FOLLOWING, from the partition's start; RANGE peers add the peer groups at
 * the region's edges; percent_rank / cume_dist / ntile and RANGE / GROUPS offsets: the whole
 * partition. Those rows are recomputed and only the ones whose values changed are output (old
 * row retracted, new inserted); removed rows retract their last output. Cost per changed
 * partition: O(log g + g) for the splice (g = its rows), plus the recomputed rows.
 *
 * Input: one change stream. Output: the changes above; watermarks (`onWatermarks`): the
 * partition key's, and with `close` the ORDER BY column's as far as rows are final, which is
 * what EMIT ON WINDOW CLOSE over a window releases rows by.
 *
 *   Δin ──▶ [partition, sorted insert/remove] ──▶ [recompute affected rows] ──▶ Δout (old −, new +)
 *
 * Example: sum(#1) OVER (ORDER BY #0 ROWS 1 PRECEDING)
 *   tick 1: [1, 10] +1, [3, 30] +1 → [1, 10, 10] +1, [3, 30, 40] +1
 *   tick 2: [2, 20] +1             → [2, 20, 30] +1, [3, 30, 40] -1, [3, 30, 50] +1
 */
import type { KvReader } from '../../storage/kv-store.js';
import type { Datum, Row } from '../../types/datum.js';
import { compareDatums, compareNullable } from '../../types/compare.js';
import { columnsKey, datumKeysEqual, rowKey } from '../../types/row-key.js';
import { Numeric } from '../../types/numeric.js';
import { SqlError } from '../../types/sql-error.js';
import { consolidate, type Change } from '../zset.js';
import { pushError, type ErrorValue, type Operator, type Tick } from '../operator.js';
import type { OperatorState } from '../state.js';
import type { CompiledSortKey, ScalarFn } from '../scalar-fn.js';
import type { WatermarkStep, Watermarks } from '../watermark.js';
import { evaluateRange, nonNullRange, peerGroups, type EvalCall, type EvalRow, type PartitionView, type PeerGroups } from '../window-frame-eval.js';
import { affectedRows, reachOf, type Reach } from '../window-reach.js';

/** Up to this many changed rows in a partition are spliced in one by one; more are merged. */
const SPLICE_LIMIT = 16;

export interface OverWindowCall extends EvalCall {
  /** Evaluated per row: the value (and lag / lead's default). */
  args: ScalarFn[];
  filter: ScalarFn | null;
  /** RANGE offset bounds: [start, end] ORDER BY values from the row (null: that bound has no offset). */
  rangeBounds?: [ScalarFn | null, ScalarFn | null];
}

/** A RANGE bound's value; one that overflows (a SqlError) reaches the partition's edge, as Postgres's in_range does. */
function rangeValue(f: ScalarFn, row: Row): Datum | undefined {
  try {
    return f(row);
  } catch (e) {
    if (e instanceof SqlError) return undefined;
    throw e;
  }
}

export interface OverWindowSpec {
  partitionKey: number[];
  order: CompiledSortKey[];
  calls: OverWindowCall[];
  /**
   * The first ORDER BY key is input column `column` (ascending, NULLs last), whose watermark
   * the window passes on: a row is final once the row `after` places later is below it.
   */
  close?: { column: number; after: number } | null;
}

interface Slot extends EvalRow {
  row: Row;
  rk: string;
  sort: Datum[];
  /** The values last output for this copy of the row (undefined: not yet computed). */
  out?: Datum[] | ErrorValue;
}

interface Partition {
  slots: Slot[];
  /** Accumulated diff per row key (may be negative: then the row has no slots). */
  diffs: Map<string, number>;
}

export class OverWindowOperator implements Operator {
  readonly #spec: OverWindowSpec;
  readonly #state: OperatorState | null;
  readonly #partitions = new Map<string, Partition>();
  /** The ORDER BY column's output watermark so far (`close`). */
  #closed = -Infinity;
  /** How far an affected region reaches: rows before it (`back`) and after it (`ahead`); Infinity = to the partition's edge. */
  readonly #reach: Reach;

  constructor(spec: OverWindowSpec, state: OperatorState | null) {
    this.#spec = spec;
    this.#state = state;
    this.#reach = reachOf(spec.calls);
  }

  #compareSort(a: Datum[], b: Datum[]): number {
    const order = this.#spec.order;
    for (let i = 0; i < order.length; i++) {
      const o = order[i]!;
      const av = a[i]!;
      const bv = b[i]!;
      const c = compareNullable(av, bv, o.nullsFirst);
      if (c !== 0) return o.desc && av !== null && bv !== null ? -c : c;
    }
    return 0;
  }

  #compare(a: Slot, b: { sort: Datum[]; rk: string }): number {
    const c = this.#compareSort(a.sort, b.sort);
    if (c !== 0) return c;
    return a.rk < b.rk ? -1 : a.rk > b.rk ? 1 : 0;
  }

  /** A slot for `row` (sort values, argument values, filters); throws a SqlError on bad data. */
  #slot(row: Row, rk: string): Slot {
    const sort = this.#spec.order.map((o) => o.fn(row));
    const args = this.#spec.calls.map((c) => c.args.map((f) => f(row)));
    const pass = this.#spec.calls.map((c) => (c.filter ? c.filter(row) === true : true));
    const bounds = this.#spec.calls.map((c) => (c.rangeBounds ? c.rangeBounds.map((f) => (f ? rangeValue(f, row) : null)) : []));
    return { row, rk, sort, args, pass, bounds };
  }

  #lowerBound(slots: Slot[], probe: { sort: Datum[]; rk: string }): number {
    let lo = 0;
    let hi = slots.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#compare(slots[mid]!, probe) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  async load(reader: KvReader): Promise<void> {
    if (!this.#state) return;
    for await (const [, value] of this.#state.entries(reader)) {
      const row = value[0] as Row;
      const diff = value[1] as number;
      const gk = columnsKey(row, this.#spec.partitionKey);
      let part = this.#partitions.get(gk);
      if (part === undefined) this.#partitions.set(gk, (part = { slots: [], diffs: new Map() }));
      const rk = rowKey(row);
      part.diffs.set(rk, diff);
      if (diff <= 0) continue;
      let slot: Slot;
      try {
        slot = this.#slot(row, rk);
      } catch {
        continue; // it could be evaluated when it was stored
      }
      for (let i = 0; i < diff; i++) part.slots.push(i === 0 ? slot : { ...slot });
    }
    for (const part of this.#partitions.values()) {
      part.slots.sort((a, b) => this.#compare(a, b));
      if (part.slots.length > 0) this.#recompute(part, 0, part.slots.length - 1, null);
    }
  }

  step(inputs: readonly Change[][], tick: Tick): Change[] {
    const input = inputs[0]!;
    if (input.length === 0) return [];
    const byPartition = new Map<string, Change[]>();
    for (const c of input) {
      const gk = columnsKey(c[0], this.#spec.partitionKey);
      const l = byPartition.get(gk);
      if (l === undefined) byPartition.set(gk, [c]);
      else l.push(c);
    }
    const out: Change[] = [];
    for (const [gk, changes] of byPartition) {
      let part = this.#partitions.get(gk);
      if (part === undefined) this.#partitions.set(gk, (part = { slots: [], diffs: new Map() }));
      const partOut: Change[] = [];
      const region = this.#apply(gk, part, changes, partOut, tick);
      if (region && part.slots.length > 0) {
        const [from, to] = this.#affected(part, region[0], Math.min(region[1], part.slots.length));
        if (from <= to) this.#recompute(part, from, to, partOut, tick);
      }
      for (const c of consolidate(partOut)) out.push(c);
      if (part.diffs.size === 0) this.#partitions.delete(gk);
    }
    return out;
  }

  /**
   * Applies a partition's changes to its sorted rows (retracting the output of removed copies
   * into `out`) and persists the diffs; returns the changed region [L, H), or null. A few
   * changes are spliced in one by one; many (a one-shot SELECT's slices, a large batch) are
   * sorted and merged with the partition in one pass.
   */
  #apply(gk: string, part: Partition, changes: Change[], out: Change[], tick: Tick): [number, number] | null {
    const net = new Map<string, { row: Row; diff: number }>();
    for (const [row, diff] of changes) {
      if (diff === 0) continue;
      const rk = rowKey(row);
      const e = net.get(rk);
      if (e) e.diff += diff;
      else net.set(rk, { row, diff });
    }
    const edits: { probe: Slot; delta: number }[] = [];
    for (const [rk, { row, diff }] of net) {
      if (diff === 0) continue;
      let probe: Slot;
      try {
        probe = this.#slot(row, rk);
      } catch (e) {
        pushError(tick, e, diff);
        continue;
      }
      const d0 = part.diffs.get(rk) ?? 0;
      const d1 = d0 + diff;
      if (d1 === 0) part.diffs.delete(rk);
      else part.diffs.set(rk, d1);
      if (this.#state) {
        if (d1 === 0) this.#state.del(gk + rk);
        else this.#state.put(gk + rk, [row, d1]);
      }
      const delta = Math.max(d1, 0) - Math.max(d0, 0);
      if (delta !== 0) edits.push({ probe, delta });
    }
    if (edits.length === 0) return null;
    return edits.length > SPLICE_LIMIT ? this.#merge(part, edits, out, tick) : this.#splice(part, edits, out, tick);
  }

  #splice(part: Partition, edits: { probe: Slot; delta: number }[], out: Change[], tick: Tick): [number, number] {
    let lo = Infinity;
    let hi = -Infinity;
    for (const { probe, delta } of edits) {
      const at = this.#lowerBound(part.slots, probe);
      if (delta > 0) {
        const copies: Slot[] = [probe];
        for (let k = 1; k < delta; k++) copies.push({ ...probe });
        part.slots.splice(at, 0, ...copies);
        if (hi > at) hi += delta;
        hi = Math.max(hi, at + delta);
      } else {
        const removed = part.slots.splice(at, -delta);
        for (const s of removed) this.#emit(s, -1, out, tick);
        if (hi > at) hi = Math.max(at, hi + delta);
        hi = Math.max(hi, at + 1);
      }
      lo = Math.min(lo, at);
    }
    return [lo, hi];
  }

  #merge(part: Partition, edits: { probe: Slot; delta: number }[], out: Change[], tick: Tick): [number, number] {
    const old = part.slots;
    const removed = new Uint8Array(old.length);
    const inserts: Slot[] = [];
    for (const { probe, delta } of edits) {
      if (delta > 0) for (let k = 0; k < delta; k++) inserts.push(k === 0 ? probe : { ...probe });
      else {
        const at = this.#lowerBound(old, probe);
        for (let k = 0; k < -delta; k++) removed[at + k] = 1;
      }
    }
    inserts.sort((a, b) => this.#compare(a, b));
    const next: Slot[] = [];
    let lo = Infinity;
    let hi = -Infinity;
    let i = 0;
    let j = 0;
    while (i < old.length || j < inserts.length) {
      if (i < old.length && removed[i] === 1) {
        this.#emit(old[i++]!, -1, out, tick);
        lo = Math.min(lo, next.length);
        hi = Math.max(hi, next.length + 1);
      } else if (j < inserts.length && (i >= old.length || this.#compare(inserts[j]!, old[i]!) < 0)) {
        lo = Math.min(lo, next.length);
        next.push(inserts[j++]!);
        hi = Math.max(hi, next.length);
      } else next.push(old[i++]!);
    }
    part.slots = next;
    return [lo, hi];
  }

  /** The rows whose values a change in [lo, hi) can affect, as [from, to] (inclusive). */
  #affected(part: Partition, lo: number, hi: number): [number, number] {
    return affectedRows(this.#view(part.slots), this.#reach, lo, hi);
  }

  /** Recomputes rows from..to; with `out`, outputs the changes of those whose values changed. */
  #recompute(part: Partition, from: number, to: number, out: Change[] | null, tick?: Tick): void {
    const view = this.#view(part.slots);
    const values = evaluateRange(view, this.#spec.calls, from, to);
    for (let i = from; i <= to; i++) {
      const s = part.slots[i]!;
      const v = values[i - from]!;
      if (s.out !== undefined && sameValues(s.out, v)) continue;
      if (out && s.out !== undefined) this.#emit(s, -1, out, tick!);
      s.out = v;
      if (out) this.#emit(s, 1, out, tick!);
    }
  }

  #view(slots: Slot[]): PartitionView {
    const first = this.#spec.order[0];
    let nonNull: [number, number] | undefined;
    let groups: PeerGroups | undefined;
    const view: PartitionView = {
      length: slots.length,
      row: (i) => slots[i]!,
      peers: (i, j) => this.#compareSort(slots[i]!.sort, slots[j]!.sort) === 0,
      keyIsNull: (i) => slots[i]!.sort[0] === null,
      compareKey: (j, value) => {
        const key = slots[j]!.sort[0]!;
        const c = compareNullable(key, value, first!.nullsFirst);
        return first!.desc && key !== null && value !== null ? -c : c;
      },
      nonNull: () => (nonNull ??= nonNullRange(view, first?.nullsFirst ?? false)),
      groups: () => (groups ??= peerGroups(view)),
    };
    return view;
  }

  #emit(s: Slot, diff: number, out: Change[], tick: Tick): void {
    const v = s.out;
    if (v === undefined) return;
    if (Array.isArray(v)) out.push([[...s.row, ...v], diff]);
    else tick.errs.push([v, diff]);
  }

  /**
   * Partition key columns keep their watermarks (a changed partition's rows are re-output, so
   * other columns can carry old values). With `close`, the ORDER BY column's watermark is passed
   * on as far as rows are final: the key of the earliest row, over all partitions, whose row
   * `after` places later is missing or not below the input's watermark.
   */
  onWatermarks(inputs: readonly (Watermarks | undefined)[]): WatermarkStep {
    const wms = inputs[0];
    if (!wms) return { emitted: [], watermarks: undefined };
    let out: Map<number, number> | undefined;
    for (const c of this.#spec.partitionKey) {
      const w = wms.get(c);
      if (w !== undefined) (out ??= new Map()).set(c, w);
    }
    const close = this.#spec.close;
    const w = close ? wms.get(close.column) : undefined;
    if (close && w !== undefined) {
      let final = w;
      for (const part of this.#partitions.values()) {
        const slots = part.slots;
        // The first row not below the watermark (NULL keys sort last and never are).
        let lo = 0;
        let hi = slots.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          const k = slots[mid]!.sort[0]!;
          if (k !== null && compareDatums(k, w) < 0) lo = mid + 1;
          else hi = mid;
        }
        const open = lo - close.after; // rows before `open` are final
        if (open < slots.length) {
          const k = slots[Math.max(open, 0)]!.sort[0]!;
          if (k === null) continue;
          if (typeof k === 'number' && k < final) final = k;
        }
      }
      this.#closed = Math.max(this.#closed, final);
      (out ??= new Map()).set(close.column, this.#closed);
    }
    return { emitted: [], watermarks: out };
  }
}



/** Equal values, numerics also equal in scale (1.0 and 1.00 print differently). */
function sameValues(a: Datum[] | ErrorValue, b: Datum[] | ErrorValue): boolean {
  if (!Array.isArray(a) || !Array.isArray(b)) return !Array.isArray(a) && !Array.isArray(b) && a.code === b.code && a.message === b.message;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (!datumKeysEqual(x, y)) return false;
    if (x instanceof Numeric && y instanceof Numeric && x.toString() !== y.toString()) return false;
    if (typeof x === 'number' && typeof y === 'number' && Object.is(x, -0) !== Object.is(y, -0)) return false;
  }
  return true;
}

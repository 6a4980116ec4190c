/**
 * The shared core of Distinct and Threshold: integrate the input per distinct row (its
 * accumulated diff) and output, per row touched this tick, `f(new diff) - f(old diff)` for
 * the operator's output function f.
 *
 * State kept: one entry per distinct row with a non-zero accumulated diff: `rowKey → [row,
 * diff]`. Grows with the number of distinct rows of the input collection.
 */
import type { KvReader } from '../../storage/kv-store.js';
import type { Row } from '../../types/datum.js';
import { rowKey } from '../../types/row-key.js';
import type { Change } from '../zset.js';
import type { Operator } from '../operator.js';
import type { OperatorState } from '../state.js';
import type { WatermarkStep, Watermarks } from '../watermark.js';

interface Entry {
  row: Row;
  diff: number;
}

export abstract class RowMultiplicityOperator implements Operator {
  readonly #state: OperatorState | null;
  readonly #rows = new Map<string, Entry>();
  #freedBelow: Watermarks = new Map();

  constructor(state: OperatorState | null) {
    this.#state = state;
  }

  /** The output diff of a row whose accumulated input diff is `diff`. */
  protected abstract outputDiff(diff: number): number;

  async load(reader: KvReader): Promise<void> {
    if (!this.#state) return;
    for await (const [key, value] of this.#state.entries(reader)) {
      this.#rows.set(key, { row: value[0] as Row, diff: value[1] as number });
    }
  }

  step(inputs: readonly Change[][]): Change[] {
    const input = inputs[0]!;
    if (input.length === 0) return [];
    const rows = this.#rows;
    /** Touched rows: key → diff before this tick. */
    const before = new Map<string, number>();
    const touched: [string, Entry][] = [];
    for (let i = 0; i < input.length; i++) {
      const [row, diff] = input[i]!;
      const k = rowKey(row);
      let e = rows.get(k);
      if (e === undefined) {
        e = { row, diff: 0 };
        rows.set(k, e);
      }
      if (!before.has(k)) {
        before.set(k, e.diff);
        touched.push([k, e]);
      }
      e.diff += diff;
    }
    const out: Change[] = [];
    const state = this.#state;
    for (const [k, e] of touched) {
      const d = this.outputDiff(e.diff) - this.outputDiff(before.get(k)!);
      if (d !== 0) out.push([e.row, d]);
      if (e.diff === 0) {
        rows.delete(k);
        if (state && before.get(k) !== 0) state.del(k);
      } else if (state && e.diff !== before.get(k)) {
        state.put(k, [e.row, e.diff]);
      }
    }
    return out;
  }

  /**
   * Output rows are input rows, so the input's watermarks hold for the output. A row below a
   * watermark can never change again: its entry is freed.
   */
  onWatermarks(inputs: readonly (Watermarks | undefined)[]): WatermarkStep {
    const wms = inputs[0];
    if (!wms || wms.size === 0) return { emitted: [], watermarks: undefined };
    let advanced = false;
    for (const [c, w] of wms) if (w > (this.#freedBelow.get(c) ?? -Infinity)) advanced = true;
    if (advanced) {
      const state = this.#state;
      for (const [k, e] of this.#rows) {
        for (const [c, w] of wms) {
          const v = e.row[c];
          if (typeof v === 'number' && v < w) {
            this.#rows.delete(k);
            if (state) state.del(k);
            break;
          }
        }
      }
      this.#freedBelow = new Map(wms);
    }
    return { emitted: [], watermarks: wms };
  }
}

/**
 * FlatMap: set-returning functions in a select list (Postgres's ProjectSet). Each compiled
 * expression gives an array per row; the row is output once per element of the longest
 * array, with one column per expression appended: that array's element at the position, or
 * NULL past its end ("zip to the longest", Postgres 10+). A NULL array has no elements; a
 * row whose arrays are all empty is not output.
 *
 * State kept: none.
 *
 * Input: one change stream. Output: `[row ++ [a₁[i], …, aₙ[i]], diff]` for i below the
 * longest array's length. An expression that throws a SqlError emits `[error, diff]` instead.
 *
 *   Δin ──▶ [flat-map: one copy per element] ──▶ Δout
 *                     └──▶ errs
 *
 * Watermarks: input columns keep theirs; the appended columns carry none.
 *
 * Example: exprs=[generate_series(1, #0)]
 *   in:  [2] +1, [1] -1          out: [2, 1] +1, [2, 2] +1, [1, 1] -1
 */
import type { Datum, Row } from '../../types/datum.js';
import type { Change } from '../zset.js';
import { StatelessOperator, pushError, type Tick } from '../operator.js';
import type { ScalarFn } from '../scalar-fn.js';
import type { WatermarkStep, Watermarks } from '../watermark.js';

/** Appends the zipped elements of `fns`' arrays to `row`, one output row per position, into `out`. */
export function flatMapRow(row: Row, diff: number, fns: readonly ScalarFn[], out: Change[]): void {
  const arrays: (readonly Datum[] | null)[] = new Array(fns.length);
  let n = 0;
  for (let k = 0; k < fns.length; k++) {
    const a = fns[k]!(row) as readonly Datum[] | null;
    arrays[k] = a;
    if (a !== null && a.length > n) n = a.length;
  }
  for (let i = 0; i < n; i++) {
    const o = row.slice();
    for (let k = 0; k < arrays.length; k++) {
      const a = arrays[k];
      o.push(a !== null && a !== undefined && i < a.length ? (a[i] ?? null) : null);
    }
    out.push([o, diff]);
  }
}

export class FlatMapOperator extends StatelessOperator {
  readonly #fns: readonly ScalarFn[];

  constructor(fns: readonly ScalarFn[]) {
    super();
    this.#fns = fns;
  }

  step(inputs: readonly Change[][], tick: Tick): Change[] {
    const out: Change[] = [];
    for (const [row, diff] of inputs[0]!) {
      try {
        flatMapRow(row, diff, this.#fns, out);
      } catch (e) {
        pushError(tick, e, diff);
      }
    }
    return out;
  }

  onWatermarks(inputs: readonly (Watermarks | undefined)[]): WatermarkStep {
    const wms = inputs[0];
    return { emitted: [], watermarks: wms && wms.size > 0 ? new Map(wms) : undefined };
  }
}

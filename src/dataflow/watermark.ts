/**
 * Watermarks inside a dataflow (DESIGN §3). A collection's watermarks say, per column, an
 * event time (integer microseconds, the representation of timestamp datums) below which no
 * future change will carry that column's value: "no row with column c < w will be inserted or
 * retracted any more". Sources produce them for their WATERMARK column (late rows are split off
 * before they enter, so the promise holds); operators derive their output's watermarks from
 * their inputs' in `Operator.onWatermarks`, and free the state a watermark closes.
 *
 * A watermark only moves forward. Columns without an entry have no watermark.
 */
import type { Change } from './zset.js';

/** Column index → watermark (µs). */
export type Watermarks = ReadonlyMap<number, number>;

/** What an operator does when its inputs' watermarks are known for the tick. */
export interface WatermarkStep {
  /** Changes released by the watermark (EMIT ON WINDOW CLOSE), appended to the tick's output. */
  emitted: Change[];
  /** The output's watermarks; undefined = none. */
  watermarks: Watermarks | undefined;
}

export const noWatermarkStep: WatermarkStep = { emitted: [], watermarks: undefined };

/** The columns' minimum over several inputs: a column has a watermark only if every input has one. */
export function minWatermarks(inputs: readonly (Watermarks | undefined)[]): Watermarks | undefined {
  if (inputs.length === 0) return undefined;
  let out: Map<number, number> | undefined;
  const first = inputs[0];
  if (!first) return undefined;
  for (const [col, w] of first) {
    let m = w;
    let all = true;
    for (let i = 1; i < inputs.length; i++) {
      const v = inputs[i]?.get(col);
      if (v === undefined) {
        all = false;
        break;
      }
      if (v < m) m = v;
    }
    if (all) (out ??= new Map()).set(col, m);
  }
  return out;
}

/** Keeps the input watermarks of the listed columns, renumbered by position: output column i ← input column cols[i]. */
export function projectWatermarks(wms: Watermarks | undefined, cols: readonly number[]): Watermarks | undefined {
  if (!wms || wms.size === 0) return undefined;
  let out: Map<number, number> | undefined;
  for (let i = 0; i < cols.length; i++) {
    const w = wms.get(cols[i]!);
    if (w !== undefined) (out ??= new Map()).set(i, w);
  }
  return out;
}

/** True when the two are equal (same columns, same values). */
export function sameWatermarks(a: Watermarks | undefined, b: Watermarks | undefined): boolean {
  if ((a?.size ?? 0) !== (b?.size ?? 0)) return false;
  if (!a || !b) return true;
  for (const [c, w] of a) if (b.get(c) !== w) return false;
  return true;
}

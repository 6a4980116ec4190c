/**
 * MapFilterProject: the fused linear operator (Materialize's MapFilterProject). For each input
 * row it appends the `exprs` (each may read earlier ones), keeps the row only if every
 * predicate is true, and outputs the `projection` columns of the extended row. Predicates
 * run as early as their inputs allow (`after` = how many exprs must exist first), so an expr
 * is never evaluated for a row an earlier predicate dropped.
 *
 * State kept: none.
 *
 * Input: one change stream. Output: `[project(extend(row)), diff]` for rows passing every
 * predicate. An expression or predicate that throws a SqlError emits `[error, diff]` instead.
 *
 *   Δin ──▶ [map · filter · project] ──▶ Δout
 *                     └──▶ errs
 *
 * Example: exprs=[#0*2], predicates=[#1 > 2 after 1], projection=[1]
 *   in:  [1] +1, [2] +1, [3] -1      out: [4] +1, [6] -1
 *
 * Watermarks: an output column that is an input column keeps its watermark; an expr that the
 * plan marked monotone in a column (`monotone`) gets the expr evaluated on that column's
 * watermark (e.g. window_start = tumble_start(ts) carries tumble_start(W)). An expr marked
 * monotone in the clock (CLOCK: the processing time, PROCTIME()) carries the expr evaluated at
 * the tick's time, with or without input watermarks: rows stamped later are never earlier.
 */
import type { Datum, Row } from '../../types/datum.js';
import type { Change } from '../zset.js';
import { StatelessOperator, pushError, type Tick } from '../operator.js';
import type { ScalarFn } from '../scalar-fn.js';
import type { WatermarkStep, Watermarks } from '../watermark.js';

export interface CompiledMfp {
  inputArity: number;
  exprs: ScalarFn[];
  /** Sorted by `after`. */
  predicates: { fn: ScalarFn; after: number }[];
  projection: number[];
  /** Per expr, the extended-row column it is monotone in (carries its watermark), CLOCK, or null. Absent: none. */
  monotone?: (number | null)[];
}

/** `monotone` of an expr monotone in the processing time (the plan's PROCESSING_TIME): its watermark is the tick's time. */
export const CLOCK = -1;

export class MapFilterProjectOperator extends StatelessOperator {
  readonly #mfp: CompiledMfp;
  readonly #identityProjection: boolean;
  readonly #readsClock: boolean;
  /** predicatesAt[i] = the predicates evaluated once i exprs exist. */
  readonly #predicatesAt: ScalarFn[][];

  constructor(mfp: CompiledMfp) {
    super();
    this.#mfp = mfp;
    const { inputArity, exprs, projection } = mfp;
    this.#identityProjection = projection.length === inputArity + exprs.length && projection.every((c, i) => c === i);
    this.#readsClock = mfp.monotone?.includes(CLOCK) === true;
    this.#predicatesAt = [];
    for (let i = 0; i <= exprs.length; i++) this.#predicatesAt.push([]);
    for (const p of mfp.predicates) this.#predicatesAt[Math.min(p.after, exprs.length)]!.push(p.fn);
  }

  step(inputs: readonly Change[][], tick: Tick): Change[] {
    const input = inputs[0]!;
    const out: Change[] = [];
    const { inputArity, exprs, projection } = this.#mfp;
    const nExprs = exprs.length;
    const predicatesAt = this.#predicatesAt;
    const identity = this.#identityProjection;
    const width = projection.length;
    // With exprs, each row is extended in one scratch row reused for every input row; only
    // the projected output row is allocated (or a copy of the scratch row, for an identity
    // projection). The scratch row never escapes.
    const ext: Datum[] | null = nExprs > 0 ? new Array(inputArity + nExprs).fill(null) : null;
    outer: for (let r = 0; r < input.length; r++) {
      const change = input[r]!;
      let row = change[0];
      try {
        if (ext !== null) {
          for (let c = 0; c < inputArity; c++) ext[c] = row[c]!;
          row = ext as Row;
        }
        for (let i = 0; i <= nExprs; i++) {
          const preds = predicatesAt[i]!;
          for (let p = 0; p < preds.length; p++) if (preds[p]!(row) !== true) continue outer;
          if (i < nExprs) row[inputArity + i] = exprs[i]!(row);
        }
      } catch (e) {
        pushError(tick, e, change[1]);
        continue;
      }
      if (identity) {
        out.push(ext !== null ? [ext.slice() as Row, change[1]] : change);
      } else {
        const o: Datum[] = new Array(width);
        for (let c = 0; c < width; c++) o[c] = row[projection[c]!]!;
        out.push([o as Row, change[1]]);
      }
    }
    return out;
  }

  onWatermarks(inputs: readonly (Watermarks | undefined)[]): WatermarkStep {
    const input = inputs[0];
    const { inputArity, exprs, projection, monotone } = this.#mfp;
    if ((!input || input.size === 0) && !this.#readsClock) return { emitted: [], watermarks: undefined };
    const ext: (number | undefined)[] = new Array(inputArity + exprs.length);
    if (input) for (const [c, w] of input) ext[c] = w;
    for (let k = 0; k < exprs.length; k++) {
      const from = monotone?.[k];
      if (from === null || from === undefined) continue;
      const w = from === CLOCK ? 0 : ext[from];
      if (w === undefined) continue;
      const row: Datum[] = new Array(inputArity + k).fill(null);
      if (from !== CLOCK) row[from] = w;
      try {
        const v = exprs[k]!(row as Row);
        if (typeof v === 'number') ext[inputArity + k] = v;
      } catch {
        // No watermark for a column whose expression fails on it.
      }
    }
    let out: Map<number, number> | undefined;
    for (let j = 0; j < projection.length; j++) {
      const w = ext[projection[j]!];
      if (w !== undefined) (out ??= new Map()).set(j, w);
    }
    return { emitted: [], watermarks: out };
  }
}

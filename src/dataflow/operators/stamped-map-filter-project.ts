/**
 * StampedMapFilterProject: a MapFilterProject over rows extended by their processing-time
 * stamp (PROCTIME() over an input that can retract, plan/processing-time.ts). An inserted row
 * is stamped with the tick's time; a retracted row gets the stamp of a copy of it that is still
 * live (the oldest first), so a retraction undoes exactly what its insertion produced.
 *
 * State kept: per distinct live input row, its stamps with their multiplicities:
 * `rowKey → [stamp₁, diff₁, stamp₂, diff₂, …]` (oldest first). Grows with the number of
 * distinct live input rows; a row's entry goes when its last copy is retracted.
 *
 * Input: one change stream. Output: the inner MapFilterProject's output for
 * `[row ++ [stamp], diff]`.
 *
 *   Δin ──▶ [stamp: insert → now, retract → stored stamp] ──▶ [map · filter · project] ──▶ Δout
 *
 * Example (tick times 10, 20), mfp = project [#0, #1]:
 *   tick 10: [a] +1          → [a, 10] +1
 *   tick 20: [a] +1, [b] +1  → [a, 20] +1, [b, 20] +1
 *   tick 30: [a] -1          → [a, 10] -1     (the oldest live copy of a)
 *
 * Watermarks: those of the inner MapFilterProject; the stamp column carries none (the plan
 * does not mark it monotone), since an old stamp may still be retracted.
 */
import type { KvReader } from '../../storage/kv-store.js';
import type { Row } from '../../types/datum.js';
import { rowKey } from '../../types/row-key.js';
import type { Operator, Tick } from '../operator.js';
import type { OperatorState } from '../state.js';
import type { WatermarkStep, Watermarks } from '../watermark.js';
import type { Change } from '../zset.js';
import { MapFilterProjectOperator, type CompiledMfp } from './map-filter-project.js';

export class StampedMapFilterProjectOperator implements Operator {
  readonly #inner: MapFilterProjectOperator;
  readonly #state: OperatorState | null;
  /** rowKey → [stamp, diff, stamp, diff, …], oldest first; every diff positive. */
  readonly #stamps = new Map<string, number[]>();

  /** `mfp.inputArity` counts the stamp: it is the input's arity + 1. */
  constructor(mfp: CompiledMfp, state: OperatorState | null) {
    this.#inner = new MapFilterProjectOperator(mfp);
    this.#state = state;
  }

  async load(reader: KvReader): Promise<void> {
    if (!this.#state) return;
    for await (const [key, value] of this.#state.entries(reader)) this.#stamps.set(key, value as number[]);
  }

  step(inputs: readonly Change[][], tick: Tick): Change[] {
    const input = inputs[0]!;
    if (input.length === 0) return [];
    const stamped: Change[] = [];
    const touched = new Set<string>();
    for (let i = 0; i < input.length; i++) {
      const [row, diff] = input[i]!;
      const k = rowKey(row);
      touched.add(k);
      let s = this.#stamps.get(k);
      if (diff > 0) {
        if (s === undefined) this.#stamps.set(k, (s = []));
        if (s.length > 0 && s[s.length - 2] === tick.now) s[s.length - 1]! += diff;
        else s.push(tick.now, diff);
        stamped.push([[...row, tick.now], diff]);
        continue;
      }
      let left = -diff;
      while (left > 0 && s !== undefined && s.length > 0) {
        const n = Math.min(left, s[1]!);
        stamped.push([[...row, s[0]!], -n]);
        s[1]! -= n;
        if (s[1] === 0) s.splice(0, 2);
        left -= n;
      }
      // A retraction of a row that was never inserted (the input is not a collection): stamped now.
      if (left > 0) stamped.push([[...row, tick.now], -left]);
      if (s !== undefined && s.length === 0) this.#stamps.delete(k);
    }
    if (this.#state) {
      for (const k of touched) {
        const s = this.#stamps.get(k);
        if (s === undefined) this.#state.del(k);
        else this.#state.put(k, s as Row);
      }
    }
    return this.#inner.step([stamped], tick);
  }

  onWatermarks(inputs: readonly (Watermarks | undefined)[]): WatermarkStep {
    return this.#inner.onWatermarks(inputs);
  }
}

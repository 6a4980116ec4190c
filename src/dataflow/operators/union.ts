/**
 * Union (UNION ALL): the sum of its inputs' collections, Δout = Σ Δin_i.
 *
 * State kept: none.
 *
 * Input: any number of change streams of the same schema. Output: their concatenation
 * (consolidated downstream).
 *
 *   Δa ──┐
 *        ├─▶ [+] ──▶ Δout
 *   Δb ──┘
 *
 * Example: a: [1] +1   b: [1] +1, [2] -1   →   [1] +1, [1] +1, [2] -1
 */
import type { Change } from '../zset.js';
import { StatelessOperator } from '../operator.js';
import { minWatermarks, type WatermarkStep, type Watermarks } from '../watermark.js';

export class UnionOperator extends StatelessOperator {
  step(inputs: readonly Change[][]): Change[] {
    let n = 0;
    for (const i of inputs) if (i.length > 0) n++;
    if (n <= 1) for (const i of inputs) if (i.length > 0) return i;
    const out: Change[] = [];
    for (const i of inputs) for (let k = 0; k < i.length; k++) out.push(i[k]!);
    return out;
  }

  /** A column has a watermark when every input has one: the smallest. */
  onWatermarks(inputs: readonly (Watermarks | undefined)[]): WatermarkStep {
    return { emitted: [], watermarks: minWatermarks(inputs) };
  }
}

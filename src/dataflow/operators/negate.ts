/**
 * Negate: flips every diff, Δout = -Δin (used with Union and Threshold for EXCEPT / INTERSECT).
 *
 * State kept: none.
 *
 * Input: one change stream. Output: the same rows with negated diffs.
 *
 *   Δin ──▶ [−] ──▶ Δout
 *
 * Example: [1] +1, [2] -2   →   [1] -1, [2] +2
 */
import type { Change } from '../zset.js';
import { StatelessOperator } from '../operator.js';
import type { WatermarkStep, Watermarks } from '../watermark.js';

export class NegateOperator extends StatelessOperator {
  step(inputs: readonly Change[][]): Change[] {
    const input = inputs[0]!;
    const out: Change[] = new Array(input.length);
    for (let i = 0; i < input.length; i++) out[i] = [input[i]![0], -input[i]![1]];
    return out;
  }

  onWatermarks(inputs: readonly (Watermarks | undefined)[]): WatermarkStep {
    return { emitted: [], watermarks: inputs[0] };
  }
}

/**
 * Distinct (SELECT DISTINCT, UNION): each row present in the input (accumulated diff > 0)
 * appears once in the output.
 *
 * State kept: one entry per distinct input row, `rowKey → [row, diff]` (see
 * row-multiplicity.ts). Grows with the number of distinct input rows.
 *
 * Input: one change stream. Output: `[row, +1]` when a row's accumulated diff becomes
 * positive, `[row, -1]` when it stops being positive.
 *
 *   Δin ──▶ [integrate per row] ──▶ [d > 0 ? 1 : 0, differentiated] ──▶ Δout
 *
 * Example: tick 1: [a] +2 → [a] +1;  tick 2: [a] -1 → (nothing);  tick 3: [a] -1 → [a] -1
 */
import { RowMultiplicityOperator } from './row-multiplicity.js';

export class DistinctOperator extends RowMultiplicityOperator {
  protected outputDiff(diff: number): number {
    return diff > 0 ? 1 : 0;
  }
}

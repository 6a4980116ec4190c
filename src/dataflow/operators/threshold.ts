/**
 * Threshold: keeps the rows whose accumulated diff is positive, with that diff; rows with a
 * negative accumulated diff are dropped (EXCEPT ALL / INTERSECT ALL are built from it).
 *
 * State kept: one entry per distinct input row, `rowKey → [row, diff]` (see
 * row-multiplicity.ts). Grows with the number of distinct input rows.
 *
 * Input: one change stream. Output: per touched row, max(new, 0) - max(old, 0).
 *
 *   Δin ──▶ [integrate per row] ──▶ [max(d, 0), differentiated] ──▶ Δout
 *
 * Example: tick 1: [a] +2, [b] -1 → [a] +2;  tick 2: [b] +3 → [b] +2
 */
import { RowMultiplicityOperator } from './row-multiplicity.js';

export class ThresholdOperator extends RowMultiplicityOperator {
  protected outputDiff(diff: number): number {
    return diff > 0 ? diff : 0;
  }
}

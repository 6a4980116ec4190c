/**
 * WatermarkFilter: where a source's watermark is made and late rows are split off (DESIGN §3).
 * Rows are taken one at a time, in arrival order. A row whose watermark column is below the
 * current watermark is late; every other row is accepted and may raise the watermark to its
 * WATERMARK expression's value (`ts - INTERVAL '5' SECOND`). The watermark never moves back.
 *
 * What a late row gets is the source's policy:
 *   drop         counted, then discarded;
 *   side_output  counted and returned in `late` (the coordinator stores it in `<source>_late`);
 *   correct      rows no later than the allowed lateness are accepted (counted as corrected), so
 *                the results they touch are updated; the watermark the dataflow sees is held back
 *                by the allowed lateness, keeping those windows open. Later ones are dropped.
 *
 * The result depends only on the sequence of rows, not on how they are cut into ticks, so a
 * generator source replayed from its start splits its rows exactly as it did live.
 *
 * State kept: the watermark and three counters (persisted by the coordinator with the tick).
 */
import type { Row } from '../types/datum.js';
import type { PartitionWatermarks } from './kafka/partition-watermarks.js';

/**
 * Rows read from several partitions (Kafka): each partition keeps its own watermark and the
 * filter's is their minimum (kafka/partition-watermarks.ts), so a partition that is behind
 * holds the watermark back instead of having its rows turned late.
 */
export interface Partitioned {
  /** The partition of each row, by position. */
  partitionOf: readonly number[];
  watermarks: PartitionWatermarks;
  nowMs: number;
}

export type LatePolicy = 'drop' | 'side_output' | 'correct';

export interface LateCounts {
  dropped: number;
  sideOutput: number;
  corrected: number;
}

export interface WatermarkFilterSpec {
  /** The watermark column: the event time compared with the watermark. */
  column: number;
  /** The WATERMARK expression on a row; null (a NULL time) raises nothing. May throw a SqlError. */
  expr: (row: Row) => number | null;
  /**
   * The expression is non-decreasing in the watermark column (`ts - INTERVAL …`): a row whose
   * time is no later than the latest time already evaluated cannot raise the watermark, so
   * the expression is evaluated only for rows that advance the time.
   */
  monotone?: boolean;
  policy: LatePolicy;
  allowedLatenessUs: number;
}

export interface FilterResult {
  accepted: Row[];
  /** Late rows for the side output (policy side_output only). */
  late: Row[];
}

export class WatermarkFilter {
  /** The largest WATERMARK expression value seen; undefined before the first row. */
  watermark: number | undefined;
  readonly counts: LateCounts;
  /** With a monotone expression: the latest time it was evaluated on (not persisted: a restart evaluates again). */
  #latestTime = -Infinity;

  constructor(
    readonly spec: WatermarkFilterSpec,
    watermark?: number,
    counts?: LateCounts,
  ) {
    this.watermark = watermark;
    this.counts = counts ? { ...counts } : { dropped: 0, sideOutput: 0, corrected: 0 };
  }

  /** The watermark downstream operators get: held back by the allowed lateness under `correct`. */
  get effectiveWatermark(): number | undefined {
    if (this.watermark === undefined) return undefined;
    return this.spec.policy === 'correct' ? this.watermark - this.spec.allowedLatenessUs : this.watermark;
  }

  /**
   * Splits rows in arrival order; rows whose expression fails are dropped and counted. When
   * no row is late, `accepted` is `rows` itself (no copy).
   */
  split(rows: Row[], partitioned?: Partitioned): FilterResult {
    /** null while every row so far is accepted: then the accepted rows are rows[0, r). */
    let accepted: Row[] | null = null;
    const late: Row[] = [];
    const { column, expr, policy, allowedLatenessUs } = this.spec;
    const monotone = this.spec.monotone === true && partitioned === undefined;
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      const t = row[column];
      const wm = this.watermark;
      if (typeof t === 'number' && wm !== undefined && t < wm) {
        accepted ??= rows.slice(0, r);
        if (policy === 'correct' && t >= wm - allowedLatenessUs) {
          this.counts.corrected++;
          accepted.push(row);
        } else if (policy === 'side_output') {
          this.counts.sideOutput++;
          late.push(row);
        } else {
          this.counts.dropped++;
        }
        continue;
      }
      if (accepted !== null) accepted.push(row);
      if (monotone) {
        if (typeof t !== 'number' || t <= this.#latestTime) continue;
        this.#latestTime = t;
      }
      let w: number | null;
      try {
        w = expr(row);
      } catch {
        w = null;
      }
      if (partitioned) {
        partitioned.watermarks.observe(partitioned.partitionOf[r]!, w, partitioned.nowMs);
        const c = partitioned.watermarks.combined(partitioned.nowMs);
        if (c !== undefined && (this.watermark === undefined || c > this.watermark)) this.watermark = c;
      } else if (w !== null && (this.watermark === undefined || w > this.watermark)) this.watermark = w;
    }
    return { accepted: accepted ?? rows, late };
  }
}

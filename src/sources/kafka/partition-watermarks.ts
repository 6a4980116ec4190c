/**
 * PartitionWatermarks: the event-time watermark of a source read from several partitions.
 * Each partition keeps its own (the largest WATERMARK expression value of its records; records
 * within a partition arrive in order, across partitions they do not); the source's watermark is
 * the minimum over the active partitions, so a partition that is behind holds it back instead
 * of having its rows turned late.
 *
 * Idleness: a partition with no record for `idleTimeoutMs` of wall time is idle and left out of
 * the minimum until its next record (Flink's `withIdleness`), so one quiet partition does not
 * stall every window. A partition that has had no record yet holds the watermark back until it
 * goes idle in the same way. With every partition idle the watermark stays where it was. A
 * partition with records still to read is never idle (`touch`): idleness means a quiet partition,
 * not one whose records are late in coming because the broker was away.
 *
 * The combined watermark never moves back: rows of a partition that comes back from idleness
 * below it are late, and the source's late policy decides.
 *
 *   partition 0: ──3────7──────────9──  wm0 = 9
 *   partition 1: ───4───────5────────   wm1 = 5        combined = min(9, 5) = 5
 *   partition 2: (idle since 40 s)       left out
 *
 * State kept: per partition its watermark and last activity, plus the combined watermark; the
 * watermarks (not the activity times) go into the tick's batch via `snapshot`.
 */

export interface PartitionWatermarksSnapshot {
  /** Partition id → its watermark (µs). Partitions without one are absent. */
  partitions: { [partition: string]: number };
  combined?: number;
}

interface PartitionState {
  watermark: number | undefined;
  lastActiveMs: number;
}

export class PartitionWatermarks {
  readonly #idleTimeoutMs: number;
  readonly #partitions = new Map<number, PartitionState>();
  #combined: number | undefined;

  /** `idleTimeoutMs`: Infinity (the default) never marks a partition idle. */
  constructor(partitions: readonly number[], nowMs: number, idleTimeoutMs = Infinity, restored?: PartitionWatermarksSnapshot) {
    this.#idleTimeoutMs = idleTimeoutMs;
    this.#combined = restored?.combined;
    this.assign(partitions, nowMs);
    if (restored) {
      for (const [p, w] of Object.entries(restored.partitions)) {
        const s = this.#partitions.get(Number(p));
        if (s) s.watermark = w;
      }
    }
  }

  /** Tracks exactly these partitions: new ones start with no watermark and count as active from `nowMs`. */
  assign(partitions: readonly number[], nowMs: number): void {
    for (const p of [...this.#partitions.keys()]) if (!partitions.includes(p)) this.#partitions.delete(p);
    for (const p of partitions) if (!this.#partitions.has(p)) this.#partitions.set(p, { watermark: undefined, lastActiveMs: nowMs });
  }

  /**
   * `partition` has records to give at `nowMs` (some in the batch at hand, or more in the log
   * than read so far): it is not idle, whatever the wall time since its last record. So after a
   * broker outage the partitions that catch up hold the watermark back together, and the one
   * fetched first does not turn the others' rows late.
   */
  touch(partition: number, nowMs: number): void {
    const s = this.#partitions.get(partition);
    if (s) s.lastActiveMs = nowMs;
  }

  /** A record of `partition` arrived at `nowMs`; `value` is its WATERMARK expression (null: none). */
  observe(partition: number, value: number | null, nowMs: number): void {
    const s = this.#partitions.get(partition);
    if (!s) throw new Error(`internal error: partition ${partition} is not assigned`);
    s.lastActiveMs = nowMs;
    if (value !== null && (s.watermark === undefined || value > s.watermark)) s.watermark = value;
  }

  /** The partition's own watermark. */
  partition(partition: number): number | undefined {
    return this.#partitions.get(partition)?.watermark;
  }

  isIdle(partition: number, nowMs: number): boolean {
    const s = this.#partitions.get(partition);
    return s !== undefined && nowMs - s.lastActiveMs >= this.#idleTimeoutMs;
  }

  /** The source's watermark at `nowMs`: min over active partitions, never lower than before. */
  combined(nowMs: number): number | undefined {
    let min: number | undefined;
    let anyActive = false;
    for (const s of this.#partitions.values()) {
      if (nowMs - s.lastActiveMs >= this.#idleTimeoutMs) continue;
      anyActive = true;
      if (s.watermark === undefined) return this.#combined; // an active partition without one holds it back
      if (min === undefined || s.watermark < min) min = s.watermark;
    }
    if (anyActive && min !== undefined && (this.#combined === undefined || min > this.#combined)) this.#combined = min;
    return this.#combined;
  }

  snapshot(): PartitionWatermarksSnapshot {
    const partitions: { [partition: string]: number } = {};
    for (const [p, s] of this.#partitions) if (s.watermark !== undefined) partitions[String(p)] = s.watermark;
    return this.#combined === undefined ? { partitions } : { partitions, combined: this.#combined };
  }
}

/**
 * TemporalFilter: keeps each row while now ∈ [from, until), where `from` is the largest of its
 * lower bounds and `until` the smallest of its upper bounds, each a compiled expression over
 * the row plus a constant (`ts > now() - INTERVAL '1' HOUR` is the upper bound ts + 1h). Rows
 * enter the output when now reaches `from` and leave when it reaches `until`, so the operator
 * is stepped as time passes even without input (the coordinator's clock ticks).
 *
 * Every input change [row, d] becomes two timed changes, +d at `from` and −d at `until`
 * (Materialize's approach): those at or before now are emitted at once, the others wait in a
 * schedule ordered by time. A NULL bound means the comparison is never true: the row is out.
 *
 * State kept: the schedule, `<time>:<rowKey>` → [row, diff, time]: one entry per row whose
 * entry or exit is still ahead. It grows with the rows inside the time span (a one-hour
 * filter holds about an hour of rows) and shrinks as they leave.
 *
 * Input: one change stream. Output: the rows entering (+) and leaving (−) this tick.
 *
 * Example: bound ts + 1h (upper). At 10:00, [ts=09:30] +1 → emitted +1, scheduled −1 at 10:30;
 * a tick at 10:31 emits [ts=09:30] −1.
 */
import type { KvReader } from '../../storage/kv-store.js';
import type { Row } from '../../types/datum.js';
import { rowKey } from '../../types/row-key.js';
import type { Change } from '../zset.js';
import { pushError, type Operator, type Tick } from '../operator.js';
import type { OperatorState } from '../state.js';
import type { ScalarFn } from '../scalar-fn.js';

export interface CompiledTemporalBound {
  kind: 'lower' | 'upper';
  fn: ScalarFn;
  offsetUs: number;
}

interface Timed {
  row: Row;
  diff: number;
}

export class TemporalFilterOperator implements Operator {
  readonly #bounds: CompiledTemporalBound[];
  readonly #state: OperatorState | null;
  /** time → rowKey → timed change. */
  readonly #schedule = new Map<number, Map<string, Timed>>();
  /** The schedule's times, ascending. */
  #times: number[] = [];

  constructor(bounds: CompiledTemporalBound[], state: OperatorState | null) {
    this.#bounds = bounds;
    this.#state = state;
  }

  async load(reader: KvReader): Promise<void> {
    if (!this.#state) return;
    for await (const [, value] of this.#state.entries(reader)) {
      this.#add(value[2] as number, value[0] as Row, value[1] as number, false);
    }
  }

  /** The earliest time something is scheduled, if anything is. */
  nextTime(): number | undefined {
    return this.#times[0];
  }

  step(inputs: readonly Change[][], tick: Tick): Change[] {
    const now = tick.now;
    const out: Change[] = [];
    for (const [row, d] of inputs[0]!) {
      let from = -Infinity;
      let until = Infinity;
      try {
        let never = false;
        for (const b of this.#bounds) {
          const v = b.fn(row);
          if (typeof v !== 'number') {
            never = true;
            break;
          }
          const t = v + b.offsetUs;
          if (b.kind === 'lower') from = Math.max(from, t);
          else until = Math.min(until, t);
        }
        if (never || from >= until) continue;
      } catch (e) {
        pushError(tick, e, d);
        continue;
      }
      if (from <= now) out.push([row, d]);
      else this.#add(from, row, d, true);
      if (until <= now) out.push([row, -d]);
      else if (until !== Infinity) this.#add(until, row, -d, true);
    }
    while (this.#times.length > 0 && this.#times[0]! <= now) {
      const t = this.#times.shift()!;
      const bucket = this.#schedule.get(t)!;
      this.#schedule.delete(t);
      for (const [rk, e] of bucket) {
        out.push([e.row, e.diff]);
        this.#state?.del(`${t}:${rk}`);
      }
    }
    return out;
  }

  #add(time: number, row: Row, diff: number, persist: boolean): void {
    let bucket = this.#schedule.get(time);
    if (!bucket) {
      bucket = new Map();
      this.#schedule.set(time, bucket);
      this.#insertTime(time);
    }
    const rk = rowKey(row);
    const e = bucket.get(rk);
    const total = (e?.diff ?? 0) + diff;
    if (total === 0) {
      bucket.delete(rk);
      if (persist) this.#state?.del(`${time}:${rk}`);
      if (bucket.size === 0) {
        this.#schedule.delete(time);
        this.#times.splice(this.#times.indexOf(time), 1);
      }
      return;
    }
    bucket.set(rk, { row, diff: total });
    if (persist) this.#state?.put(`${time}:${rk}`, [row, total, time]);
  }

  #insertTime(t: number): void {
    const a = this.#times;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (a[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    a.splice(lo, 0, t);
  }
}

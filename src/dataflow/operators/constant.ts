/**
 * Constant: a fixed collection (VALUES, or a plan folded to constant rows). It emits its rows
 * once, in the dataflow's first tick ever, and nothing afterwards: as a change stream the
 * collection appears at the start and never changes.
 *
 * State kept: one marker entry ("emitted") when persistent, so a dataflow rebuilt from state
 * does not emit the rows a second time. Does not grow.
 *
 * Input: none. Output: `[row, diff]` for each constant row in the first tick, then empty.
 *
 *   (rows) ──▶ [first tick only] ──▶ Δout
 *
 * Example: rows [1], [2]   tick 1 → [1] +1, [2] +1;   tick 2 → (nothing)
 */
import type { KvReader } from '../../storage/kv-store.js';
import type { Change } from '../zset.js';
import type { Operator } from '../operator.js';
import type { OperatorState } from '../state.js';

const MARKER = 'emitted';

export class ConstantOperator implements Operator {
  readonly #rows: Change[];
  readonly #state: OperatorState | null;
  #emitted = false;

  constructor(rows: Change[], state: OperatorState | null) {
    this.#rows = rows;
    this.#state = state;
  }

  async load(reader: KvReader): Promise<void> {
    if (!this.#state) return;
    for await (const [key] of this.#state.entries(reader)) if (key === MARKER) this.#emitted = true;
  }

  step(): Change[] {
    if (this.#emitted) return [];
    this.#emitted = true;
    this.#state?.put(MARKER, [true]);
    return this.#rows.slice();
  }
}

/**
 * EmitOnWindowClose: the root of a view created with EMIT ON WINDOW CLOSE (DESIGN §3). Holds
 * its input's changes back until the watermark passes them, then releases each row once,
 * final: the view is append-only. A row is released when one of its watermarked columns
 * (window_start, window_end …) is below that column's watermark: no change can reach it any
 * more. Changes that cancel before that (a window's count going 1 → 2 → 3) are consolidated
 * away while held, so only the last version of a window's row is ever emitted.
 *
 * State kept: the held rows with their accumulated diffs, `<rowKey>` → [row, diff]: one entry
 * per row of an open window. Released rows leave the state, so it does not grow with the
 * number of closed windows.
 *
 * Input: one change stream. Output: nothing in `step`; in `onWatermarks`, the released rows.
 *
 * Example (window_end watermarked): held [w=10:00, n=2] +1; watermark 10:00 → emits [10:00, 2] +1.
 */
import type { KvReader } from '../../storage/kv-store.js';
import type { Row } from '../../types/datum.js';
import { rowKey } from '../../types/row-key.js';
import type { Change } from '../zset.js';
import type { Operator } from '../operator.js';
import type { OperatorState } from '../state.js';
import type { WatermarkStep, Watermarks } from '../watermark.js';

interface Held {
  row: Row;
  diff: number;
}

export class EmitOnWindowCloseOperator implements Operator {
  readonly #state: OperatorState | null;
  readonly #held = new Map<string, Held>();

  constructor(state: OperatorState | null) {
    this.#state = state;
  }

  async load(reader: KvReader): Promise<void> {
    if (!this.#state) return;
    for await (const [key, value] of this.#state.entries(reader)) {
      this.#held.set(key, { row: value[0] as Row, diff: value[1] as number });
    }
  }

  step(inputs: readonly Change[][]): Change[] {
    const input = inputs[0]!;
    if (input.length === 0) return [];
    const touched = new Set<string>();
    for (const [row, diff] of input) {
      const k = rowKey(row);
      const h = this.#held.get(k);
      if (h) h.diff += diff;
      else this.#held.set(k, { row, diff });
      touched.add(k);
    }
    for (const k of touched) {
      const h = this.#held.get(k)!;
      if (h.diff === 0) {
        this.#held.delete(k);
        this.#state?.del(k);
      } else {
        this.#state?.put(k, [h.row, h.diff]);
      }
    }
    return [];
  }

  onWatermarks(inputs: readonly (Watermarks | undefined)[]): WatermarkStep {
    const wms = inputs[0];
    if (!wms || wms.size === 0) return { emitted: [], watermarks: undefined };
    const emitted: Change[] = [];
    for (const [k, h] of this.#held) {
      for (const [c, w] of wms) {
        const v = h.row[c];
        if (typeof v === 'number' && v < w) {
          emitted.push([h.row, h.diff]);
          this.#held.delete(k);
          this.#state?.del(k);
          break;
        }
      }
    }
    return { emitted, watermarks: wms };
  }
}

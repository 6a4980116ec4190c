/**
 * WindowExpand: HOP and CUMULATE, the windows that assign a row to several event-time windows.
 * A flat-map: each input row is output once per window its time column falls into, with
 * window_start and window_end appended.
 *
 *   hop       windows of `size` starting every `slide` (size a multiple of slide): size/slide
 *             windows per row;
 *   cumulate  windows starting at the tumbling window of `size` that holds the time, ending at
 *             each `step` boundary after the time up to that window's end.
 *
 * Windows are aligned to the Unix epoch + `offset` (util/time-windows.ts; HOP's starts are
 * the ones `hopStarts` lists, computed inline). A NULL or infinite
 * time belongs to no window, so its row is dropped.
 *
 * State kept: none.
 *
 * Input: one change stream. Output: `[row ++ [start, end], diff]` for every window of the row.
 *
 *   Δin ──▶ [flat-map: one copy per window] ──▶ Δout
 *
 * Watermarks: input columns keep theirs; from the time column's watermark W, window_start's is
 * the start of the earliest window a time ≥ W falls into, and window_end's that window's
 * smallest end (util/time-windows.ts `hopWatermarks`, `cumulateWatermarks`).
 *
 * Example: hop slide=5 size=10 over (k, t)
 *   in:  [1, 13] +1          out: [1, 13, 5, 15] +1, [1, 13, 10, 20] +1
 *   in:  [1, 13] -1          out: [1, 13, 5, 15] -1, [1, 13, 10, 20] -1
 */
import type { Row } from '../../types/datum.js';
import { cumulateWatermarks, cumulateWindows, hopWatermarks, tumbleStart } from '../../util/time-windows.js';
import type { Change } from '../zset.js';
import { StatelessOperator } from '../operator.js';
import type { WatermarkStep, Watermarks } from '../watermark.js';

export interface WindowExpandSpec {
  windowKind: 'hop' | 'cumulate';
  timeColumn: number;
  inputArity: number;
  /** hop: the slide; cumulate: the step (µs). */
  slide: number;
  size: number;
  offset: number;
}

export class WindowExpandOperator extends StatelessOperator {
  readonly #spec: WindowExpandSpec;

  constructor(spec: WindowExpandSpec) {
    super();
    this.#spec = spec;
  }

  step(inputs: readonly Change[][]): Change[] {
    const input = inputs[0]!;
    const { windowKind, timeColumn, slide, size, offset } = this.#spec;
    const out: Change[] = [];
    for (let r = 0; r < input.length; r++) {
      const [row, diff] = input[r]!;
      const t = row[timeColumn];
      if (typeof t !== 'number') continue; // NULL: no window
      if (windowKind === 'hop') {
        if (!Number.isFinite(t)) continue; // ±infinity: no window
        const last = tumbleStart(t, slide, offset);
        for (let s = last - size + slide; s <= last; s += slide) out.push([extend(row, s, s + size), diff]);
      } else {
        for (const [s, e] of cumulateWindows(t, slide, size, offset)) out.push([extend(row, s, e), diff]);
      }
    }
    return out;
  }

  onWatermarks(inputs: readonly (Watermarks | undefined)[]): WatermarkStep {
    const wms = inputs[0];
    if (!wms || wms.size === 0) return { emitted: [], watermarks: undefined };
    const { windowKind, timeColumn, inputArity, slide, size, offset } = this.#spec;
    const out = new Map(wms);
    const w = wms.get(timeColumn);
    if (w !== undefined && Number.isFinite(w)) {
      const [start, end] = windowKind === 'hop' ? hopWatermarks(w, slide, size, offset) : cumulateWatermarks(w, slide, size, offset);
      out.set(inputArity, start);
      out.set(inputArity + 1, end);
    }
    return { emitted: [], watermarks: out };
  }
}

/** The row with [start, end] appended: one allocation of the final width. */
function extend(row: Row, start: number, end: number): Row {
  const n = row.length;
  const out: Row = new Array(n + 2);
  for (let i = 0; i < n; i++) out[i] = row[i]!;
  out[n] = start;
  out[n + 1] = end;
  return out;
}

/**
 * Event-time window arithmetic on integer microseconds (the representation of timestamp
 * datums), shared by the `tumble_start` function (plan/functions) and the window operators
 * (dataflow/operators/window-expand.ts): windows are aligned to the Unix epoch plus an offset.
 *
 *   tumble  size 10, offset 0:      [0,10) [10,20) [20,30) …        t=13 → [10,20)
 *   hop     slide 5, size 10:       [5,15) [10,20)                  t=13 → both
 *   cumulate step 5, size 15:       [0,5) [0,10) [0,15) [15,20) …   t=7  → [0,10) [0,15)
 *
 * Every size, slide and step is a positive integer; callers check that (and that a hop's size
 * and a cumulate's size are multiples of its slide / step). Infinite times have no window.
 */

/** `a mod m` rounded towards negative infinity, in [0, m). */
function floorMod(a: number, m: number): number {
  const r = a % m;
  return r < 0 ? r + m : r + 0;
}

/** The start of the tumbling window of `size` (aligned to `offset`) that holds `t`. */
export function tumbleStart(t: number, size: number, offset: number): number {
  return t - floorMod(t - offset, size);
}

/**
 * The starts of the hopping windows [s, s + size) that hold `t`, in increasing order: the
 * windows start every `slide`, aligned to `offset`. size / slide windows (size a multiple of
 * slide).
 */
export function hopStarts(t: number, slide: number, size: number, offset: number): number[] {
  if (!Number.isFinite(t)) return [];
  const last = tumbleStart(t, slide, offset);
  const out: number[] = [];
  for (let s = last - size + slide; s <= last; s += slide) out.push(s);
  return out;
}

/**
 * The cumulating windows that hold `t`, as [start, end] pairs in increasing order of end:
 * every window starts at the tumbling window of `size` that holds t, and ends at one of the
 * `step` boundaries after t, up to start + size.
 */
export function cumulateWindows(t: number, step: number, size: number, offset: number): [number, number][] {
  if (!Number.isFinite(t)) return [];
  const start = tumbleStart(t, size, offset);
  const out: [number, number][] = [];
  for (let end = tumbleStart(t, step, offset) + step; end <= start + size; end += step) out.push([start, end]);
  return out;
}

/**
 * The smallest window start and the smallest window end of any window a time >= w falls into:
 * the watermarks of window_start and window_end when the time column's watermark is w.
 */
export function hopWatermarks(w: number, slide: number, size: number, offset: number): [start: number, end: number] {
  const start = tumbleStart(w, slide, offset) - size + slide;
  return [start, start + size];
}

export function cumulateWatermarks(w: number, step: number, size: number, offset: number): [start: number, end: number] {
  return [tumbleStart(w, size, offset), tumbleStart(w, step, offset) + step];
}

const UNITS: [suffix: string, micros: number][] = [
  ['d', 86_400_000_000],
  ['h', 3_600_000_000],
  ['m', 60_000_000],
  ['s', 1_000_000],
  ['ms', 1_000],
  ['us', 1],
];

/** A duration in microseconds as compact text for EXPLAIN: `90s` → "1m30s", 0 → "0s". */
export function durationText(us: number): string {
  if (us === 0) return '0s';
  let rest = Math.abs(us);
  let out = us < 0 ? '-' : '';
  for (const [suffix, size] of UNITS) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${suffix}`;
      rest %= size;
    }
  }
  return out;
}

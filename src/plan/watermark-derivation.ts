/**
 * Which expressions carry a watermark (DESIGN §3): an expression that is monotone
 * non-decreasing in exactly one column, with every other leaf a constant, maps that column's
 * watermark W to its own: f(W) (if every future row has c >= W, every future f(c) >= f(W)).
 * The dataflow evaluates the expression on W to get the derived watermark.
 *
 * Recognised: a column; a cast between timestamp and timestamptz (weir runs in UTC); a
 * timestamp ± a constant interval; date_trunc(constant unit, ts); tumble_start(ts, constant
 * size[, constant offset]). Everything else carries no watermark.
 *
 * The processing time (PROCTIME(), plan/processing-time.ts) is a column of its own kind: its
 * watermark is the wall clock, so an expression monotone in it returns PROCESSING_TIME, and the
 * dataflow evaluates the expression at the tick's time to get the watermark.
 */
import type { ScalarExpr } from './scalar-expr.js';

const monotoneFirstArg = new Set([
  'timestamp_add_interval',
  'timestamp_sub_interval',
  'timestamptz_add_interval',
  'timestamptz_sub_interval',
  'tumble_start',
  'tumble_start_timestamptz',
  'tumble_start_size',
  'tumble_start_size_timestamptz',
]);
const monotoneSecondArg = new Set(['interval_add_timestamp', 'interval_add_timestamptz', 'date_trunc_timestamp', 'date_trunc_timestamptz']);

/** `monotone` of an expression monotone in the processing time: its watermark is the tick's wall-clock time. */
export const PROCESSING_TIME = -1;

/** The column `e` is monotone non-decreasing in (PROCESSING_TIME for the processing time), or null. */
export function monotoneColumn(e: ScalarExpr): number | null {
  switch (e.kind) {
    case 'Unmaterializable':
      return e.fn === 'proctime' ? PROCESSING_TIME : null;
    case 'Column':
      return isTimestamp(e) ? e.index : null;
    case 'Cast':
      return isTimestamp(e) && isTimestamp(e.expr) ? monotoneColumn(e.expr) : null;
    case 'Call': {
      const at = monotoneFirstArg.has(e.fn) ? 0 : monotoneSecondArg.has(e.fn) ? 1 : -1;
      if (at < 0) return null;
      if (!e.args.every((a, i) => i === at || a.kind === 'Literal')) return null;
      return monotoneColumn(e.args[at]!);
    }
    default:
      return null;
  }
}

function isTimestamp(e: ScalarExpr): boolean {
  return e.type.kind === 'timestamp' || e.type.kind === 'timestamptz';
}

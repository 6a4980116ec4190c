/**
 * window-functions.ts owns the scalar side of event-time windows:
 *
 * - `tumble_start(ts, size [, offset]) → ts`: the start of the tumbling window of `size` that
 *   holds ts, windows aligned to the Unix epoch plus `offset` (in UTC for timestamptz, as
 *   RisingWave does). Monotone non-decreasing in ts, so a watermark on ts carries over
 *   (plan/watermark-derivation.ts). The binder's TUMBLE(…) emits the 3-argument form with
 *   literal size and offset; the 2-argument form is RisingWave's SQL function.
 *   Ids: `tumble_start` / `tumble_start_timestamptz` (ts, size, offset) and
 *   `tumble_start_size` / `tumble_start_size_timestamptz` (ts, size).
 * - `windowDurationMicros(interval, what)`: a window size, slide, step, gap or offset as
 *   microseconds, with the 22023 errors of a size in months or a size that is not positive.
 *   A day counts as 24 hours.
 */
import { Interval, type Datum } from '../../types/datum.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import { T } from '../../types/sql-type.js';
import { tumbleStart } from '../../util/time-windows.js';
import { USECS_PER_DAY } from './datetime-util.js';
import { fn, type Fn } from './define.js';

/**
 * An interval as microseconds for a window parameter. Months have no fixed length, so they
 * are refused; `positive` (sizes, slides, steps, gaps) also refuses zero and negative values.
 */
export function windowDurationMicros(iv: Interval, what: string, positive = true): number {
  if (iv.months !== 0) {
    throw new SqlError(SqlState.invalidParameterValue, `${what} must not contain months or years`, {
      hint: 'A month has no fixed length in microseconds; use days instead.',
    });
  }
  const us = iv.days * USECS_PER_DAY + iv.micros;
  if (!Number.isSafeInteger(us)) throw new SqlError(SqlState.invalidParameterValue, `${what} is out of range`);
  if (positive && us <= 0) throw new SqlError(SqlState.invalidParameterValue, `${what} must be positive`);
  return us;
}

function tumbleStartEval(args: Datum[]): Datum {
  const t = args[0] as number;
  const size = windowDurationMicros(args[1] as Interval, 'window size');
  const offset = args.length > 2 ? windowDurationMicros(args[2] as Interval, 'window offset', false) : 0;
  return Number.isFinite(t) ? tumbleStart(t, size, offset) : t;
}

export const WINDOW_FUNCTIONS: readonly Fn[] = [
  fn('tumble_start', 'tumble_start', [T.timestamp, T.interval, T.interval], T.timestamp, tumbleStartEval),
  fn('tumble_start_timestamptz', 'tumble_start', [T.timestamptz, T.interval, T.interval], T.timestamptz, tumbleStartEval),
  fn('tumble_start_size', 'tumble_start', [T.timestamp, T.interval], T.timestamp, tumbleStartEval),
  fn('tumble_start_size_timestamptz', 'tumble_start', [T.timestamptz, T.interval], T.timestamptz, tumbleStartEval),
];

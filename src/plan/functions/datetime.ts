/**
 * datetime.ts owns the operators and constructors of dates, times, timestamps and intervals:
 * timestamp[tz] ± interval, timestamp[tz] - timestamp[tz] → interval, date ± int4, date - date →
 * int4, date ± interval, date + time, time ± interval, time - time, interval ± interval, -interval,
 * interval * float8, interval / float8, to_timestamp(float8), timezone(zone, ts) (AT TIME ZONE),
 * make_date, make_interval, justify_days / justify_hours / justify_interval.
 * Field access (extract, date_part, date_trunc) is in extract.ts.
 */
import { Interval, type Datum } from '../../types/datum.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import { T } from '../../types/sql-type.js';
import {
  checkInterval,
  checkTimestamp,
  daysFromCivil,
  daysInMonth,
  localToUtc,
  negateInterval,
  timestampOutOfRange,
  timestampPlusInterval,
  timestamptzPlusInterval,
  USECS_PER_DAY,
  utcToLocal,
} from './datetime-util.js';
import { checkInt4, divisionByZero, fn, type Fn } from './define.js';

const iv = (d: Datum): Interval => d as Interval;
const n = (d: Datum): number => d as number;

/** timestamp - timestamp: whole days and the rest as time (Postgres's interval_justify_hours). */
function timestampDiff(a: number, b: number): Interval {
  if (!Number.isFinite(a) || !Number.isFinite(b)) {
    throw new SqlError(SqlState.datetimeFieldOverflow, 'cannot subtract infinite timestamps');
  }
  const diff = a - b;
  const days = Math.trunc(diff / USECS_PER_DAY);
  return checkInterval(0, days + 0, diff - days * USECS_PER_DAY + 0);
}

function addIntervals(a: Interval, b: Interval): Interval {
  return checkInterval(a.months + b.months, a.days + b.days, a.micros + b.micros);
}

/** rint to microsecond precision (Postgres TSROUND). */
const tsround = (x: number): number => Math.round(x * 1e6) / 1e6;

/** interval * factor, spilling fractional months into days and fractional days into time (interval_mul). */
function intervalMul(span: Interval, factor: number): Interval {
  if (Number.isNaN(factor)) throw new SqlError(SqlState.datetimeFieldOverflow, 'interval out of range');
  const monthsD = span.months * factor;
  const daysD = span.days * factor;
  const months = Math.trunc(monthsD);
  let days = Math.trunc(daysD);
  const monthRemainderDays = tsround((monthsD - months) * 30);
  let secRemainder = tsround((daysD - days + monthRemainderDays - Math.trunc(monthRemainderDays)) * 86400);
  if (Math.abs(secRemainder) >= 86400) {
    const extra = Math.trunc(secRemainder / 86400);
    days += extra;
    secRemainder -= extra * 86400;
  }
  days += Math.trunc(monthRemainderDays);
  const micros = roundHalfEven(span.micros * factor + secRemainder * 1e6);
  return checkInterval(months + 0, days + 0, micros + 0);
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function justifyHours(v: Interval): Interval {
  const wholeDays = Math.trunc(v.micros / USECS_PER_DAY);
  let days = v.days + wholeDays;
  let micros = v.micros - wholeDays * USECS_PER_DAY;
  if (days > 0 && micros < 0) {
    micros += USECS_PER_DAY;
    days--;
  } else if (days < 0 && micros > 0) {
    micros -= USECS_PER_DAY;
    days++;
  }
  return checkInterval(v.months, days + 0, micros + 0);
}

function justifyDays(v: Interval): Interval {
  const wholeMonths = Math.trunc(v.days / 30);
  let months = v.months + wholeMonths;
  let days = v.days - wholeMonths * 30;
  if (months > 0 && days < 0) {
    days += 30;
    months--;
  } else if (months < 0 && days > 0) {
    days -= 30;
    months++;
  }
  return checkInterval(months + 0, days + 0, v.micros);
}

/** justify_interval: whole days out of the time, whole months out of the days, signs made to agree. */
function justifyInterval(v: Interval): Interval {
  let { months, days, micros } = v;
  const wholeDays = Math.trunc(micros / USECS_PER_DAY);
  days += wholeDays;
  micros -= wholeDays * USECS_PER_DAY;
  const wholeMonths = Math.trunc(days / 30);
  days -= wholeMonths * 30;
  months += wholeMonths;
  if (months > 0 && (days < 0 || (days === 0 && micros < 0))) {
    days += 30;
    months--;
  } else if (months < 0 && (days > 0 || (days === 0 && micros > 0))) {
    days -= 30;
    months++;
  }
  if (days > 0 && micros < 0) {
    micros += USECS_PER_DAY;
    days--;
  } else if (days < 0 && micros > 0) {
    micros -= USECS_PER_DAY;
    days++;
  }
  return checkInterval(months + 0, days + 0, micros + 0);
}

function toTimestamp(seconds: number): number {
  if (Number.isNaN(seconds)) throw new SqlError(SqlState.datetimeFieldOverflow, 'timestamp cannot be NaN');
  if (!Number.isFinite(seconds)) return seconds;
  const micros = Math.round(seconds * 1e6);
  if (Math.abs(micros) > Number.MAX_SAFE_INTEGER) throw timestampOutOfRange();
  return micros;
}

function makeDate(y: number, m: number, d: number): number {
  if (y === 0 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y < 0 ? y + 1 : y, m)) {
    throw new SqlError(SqlState.datetimeFieldOverflow, `date field value out of range: ${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
  }
  return daysFromCivil(y < 0 ? y + 1 : y, m, d);
}

const timeWrap = (t: number): number => ((t % USECS_PER_DAY) + USECS_PER_DAY) % USECS_PER_DAY;

export const DATETIME_FUNCTIONS: readonly Fn[] = [
  // timestamp and timestamptz with intervals
  fn('timestamp_add_interval', '+', [T.timestamp, T.interval], T.timestamp, ([a, b]) => timestampPlusInterval(n(a), iv(b))),
  fn('interval_add_timestamp', '+', [T.interval, T.timestamp], T.timestamp, ([a, b]) => timestampPlusInterval(n(b), iv(a))),
  fn('timestamp_sub_interval', '-', [T.timestamp, T.interval], T.timestamp, ([a, b]) => timestampPlusInterval(n(a), negateInterval(iv(b)))),
  fn('timestamp_sub', '-', [T.timestamp, T.timestamp], T.interval, ([a, b]) => timestampDiff(n(a), n(b))),
  fn('timestamptz_add_interval', '+', [T.timestamptz, T.interval], T.timestamptz, ([a, b], ctx) => timestamptzPlusInterval(n(a), iv(b), ctx.timeZone)),
  fn('interval_add_timestamptz', '+', [T.interval, T.timestamptz], T.timestamptz, ([a, b], ctx) => timestamptzPlusInterval(n(b), iv(a), ctx.timeZone)),
  fn('timestamptz_sub_interval', '-', [T.timestamptz, T.interval], T.timestamptz, ([a, b], ctx) =>
    timestamptzPlusInterval(n(a), negateInterval(iv(b)), ctx.timeZone)),
  fn('timestamptz_sub', '-', [T.timestamptz, T.timestamptz], T.interval, ([a, b]) => timestampDiff(n(a), n(b))),
  // dates
  fn('date_add_int4', '+', [T.date, T.int4], T.date, ([a, b]) => checkTimestamp(n(a) + n(b))),
  fn('int4_add_date', '+', [T.int4, T.date], T.date, ([a, b]) => checkTimestamp(n(a) + n(b))),
  fn('date_sub_int4', '-', [T.date, T.int4], T.date, ([a, b]) => checkTimestamp(n(a) - n(b))),
  fn('date_sub', '-', [T.date, T.date], T.int4, ([a, b]) => {
    if (!Number.isFinite(n(a)) || !Number.isFinite(n(b))) throw new SqlError(SqlState.datetimeFieldOverflow, 'cannot subtract infinite dates');
    return checkInt4(n(a) - n(b));
  }),
  fn('date_add_interval', '+', [T.date, T.interval], T.timestamp, ([a, b]) => timestampPlusInterval(n(a) * USECS_PER_DAY, iv(b))),
  fn('interval_add_date', '+', [T.interval, T.date], T.timestamp, ([a, b]) => timestampPlusInterval(n(b) * USECS_PER_DAY, iv(a))),
  fn('date_sub_interval', '-', [T.date, T.interval], T.timestamp, ([a, b]) => timestampPlusInterval(n(a) * USECS_PER_DAY, negateInterval(iv(b)))),
  fn('date_add_time', '+', [T.date, T.time], T.timestamp, ([a, b]) => checkTimestamp(n(a) * USECS_PER_DAY + n(b))),
  fn('time_add_date', '+', [T.time, T.date], T.timestamp, ([a, b]) => checkTimestamp(n(b) * USECS_PER_DAY + n(a))),
  // times
  fn('time_add_interval', '+', [T.time, T.interval], T.time, ([a, b]) => timeWrap(n(a) + iv(b).micros)),
  fn('interval_add_time', '+', [T.interval, T.time], T.time, ([a, b]) => timeWrap(n(b) + iv(a).micros)),
  fn('time_sub_interval', '-', [T.time, T.interval], T.time, ([a, b]) => timeWrap(n(a) - iv(b).micros)),
  fn('time_sub', '-', [T.time, T.time], T.interval, ([a, b]) => new Interval(0, 0, n(a) - n(b))),
  // intervals
  fn('interval_add', '+', [T.interval, T.interval], T.interval, ([a, b]) => addIntervals(iv(a), iv(b))),
  fn('interval_sub', '-', [T.interval, T.interval], T.interval, ([a, b]) => addIntervals(iv(a), negateInterval(iv(b)))),
  fn('interval_neg', '-', [T.interval], T.interval, ([a]) => negateInterval(iv(a))),
  fn('interval_pos', '+', [T.interval], T.interval, ([a]) => a!),
  fn('interval_mul', '*', [T.interval, T.float8], T.interval, ([a, b]) => intervalMul(iv(a), n(b))),
  fn('float8_mul_interval', '*', [T.float8, T.interval], T.interval, ([a, b]) => intervalMul(iv(b), n(a))),
  fn('interval_div', '/', [T.interval, T.float8], T.interval, ([a, b]) => {
    if (n(b) === 0) throw divisionByZero();
    return intervalMul(iv(a), 1 / n(b));
  }),
  fn('justify_hours', 'justify_hours', [T.interval], T.interval, ([a]) => justifyHours(iv(a))),
  fn('justify_days', 'justify_days', [T.interval], T.interval, ([a]) => justifyDays(iv(a))),
  fn('justify_interval', 'justify_interval', [T.interval], T.interval, ([a]) => justifyInterval(iv(a))),
  // constructors and zones
  fn('to_timestamp', 'to_timestamp', [T.float8], T.timestamptz, ([a]) => toTimestamp(n(a))),
  fn('make_date', 'make_date', [T.int4, T.int4, T.int4], T.date, ([y, m, d]) => makeDate(n(y), n(m), n(d))),
  fn('make_interval', 'make_interval', [T.int4, T.int4, T.int4, T.int4, T.int4, T.int4, T.float8], T.interval, ([y, m, w, d, h, mi, s]) =>
    checkInterval(n(y) * 12 + n(m), n(w) * 7 + n(d), Math.round((n(h) * 3600 + n(mi) * 60) * 1e6 + n(s) * 1e6))),
  // AT TIME ZONE: timestamptz -> local timestamp in zone, and timestamp read as local time in zone.
  fn('timezone_timestamptz', 'timezone', [T.text, T.timestamptz], T.timestamp, ([z, ts]) => utcToLocal(n(ts), z as string)),
  fn('timezone_timestamp', 'timezone', [T.text, T.timestamp], T.timestamptz, ([z, ts]) => localToUtc(n(ts), z as string)),
];

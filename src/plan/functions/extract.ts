/**
 * extract.ts owns the field functions of dates, times, timestamps and intervals:
 * `extract(field from x)` (numeric, as Postgres 14+: seconds with 6 decimals, milliseconds with 3,
 * epoch of a timestamp with 6), `date_part(text, x)` (float8) and `date_trunc(text, x)` for
 * timestamp, timestamptz (in the session time zone, or an explicit third argument) and interval.
 *
 * The parser turns `EXTRACT(year FROM x)` into `extract('year', x)`.
 */
import { Interval, type Datum } from '../../types/datum.js';
import { Numeric } from '../../types/numeric.js';
import { T, typeName, type SqlType } from '../../types/sql-type.js';
import type { EvalContext } from './function-impl.js';
import {
  civilFromDays,
  daysFromCivil,
  isoWeek,
  localToUtc,
  normalizeUnit,
  splitTimestamp,
  unitNotRecognized,
  unitNotSupported,
  USECS_PER_DAY,
  USECS_PER_HOUR,
  USECS_PER_MINUTE,
  utcToLocal,
  zoneOffset,
} from './datetime-util.js';
import { fn, type Fn } from './define.js';

const num = (v: number | bigint, scale = 0): Numeric => new Numeric(BigInt(v), scale);

/** Postgres's year numbering has no year 0: 1 BC is year 0 in the proleptic calendar. */
function pgYear(y: number): number {
  return y > 0 ? y : y - 1;
}

function centuryOf(year: number): number {
  return year > 0 ? Math.floor((year + 99) / 100) : -Math.floor((99 - (year - 1)) / 100);
}

function millenniumOf(year: number): number {
  return year > 0 ? Math.floor((year + 999) / 1000) : -Math.floor((999 - (year - 1)) / 1000);
}

/** Fields of the calendar date (days since the epoch) shared by date and timestamp. */
function dateField(unit: string, days: number): number | undefined {
  const c = civilFromDays(days);
  const year = pgYear(c.year);
  switch (unit) {
    case 'day': return c.day;
    case 'month': return c.month;
    case 'quarter': return Math.floor((c.month - 1) / 3) + 1;
    case 'year': return year;
    case 'decade': return Math.floor(year / 10);
    case 'century': return centuryOf(year);
    case 'millennium': return millenniumOf(year);
    case 'dow': return ((((days + 4) % 7) + 7) % 7);
    case 'isodow': return ((((days + 3) % 7) + 7) % 7) + 1;
    case 'doy': return days - daysFromCivil(c.year, 1, 1) + 1;
    case 'week': return isoWeek(days).week;
    case 'isoyear': return pgYear(isoWeek(days).isoYear);
    case 'julian': return days + 2440588;
    default: return undefined;
  }
}

const INFINITE_FIELDS = new Set(['epoch', 'year', 'decade', 'century', 'millennium', 'julian', 'isoyear']);

function infiniteField(unit: string, sign: number): Numeric | null {
  if (!INFINITE_FIELDS.has(unit)) return null;
  return Numeric.parse(sign > 0 ? 'Infinity' : '-Infinity');
}

/** extract from a timestamp given as local time; `utc` is the instant (for epoch and timezone). */
function timestampField(rawUnit: string, local: number, utc: number, t: SqlType): Numeric | null {
  const unit = normalizeUnit(rawUnit);
  if (unit === undefined) throw unitNotRecognized(rawUnit, typeName(t));
  if (!Number.isFinite(local)) return infiniteField(unit, local);
  const { days, time } = splitTimestamp(local);
  const secUsec = time % USECS_PER_MINUTE;
  switch (unit) {
    case 'microseconds': return num(secUsec);
    case 'milliseconds': return num(secUsec, 3);
    case 'second': return num(secUsec, 6);
    case 'minute': return num(Math.floor((time % USECS_PER_HOUR) / USECS_PER_MINUTE));
    case 'hour': return num(Math.floor(time / USECS_PER_HOUR));
    case 'epoch': return num(utc, 6);
    case 'julian': {
      // Julian day with the fraction of the day, as Postgres 14+ computes it.
      return num(days + 2440588).add(new Numeric(BigInt(time), 0).divScale(num(USECS_PER_DAY), 20));
    }
    case 'timezone':
    case 'timezone_hour':
    case 'timezone_minute': {
      if (t.kind !== 'timestamptz') throw unitNotSupported(rawUnit, typeName(t));
      const off = (local - utc) / 1_000_000;
      if (unit === 'timezone') return num(off);
      return num(unit === 'timezone_hour' ? Math.trunc(off / 3600) : Math.trunc((off % 3600) / 60));
    }
    default: {
      const v = dateField(unit, days);
      if (v === undefined) throw unitNotSupported(rawUnit, typeName(t));
      return num(v);
    }
  }
}

function dateFieldNumeric(rawUnit: string, days: number): Numeric | null {
  const unit = normalizeUnit(rawUnit);
  if (unit === undefined) throw unitNotRecognized(rawUnit, 'date');
  if (!Number.isFinite(days)) return infiniteField(unit, days);
  if (unit === 'epoch') return num(days * 86400);
  const v = dateField(unit, days);
  if (v === undefined) throw unitNotSupported(rawUnit, 'date');
  return num(v);
}

function timeField(rawUnit: string, time: number): Numeric {
  const unit = normalizeUnit(rawUnit);
  if (unit === undefined) throw unitNotRecognized(rawUnit, 'time without time zone');
  const secUsec = time % USECS_PER_MINUTE;
  switch (unit) {
    case 'microseconds': return num(secUsec);
    case 'milliseconds': return num(secUsec, 3);
    case 'second': return num(secUsec, 6);
    case 'minute': return num(Math.floor((time % USECS_PER_HOUR) / USECS_PER_MINUTE));
    case 'hour': return num(Math.floor(time / USECS_PER_HOUR));
    case 'epoch': return num(time, 6);
    default: throw unitNotSupported(rawUnit, 'time without time zone');
  }
}

function intervalField(rawUnit: string, iv: Interval): Numeric {
  const unit = normalizeUnit(rawUnit);
  if (unit === undefined) throw unitNotRecognized(rawUnit, 'interval');
  const years = Math.trunc(iv.months / 12);
  const secUsec = iv.micros % USECS_PER_MINUTE;
  switch (unit) {
    case 'microseconds': return num(secUsec);
    case 'milliseconds': return num(secUsec, 3);
    case 'second': return num(secUsec, 6);
    case 'minute': return num(Math.trunc((iv.micros % USECS_PER_HOUR) / USECS_PER_MINUTE));
    case 'hour': return num(Math.trunc(iv.micros / USECS_PER_HOUR));
    case 'day': return num(iv.days);
    case 'month': return num(iv.months % 12);
    case 'quarter': return num(Math.trunc((iv.months % 12) / 3) + 1);
    case 'year': return num(years);
    case 'decade': return num(Math.trunc(years / 10));
    case 'century': return num(Math.trunc(years / 100));
    case 'millennium': return num(Math.trunc(years / 1000));
    case 'epoch': {
      const m = BigInt(iv.months);
      const quarterDays = 1461n * (m / 12n) + 120n * (m % 12n) + 4n * BigInt(iv.days);
      return num(quarterDays * 21600n * 1_000_000n + BigInt(iv.micros), 6);
    }
    default: throw unitNotSupported(rawUnit, 'interval');
  }
}

const toFloat = (n: Numeric | null): Datum => (n === null ? null : n.toNumber());

// ---- date_trunc ----

function truncLocal(rawUnit: string, local: number, t: SqlType): number {
  const unit = normalizeUnit(rawUnit);
  if (unit === undefined) throw unitNotRecognized(rawUnit, typeName(t));
  if (!Number.isFinite(local)) return local;
  const { days, time } = splitTimestamp(local);
  const c = civilFromDays(days);
  const atDay = (d: number): number => d * USECS_PER_DAY;
  const year = pgYear(c.year);
  const fromYear = (y: number): number => atDay(daysFromCivil(y > 0 ? y : y + 1, 1, 1));
  switch (unit) {
    case 'microseconds': return local;
    case 'milliseconds': return local - (((time % 1000) + 1000) % 1000);
    case 'second': return local - (time % 1_000_000);
    case 'minute': return local - (time % USECS_PER_MINUTE);
    case 'hour': return local - (time % USECS_PER_HOUR);
    case 'day': return atDay(days);
    case 'week': return atDay(days - ((((days + 3) % 7) + 7) % 7));
    case 'month': return atDay(daysFromCivil(c.year, c.month, 1));
    case 'quarter': return atDay(daysFromCivil(c.year, 3 * Math.floor((c.month - 1) / 3) + 1, 1));
    case 'year': return atDay(daysFromCivil(c.year, 1, 1));
    case 'decade': return fromYear(year > 0 ? Math.floor(year / 10) * 10 : -Math.floor((8 - (year - 1)) / 10) * 10);
    case 'century': return fromYear(year > 0 ? Math.floor((year + 99) / 100) * 100 - 99 : -Math.floor((99 - (year - 1)) / 100) * 100 + 1);
    case 'millennium': return fromYear(year > 0 ? Math.floor((year + 999) / 1000) * 1000 - 999 : -Math.floor((999 - (year - 1)) / 1000) * 1000 + 1);
    default: throw unitNotSupported(rawUnit, typeName(t));
  }
}

function truncTz(unit: string, ts: number, zone: string): number {
  const local = truncLocal(unit, utcToLocal(ts, zone), T.timestamptz);
  // Units below an hour are exact in UTC too; keep the instant's own offset for them (DST folds).
  const u = normalizeUnit(unit);
  if (u === 'microseconds' || u === 'milliseconds' || u === 'second' || u === 'minute') return local - zoneOffset(ts, zone);
  return localToUtc(local, zone);
}

function truncInterval(rawUnit: string, iv: Interval): Interval {
  const unit = normalizeUnit(rawUnit);
  if (unit === undefined) throw unitNotRecognized(rawUnit, 'interval');
  const m = iv.months;
  const yearMonths = m - (m % 12);
  switch (unit) {
    case 'microseconds': return iv;
    case 'milliseconds': return new Interval(m, iv.days, iv.micros - (iv.micros % 1000));
    case 'second': return new Interval(m, iv.days, iv.micros - (iv.micros % 1_000_000));
    case 'minute': return new Interval(m, iv.days, iv.micros - (iv.micros % USECS_PER_MINUTE));
    case 'hour': return new Interval(m, iv.days, iv.micros - (iv.micros % USECS_PER_HOUR));
    case 'day': return new Interval(m, iv.days, 0);
    case 'month': return new Interval(m, 0, 0);
    case 'quarter': return new Interval(m - (m % 3), 0, 0);
    case 'year': return new Interval(yearMonths, 0, 0);
    case 'decade': return new Interval(m - (m % 120), 0, 0);
    case 'century': return new Interval(m - (m % 1200), 0, 0);
    case 'millennium': return new Interval(m - (m % 12000), 0, 0);
    case 'week':
      throw unitNotSupported(rawUnit, 'interval');
    default: throw unitNotSupported(rawUnit, 'interval');
  }
}

const zoneOf = (ctx: EvalContext): string => ctx.timeZone;

export const EXTRACT_FUNCTIONS: readonly Fn[] = [
  fn('extract_timestamp', 'extract', [T.text, T.timestamp], T.numeric, ([u, ts]) => timestampField(u as string, ts as number, ts as number, T.timestamp)),
  fn('extract_timestamptz', 'extract', [T.text, T.timestamptz], T.numeric, ([u, ts], ctx) =>
    timestampField(u as string, utcToLocal(ts as number, zoneOf(ctx)), ts as number, T.timestamptz)),
  fn('extract_date', 'extract', [T.text, T.date], T.numeric, ([u, d]) => dateFieldNumeric(u as string, d as number)),
  fn('extract_time', 'extract', [T.text, T.time], T.numeric, ([u, t]) => timeField(u as string, t as number)),
  fn('extract_interval', 'extract', [T.text, T.interval], T.numeric, ([u, iv]) => intervalField(u as string, iv as Interval)),
  fn('date_part_timestamp', 'date_part', [T.text, T.timestamp], T.float8, ([u, ts]) =>
    toFloat(timestampField(u as string, ts as number, ts as number, T.timestamp))),
  fn('date_part_timestamptz', 'date_part', [T.text, T.timestamptz], T.float8, ([u, ts], ctx) =>
    toFloat(timestampField(u as string, utcToLocal(ts as number, zoneOf(ctx)), ts as number, T.timestamptz))),
  // date_part(text, date) is date_part(text, timestamp) in Postgres (a SQL function over the cast).
  fn('date_part_date', 'date_part', [T.text, T.date], T.float8, ([u, d]) => {
    const ts = (d as number) * USECS_PER_DAY;
    return toFloat(timestampField(u as string, ts, ts, T.timestamp));
  }),
  fn('date_part_time', 'date_part', [T.text, T.time], T.float8, ([u, t]) => toFloat(timeField(u as string, t as number))),
  fn('date_part_interval', 'date_part', [T.text, T.interval], T.float8, ([u, iv]) => toFloat(intervalField(u as string, iv as Interval))),
  fn('date_trunc_timestamp', 'date_trunc', [T.text, T.timestamp], T.timestamp, ([u, ts]) => truncLocal(u as string, ts as number, T.timestamp)),
  fn('date_trunc_timestamptz', 'date_trunc', [T.text, T.timestamptz], T.timestamptz, ([u, ts], ctx) =>
    truncTz(u as string, ts as number, zoneOf(ctx))),
  fn('date_trunc_timestamptz_zone', 'date_trunc', [T.text, T.timestamptz, T.text], T.timestamptz, ([u, ts, z]) =>
    truncTz(u as string, ts as number, z as string)),
  fn('date_trunc_interval', 'date_trunc', [T.text, T.interval], T.interval, ([u, iv]) => truncInterval(u as string, iv as Interval)),
];

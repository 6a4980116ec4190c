/**
 * datetime-util.ts owns the calendar arithmetic the datetime functions share: days ↔ civil
 * dates (proleptic Gregorian, as Postgres), time-zone offsets of IANA zones (via Intl, cached),
 * local ↔ UTC conversion with Postgres's rules for skipped and repeated local times, and the
 * timestamp + interval rule (months, then days, then microseconds).
 *
 * Timestamps are microseconds since 1970-01-01 (UTC for timestamptz), dates are days since
 * 1970-01-01; ±Infinity stands for 'infinity' in both.
 */
import { Interval } from '../../types/datum.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import { daysFromCivil } from '../../types/datetime-format.js';

export const USECS_PER_SEC = 1_000_000;
export const USECS_PER_MINUTE = 60_000_000;
export const USECS_PER_HOUR = 3_600_000_000;
export const USECS_PER_DAY = 86_400_000_000;

export { daysFromCivil };

export interface Civil {
  year: number;
  month: number;
  day: number;
}

export function civilFromDays(z: number): Civil {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp + (mp < 10 ? 3 : -9);
  return { year: era * 400 + yoe + (month <= 2 ? 1 : 0), month, day };
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

/** Splits a timestamp into whole days and the microseconds since that midnight (floor). */
export function splitTimestamp(ts: number): { days: number; time: number } {
  const days = Math.floor(ts / USECS_PER_DAY);
  return { days, time: ts - days * USECS_PER_DAY };
}

export function timestampOutOfRange(): SqlError {
  return new SqlError(SqlState.datetimeFieldOverflow, 'timestamp out of range');
}

export function intervalOutOfRange(): SqlError {
  return new SqlError(SqlState.datetimeFieldOverflow, 'interval out of range');
}

/** Finite results past the exact range of a JS number of microseconds are out of range. */
export function checkTimestamp(ts: number): number {
  if (Number.isFinite(ts) && Math.abs(ts) > Number.MAX_SAFE_INTEGER) throw timestampOutOfRange();
  return ts;
}

export function checkInterval(months: number, days: number, micros: number): Interval {
  const i32 = (v: number): boolean => v >= -2147483648 && v <= 2147483647;
  if (!i32(months) || !i32(days) || !Number.isSafeInteger(micros)) throw intervalOutOfRange();
  return new Interval(months, days, micros);
}

// ---- time zones ----

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        era: 'short',
      });
    } catch {
      throw new SqlError(SqlState.invalidParameterValue, `time zone "${zone}" not recognized`);
    }
    formatters.set(zone, f);
  }
  return f;
}

function isUtc(zone: string): boolean {
  const z = zone.toLowerCase();
  return z === 'utc' || z === 'gmt' || z === 'z' || z === 'etc/utc' || z === 'zulu' || z === 'universal';
}

/** Offset of local time from UTC in microseconds at the instant `utc` (local = utc + offset). */
export function zoneOffset(utc: number, zone: string): number {
  if (isUtc(zone) || !Number.isFinite(utc)) return 0;
  const ms = Math.floor(utc / 1000);
  const secondsMs = ms - Math.floor(ms / 1000) * 1000;
  const parts = formatterFor(zone).formatToParts(new Date(ms));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  let year = get('year');
  if (parts.find((p) => p.type === 'era')?.value === 'BC') year = 1 - year;
  const localDays = daysFromCivil(year, get('month'), get('day'));
  const localMs = ((localDays * 24 + get('hour')) * 60 + get('minute')) * 60_000 + get('second') * 1000 + secondsMs;
  return (localMs - ms) * 1000;
}

export function utcToLocal(utc: number, zone: string): number {
  return utc + zoneOffset(utc, zone);
}

/**
 * The UTC instant of a local time in `zone`, with Postgres's rule at transitions: a local time
 * skipped by a spring-forward transition is read with the offset before it; a local time repeated
 * by a fall-back transition takes the offset after it (the later instant).
 */
export function localToUtc(local: number, zone: string): number {
  if (isUtc(zone) || !Number.isFinite(local)) return local;
  const before = zoneOffset(local - USECS_PER_DAY, zone);
  const after = zoneOffset(local + USECS_PER_DAY, zone);
  const uBefore = local - before;
  if (before === after) {
    const o = zoneOffset(uBefore, zone);
    return o === before ? uBefore : local - o;
  }
  const uAfter = local - after;
  const afterValid = zoneOffset(uAfter, zone) === after;
  const beforeValid = zoneOffset(uBefore, zone) === before;
  if (afterValid) return uAfter;
  if (beforeValid) return uBefore;
  return uBefore;
}

// ---- timestamp ± interval ----

/** Adds months (clamping the day to the month's end) and days to a local timestamp. */
export function addMonthsDays(local: number, months: number, days: number): number {
  if (months === 0 && days === 0) return local;
  const { days: d, time } = splitTimestamp(local);
  let dayNumber = d;
  if (months !== 0) {
    const c = civilFromDays(d);
    const total = c.year * 12 + (c.month - 1) + months;
    const year = Math.floor(total / 12);
    const month = total - year * 12 + 1;
    dayNumber = daysFromCivil(year, month, Math.min(c.day, daysInMonth(year, month)));
  }
  return (dayNumber + days) * USECS_PER_DAY + time;
}

export function timestampPlusInterval(ts: number, iv: Interval): number {
  if (!Number.isFinite(ts)) return ts;
  return checkTimestamp(addMonthsDays(ts, iv.months, iv.days) + iv.micros);
}

/** timestamptz + interval: months and days move the local calendar date in `zone` (DST-aware). */
export function timestamptzPlusInterval(ts: number, iv: Interval, zone: string): number {
  if (!Number.isFinite(ts)) return ts;
  let t = ts;
  if (iv.months !== 0 || iv.days !== 0) t = localToUtc(addMonthsDays(utcToLocal(ts, zone), iv.months, iv.days), zone);
  return checkTimestamp(t + iv.micros);
}

export function negateInterval(iv: Interval): Interval {
  return checkInterval(-iv.months + 0, -iv.days + 0, -iv.micros + 0);
}

/** Postgres's unit names and abbreviations (DecodeUnits), normalized to one word. */
const UNIT_ALIASES: Record<string, string> = {
  microsecond: 'microseconds', microseconds: 'microseconds', us: 'microseconds', usec: 'microseconds', usecs: 'microseconds', useconds: 'microseconds',
  millisecond: 'milliseconds', milliseconds: 'milliseconds', ms: 'milliseconds', msec: 'milliseconds', msecs: 'milliseconds', mseconds: 'milliseconds',
  second: 'second', seconds: 'second', s: 'second', sec: 'second', secs: 'second',
  minute: 'minute', minutes: 'minute', m: 'minute', min: 'minute', mins: 'minute',
  hour: 'hour', hours: 'hour', h: 'hour', hr: 'hour', hrs: 'hour',
  day: 'day', days: 'day', d: 'day',
  week: 'week', weeks: 'week', w: 'week',
  month: 'month', months: 'month', mon: 'month', mons: 'month',
  quarter: 'quarter', qtr: 'quarter',
  year: 'year', years: 'year', y: 'year', yr: 'year', yrs: 'year',
  decade: 'decade', decades: 'decade', dec: 'decade', decs: 'decade',
  century: 'century', centuries: 'century', c: 'century', cent: 'century',
  millennium: 'millennium', millennia: 'millennium', mil: 'millennium', mils: 'millennium', millenniums: 'millennium',
  epoch: 'epoch', dow: 'dow', isodow: 'isodow', doy: 'doy', isoyear: 'isoyear', julian: 'julian', j: 'julian',
  timezone: 'timezone', timezone_h: 'timezone_hour', timezone_hour: 'timezone_hour', timezone_m: 'timezone_minute', timezone_minute: 'timezone_minute',
};

export function normalizeUnit(unit: string): string | undefined {
  return UNIT_ALIASES[unit.trim().toLowerCase()];
}

export function unitNotRecognized(unit: string, typeName: string): SqlError {
  return new SqlError(SqlState.invalidParameterValue, `unit "${unit}" not recognized for type ${typeName}`);
}

export function unitNotSupported(unit: string, typeName: string): SqlError {
  return new SqlError(SqlState.featureNotSupported, `unit "${unit}" not supported for type ${typeName}`);
}

/** ISO 8601 week-numbering year and week of a date (days since the epoch). */
export function isoWeek(days: number): { isoYear: number; week: number } {
  const isodow = ((((days + 3) % 7) + 7) % 7) + 1; // 1970-01-01 was a Thursday (isodow 4)
  const thursday = days - isodow + 4;
  const isoYear = civilFromDays(thursday).year;
  const week = Math.floor((thursday - daysFromCivil(isoYear, 1, 1)) / 7) + 1;
  return { isoYear, week };
}

/**
 * The fast path of a JSON timestamp: the one spelling nearly every producer writes,
 * `YYYY-MM-DD HH:MM:SS[.f…]` or with a `T`, optionally ending in `Z` (UTC) — RisingWave's
 * Nexmark producer writes '2026-11-26 10:00:00.014', JavaScript's toISOString
 * '2026-11-26T10:00:00.014Z' — read by character codes into µs since the epoch, without the
 * general date/time parser's regular expressions and lower-casing.
 *
 * Anything else (other zones, other orders, BC, 24:00:00, leap seconds, years before 1000 or
 * past weir's range, fields out of range) is `undefined`, and the caller takes Postgres's full parser, which reads
 * it or gives the error. So the fast path only ever agrees with the full one: a timestamp
 * without a zone and one in UTC are the same instant for `timestamp` and `timestamptz` alike.
 */

/** The value of `len` decimal digits at `at`, or -1 if one is not a digit. */
function digits(s: string, at: number, len: number): number {
  let v = 0;
  for (let i = at; i < at + len; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

const MAX_MICROS = 2 ** 53;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  if (month !== 2) return DAYS_IN_MONTH[month - 1]!;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/**
 * The last minute read (`YYYY-MM-DD HH:MM`, as written) and its ms since the epoch: a stream's
 * timestamps mostly share their minute with the one before, so only the seconds are read then.
 */
let lastMinute = '';
let lastMinuteMs = 0;

/** µs since the epoch of `s` in the common ISO spelling, or undefined for any other text. */
export function isoTimestampMicros(s: string): number | undefined {
  let end = s.length;
  if (end < 19) return undefined;
  if (s.charCodeAt(end - 1) === 90 /* Z */) end--;
  if (s.charCodeAt(16) !== 58) return undefined;
  let minuteMs: number;
  if (lastMinute !== '' && s.startsWith(lastMinute)) minuteMs = lastMinuteMs;
  else {
    const sep = s.charCodeAt(10);
    if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || (sep !== 32 && sep !== 84) || s.charCodeAt(13) !== 58) return undefined;
    const year = digits(s, 0, 4);
    const month = digits(s, 5, 2);
    const day = digits(s, 8, 2);
    const hour = digits(s, 11, 2);
    const minute = digits(s, 14, 2);
    if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour < 0 || hour > 23 || minute < 0 || minute > 59) return undefined;
    minuteMs = Date.UTC(year, month - 1, day, hour, minute, 0);
    lastMinute = s.slice(0, 16);
    lastMinuteMs = minuteMs;
  }
  const second = digits(s, 17, 2);
  if (second < 0 || second > 59) return undefined;
  let micros = 0;
  if (end > 19) {
    const n = end - 20;
    if (s.charCodeAt(19) !== 46 /* . */ || n < 1 || n > 6) return undefined;
    const f = digits(s, 20, n);
    if (f < 0) return undefined;
    micros = f * 10 ** (6 - n);
  }
  const us = (minuteMs + second * 1000) * 1000 + micros;
  // Past weir's timestamp range (±2^53 µs: 1685 to 2255): the full parser gives the error.
  return Math.abs(us) <= MAX_MICROS ? us : undefined;
}

/**
 * Parsing of datagen option values: numbers per column type (range-checked), durations in
 * RisingWave's `max_past` syntax (the humantime crate's: `2h 37min`, `1day`, `500ms`), RFC 3339
 * base times, and small integers. Every failure is a 22023 SqlError naming the option.
 */
import { Numeric } from '../../types/numeric.js';
import { parseTimestamp } from '../../types/datetime-format.js';
import { SqlError, SqlState } from '../../types/sql-error.js';

export function badValue(key: string, value: string, hint: string): SqlError {
  return new SqlError(SqlState.invalidParameterValue, `invalid value for option "${key}": "${value}"`, { hint });
}

/** A non-negative (or ≥ min) safe integer. */
export function parseCount(key: string, value: string, min = 0): number {
  const v = value.trim();
  const n = /^\+?\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min) {
    throw badValue(key, value, min === 0 ? 'The value must be a non-negative integer.' : `The value must be an integer of at least ${min}.`);
  }
  return n;
}

const INT_RANGES = {
  int2: [-(2n ** 15n), 2n ** 15n - 1n],
  int4: [-(2n ** 31n), 2n ** 31n - 1n],
  int8: [-(2n ** 63n), 2n ** 63n - 1n],
} as const;

export type IntKind = keyof typeof INT_RANGES;

export function parseIntOption(key: string, value: string, kind: IntKind): bigint {
  const v = value.trim();
  const [lo, hi] = INT_RANGES[kind];
  if (/^[+-]?\d+$/.test(v)) {
    const n = BigInt(v);
    if (n >= lo && n <= hi) return n;
  }
  throw badValue(key, value, `The value must be an integer between ${lo} and ${hi}.`);
}

export function parseFloatOption(key: string, value: string): number {
  const v = value.trim();
  const n = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(v) ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw badValue(key, value, 'The value must be a finite number.');
  return n;
}

export function parseNumericOption(key: string, value: string): Numeric {
  let n: Numeric;
  try {
    n = Numeric.parse(value);
  } catch {
    throw badValue(key, value, 'The value must be a decimal number.');
  }
  if (n.isSpecial()) throw badValue(key, value, 'The value must be a finite decimal number.');
  return n;
}

const UNIT_MS: Record<string, number> = {
  nsec: 1e-6, ns: 1e-6,
  usec: 1e-3, us: 1e-3, 'µs': 1e-3,
  msec: 1, ms: 1,
  seconds: 1000, second: 1000, sec: 1000, secs: 1000, s: 1000,
  minutes: 60_000, minute: 60_000, min: 60_000, mins: 60_000, m: 60_000,
  hours: 3_600_000, hour: 3_600_000, hr: 3_600_000, hrs: 3_600_000, h: 3_600_000,
  days: 86_400_000, day: 86_400_000, d: 86_400_000,
  weeks: 604_800_000, week: 604_800_000, w: 604_800_000,
  months: 2_630_016_000, month: 2_630_016_000, M: 2_630_016_000,
  years: 31_557_600_000, year: 31_557_600_000, y: 31_557_600_000,
};

/** A humantime duration (`2h 37min`, `1day`, `90s`) as whole milliseconds (sub-ms truncated). */
export function parseDurationMs(key: string, value: string): number {
  const v = value.trim();
  const re = /(\d+)\s*([a-zA-Zµ]+)\s*/gy;
  let ms = 0;
  let at = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(v)) !== null) {
    const unit = UNIT_MS[m[2]!];
    if (unit === undefined) break;
    ms += Number(m[1]) * unit;
    at = re.lastIndex;
  }
  if (v === '' || at !== v.length || !Number.isSafeInteger(Math.floor(ms))) {
    throw badValue(key, value, "The value must be a duration such as '2h 37min', '1day' or '500ms'.");
  }
  return Math.floor(ms);
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * An RFC 3339 date-time as µs: for timestamp its wall-clock reading (the offset ignored, as
 * RisingWave's naive_local), for timestamptz (and date) the instant.
 */
export function parseBaseTime(key: string, value: string, withZone: boolean): number {
  const v = value.trim();
  if (RFC3339.test(v)) {
    try {
      return parseTimestamp(v.replace(/[Tt]/, ' ').replace(/[Zz]$/, '+00:00'), withZone);
    } catch {
      // fall through to the 22023 below
    }
  }
  throw badValue(key, value, "The value must be an RFC 3339 date-time such as '2023-04-01T16:39:57-08:00'.");
}

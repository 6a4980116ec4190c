/**
 * Datum: one SQL value as a JS value. The mapping is fixed per type (no silent rounding):
 *
 * | SQL type                         | JS value                                               |
 * |----------------------------------|--------------------------------------------------------|
 * | NULL (any type)                  | `null`                                                 |
 * | bool                             | boolean                                                |
 * | int2, int4, float4, float8, oid  | number                                                 |
 * | int8                             | bigint (always; range-checked to 64 bits)              |
 * | numeric                          | `Numeric` (unscaled bigint + scale, see numeric.ts)    |
 * | text, varchar, char, uuid, json  | string (json keeps its input text, uuid is lower-case) |
 * | bytea                            | Uint8Array                                             |
 * | date                             | number: days since 1970-01-01                          |
 * | time                             | number: microseconds since midnight                    |
 * | timestamp, timestamptz           | number: microseconds since 1970-01-01 00:00 (UTC for   |
 * |                                  | timestamptz); ±Infinity for 'infinity'                 |
 * | interval                         | `Interval` (months, days, micros)                      |
 * | jsonb                            | `Jsonb` (a parsed JSON value; keys sorted on creation) |
 * | array                            | Datum[] (one dimension)                                |
 * | record                           | `Record` (its fields as Datum[])                       |
 *
 * Microseconds in a JS number are exact up to 2^53 µs, about ±285 years around 1970;
 * values outside that range are rejected with 22008 when parsed.
 */
import { Numeric } from './numeric.js';

export { Numeric };

export class Interval {
  constructor(
    readonly months: number,
    readonly days: number,
    readonly micros: number,
  ) {}

  /** The duration used to compare and order intervals, as Postgres does (a month is 30 days). */
  totalMicros(): number {
    return (this.months * 30 + this.days) * 86_400_000_000 + this.micros;
  }
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export class Jsonb {
  constructor(readonly value: JsonValue) {}
}

export class Record {
  constructor(readonly fields: Datum[]) {}
}

export type Datum =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | Numeric
  | Interval
  | Jsonb
  | Record
  | Datum[];

/** A row: one datum per column of its schema. */
export type Row = Datum[];

export function isNumeric(d: Datum): d is Numeric {
  return d instanceof Numeric;
}

export const INT8_MIN = -(2n ** 63n);
export const INT8_MAX = 2n ** 63n - 1n;

/**
 * set-returning.ts owns the set-returning functions of a select list, each as a function
 * returning the whole set as an array; the binder (sql/binder/set-returning.ts) puts them in
 * a FlatMap, which outputs one row per element. Registered under their SQL names, which the
 * binder intercepts before ordinary calls, so none of them is ever evaluated as a scalar.
 *
 * - `generate_series(start, stop [, step])` over int4 / int8 (step 1 by default) and
 *   timestamp / timestamptz (an interval step): the values from start towards stop, inclusive;
 *   a zero step is 22023, as in Postgres; more than MAX_ELEMENTS values is 54000.
 * - `generate_subscripts(a, dim)`: the subscripts of dimension 1 (arrays are one-dimensional).
 * - `_pg_expandarray(a)` (information_schema's, what pgjdbc's getPrimaryKeys calls): records
 *   `(x, n)`, each element with its 1-based position.
 * - `jsonb_array_elements[_text](j)`, `jsonb_object_keys(j)`: a non-array (non-object) is
 *   22023, as in Postgres.
 * - `pg_get_keywords()` (pgjdbc's getSQLKeywords): records `(word, catcode, catdesc)` from
 *   Postgres's own keyword list (kwlist.h, as @pgsql/quotes ships it). Postgres's `barelabel`
 *   and `baredesc` are left out: that list does not say which keywords are bare labels, and a
 *   missing column is a clear error where a guessed one would be a wrong answer.
 *
 * `unnest(a)` needs no function (the array is the set) and `regexp_split_to_table` is
 * regexp_split_to_array's set: the binder maps both.
 */
import { kwlist } from '@pgsql/quotes/kwlist.js';
import { Interval, Jsonb, Record as SqlRecord, type Datum, type JsonValue } from '../../types/datum.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import { formatDatum } from '../../types/text-format.js';
import { arrayOf, T, type SqlType } from '../../types/sql-type.js';
import { ANY_ARRAY, fn, type Fn } from './define.js';
import { timestampPlusInterval, timestamptzPlusInterval } from './datetime-util.js';

/** The most elements one call may produce. */
export const MAX_ELEMENTS = 10_000_000;

function tooMany(name: string): SqlError {
  return new SqlError(SqlState.programLimitExceeded, `${name} would return more than ${MAX_ELEMENTS} rows`);
}

function zeroStep(): SqlError {
  return new SqlError(SqlState.invalidParameterValue, 'step size cannot equal zero');
}

function intSeries(start: number, stop: number, step: number): number[] {
  if (step === 0) throw zeroStep();
  const out: number[] = [];
  for (let v = start; step > 0 ? v <= stop : v >= stop; v += step) {
    if (out.length >= MAX_ELEMENTS) throw tooMany('generate_series');
    out.push(v);
  }
  return out;
}

function int8Series(start: bigint, stop: bigint, step: bigint): bigint[] {
  if (step === 0n) throw zeroStep();
  const out: bigint[] = [];
  for (let v = start; step > 0n ? v <= stop : v >= stop; v += step) {
    if (out.length >= MAX_ELEMENTS) throw tooMany('generate_series');
    out.push(v);
  }
  return out;
}

function timeSeries(start: number, stop: number, step: Interval, add: (t: number) => number): number[] {
  const dir = Math.sign(step.totalMicros());
  if (dir === 0) throw zeroStep();
  const out: number[] = [];
  for (let v = start; dir > 0 ? v <= stop : v >= stop; v = add(v)) {
    if (out.length >= MAX_ELEMENTS) throw tooMany('generate_series');
    out.push(v);
  }
  return out;
}

function jsonArray(d: Datum, name: string): JsonValue[] {
  const v = (d as Jsonb).value;
  if (!Array.isArray(v)) throw new SqlError(SqlState.invalidParameterValue, `cannot extract elements from ${v === null || typeof v !== 'object' ? 'a scalar' : 'an object'}`, { detail: `${name} takes a JSON array.` });
  return v;
}

/** The element type of `_pg_expandarray`'s records: (x elem, n int4). */
export function expandArrayType(args: readonly SqlType[]): SqlType {
  const a = args[0];
  const elem = a?.kind === 'array' ? a.element : T.text;
  return arrayOf({ kind: 'record', fields: [{ name: 'x', type: elem }, { name: 'n', type: T.int4 }] });
}

/** Postgres's keyword categories: catcode and catdesc as pg_get_keywords() gives them. */
const KEYWORD_CATEGORIES = [
  ['UNRESERVED_KEYWORD', 'U', 'unreserved'],
  ['COL_NAME_KEYWORD', 'C', 'unreserved (cannot be function or type name)'],
  ['TYPE_FUNC_NAME_KEYWORD', 'T', 'reserved (can be function or type name)'],
  ['RESERVED_KEYWORD', 'R', 'reserved'],
] as const;

/** pg_get_keywords()'s rows, in word order as Postgres lists them. */
function keywords(): SqlRecord[] {
  const rows: [string, string, string][] = [];
  for (const [kind, code, desc] of KEYWORD_CATEGORIES) for (const w of kwlist[kind]) rows.push([w, code, desc]);
  rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return rows.map((r) => new SqlRecord(r));
}

const KEYWORD_ROW: SqlType = {
  kind: 'record',
  fields: [
    { name: 'word', type: T.text },
    { name: 'catcode', type: T.text },
    { name: 'catdesc', type: T.text },
  ],
};

export const SET_RETURNING_FUNCTIONS: readonly Fn[] = [
  fn('generate_series_int4', 'generate_series', [T.int4, T.int4], arrayOf(T.int4), ([a, b]) => intSeries(a as number, b as number, 1)),
  fn('generate_series_int4_step', 'generate_series', [T.int4, T.int4, T.int4], arrayOf(T.int4), ([a, b, s]) => intSeries(a as number, b as number, s as number)),
  fn('generate_series_int8', 'generate_series', [T.int8, T.int8], arrayOf(T.int8), ([a, b]) => int8Series(BigInt(a as bigint), BigInt(b as bigint), 1n)),
  fn('generate_series_int8_step', 'generate_series', [T.int8, T.int8, T.int8], arrayOf(T.int8), ([a, b, s]) =>
    int8Series(BigInt(a as bigint), BigInt(b as bigint), BigInt(s as bigint)),
  ),
  fn('generate_series_timestamp', 'generate_series', [T.timestamp, T.timestamp, T.interval], arrayOf(T.timestamp), ([a, b, s]) =>
    timeSeries(a as number, b as number, s as Interval, (t) => timestampPlusInterval(t, s as Interval)),
  ),
  fn(
    'generate_series_timestamptz',
    'generate_series',
    [T.timestamptz, T.timestamptz, T.interval],
    arrayOf(T.timestamptz),
    ([a, b, s], ctx) => timeSeries(a as number, b as number, s as Interval, (t) => timestamptzPlusInterval(t, s as Interval, ctx.timeZone)),
  ),
  fn('generate_subscripts', 'generate_subscripts', [ANY_ARRAY, T.int4], arrayOf(T.int4), ([a, d]) =>
    d === 1 ? (a as Datum[]).map((_, i) => i + 1) : [],
  { unify: true }),
  fn('_pg_expandarray', '_pg_expandarray', [ANY_ARRAY], expandArrayType, ([a]) => (a as Datum[]).map((x, i) => new SqlRecord([x, i + 1])), {
    unify: true,
  }),
  fn('pg_get_keywords', 'pg_get_keywords', [], arrayOf(KEYWORD_ROW), () => keywords()),
  fn('jsonb_array_elements', 'jsonb_array_elements', [T.jsonb], arrayOf(T.jsonb), ([j]) => jsonArray(j, 'jsonb_array_elements').map((v) => new Jsonb(v))),
  fn('jsonb_array_elements_text', 'jsonb_array_elements_text', [T.jsonb], arrayOf(T.text), ([j]) =>
    jsonArray(j, 'jsonb_array_elements_text').map((v) => (v === null ? null : typeof v === 'string' ? v : formatDatum(new Jsonb(v), T.jsonb))),
  ),
  fn('jsonb_object_keys', 'jsonb_object_keys', [T.jsonb], arrayOf(T.text), ([j]) => {
    const v = (j as Jsonb).value;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      throw new SqlError(SqlState.invalidParameterValue, `cannot call jsonb_object_keys on ${Array.isArray(v) ? 'an array' : 'a scalar'}`);
    }
    return Object.keys(v).sort((x, y) => x.length - y.length || (x < y ? -1 : x > y ? 1 : 0));
  }),
];

/** The SQL names of the set-returning functions (these plus unnest and regexp_split_to_table). */
export const SET_RETURNING_NAMES: ReadonlySet<string> = new Set([
  ...SET_RETURNING_FUNCTIONS.map((f) => f.sqlName),
  'unnest',
  'regexp_split_to_table',
]);

/**
 * comparison.ts owns the comparison operators = <> < <= > >= of every comparable type, with
 * ids `<type>_eq`, `<type>_ne`, `<type>_lt`, `<type>_le`, `<type>_gt`, `<type>_ge`.
 *
 * All of them order by compareDatums (src/types/compare.ts), so = agrees with GROUP BY and
 * ORDER BY (NaN = NaN and sorts last, 1.0 = 1.00, -0 = 0). varchar compares through its implicit
 * cast to text; char (bpchar) ignores trailing spaces, as Postgres does. Arrays compare
 * element-wise (anyarray, both sides the same element type).
 */
import { compareDatums } from '../../types/compare.js';
import type { Datum } from '../../types/datum.js';
import { T, type SqlType } from '../../types/sql-type.js';
import { ANY_ARRAY, fn, type Fn } from './define.js';

const OPS: [suffix: string, sqlName: string, test: (c: number) => boolean][] = [
  ['eq', '=', (c) => c === 0],
  ['ne', '<>', (c) => c !== 0],
  ['lt', '<', (c) => c < 0],
  ['le', '<=', (c) => c <= 0],
  ['gt', '>', (c) => c > 0],
  ['ge', '>=', (c) => c >= 0],
];

const COMPARABLE: [string, SqlType][] = [
  ['bool', T.bool],
  ['int2', T.int2],
  ['int4', T.int4],
  ['int8', T.int8],
  ['float4', T.float4],
  ['float8', T.float8],
  ['numeric', T.numeric],
  ['text', T.text],
  ['bytea', T.bytea],
  ['date', T.date],
  ['time', T.time],
  ['timestamp', T.timestamp],
  ['timestamptz', T.timestamptz],
  ['interval', T.interval],
  ['jsonb', T.jsonb],
  ['uuid', T.uuid],
  ['oid', T.oid],
];

function rtrimSpaces(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 32) end--;
  return end === s.length ? s : s.slice(0, end);
}

function comparisons(name: string, t: SqlType, cmp: (a: Datum, b: Datum) => number, unify = false): Fn[] {
  return OPS.map(([suffix, sqlName, test]) =>
    fn(`${name}_${suffix}`, sqlName, [t, t], T.bool, ([a, b]) => test(cmp(a!, b!)), { unify }),
  );
}

export const COMPARISON_FUNCTIONS: readonly Fn[] = [
  ...COMPARABLE.flatMap(([name, t]) => comparisons(name, t, compareDatums)),
  ...comparisons('bpchar', { kind: 'char' }, (a, b) => compareDatums(rtrimSpaces(a as string), rtrimSpaces(b as string))),
  ...comparisons('array', ANY_ARRAY, compareDatums, true),
];

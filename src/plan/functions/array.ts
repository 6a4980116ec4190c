/**
 * array.ts owns the functions and operators on one-dimensional arrays: array_length,
 * cardinality, array_lower, array_upper, array_to_string, array_position, array_append,
 * array_prepend, array_cat, array_remove, || (array with array or element), @> <@ && and
 * `= any` / `<> all` (x = ANY (array), x <> ALL (array), with SQL's NULL rules), and
 * array_subscript (a[i], 1-based; out of range gives NULL), and `array`, the ARRAY[…] constructor. Array = <> < … are in
 * comparison.ts; unnest is set-returning and not a scalar function.
 *
 * Elements compare with compareDatums; NULL elements never match in @> <@ && as in Postgres,
 * while array_position and array_remove treat NULL as equal to NULL (IS NOT DISTINCT FROM).
 */
import { compareDatums } from '../../types/compare.js';
import type { Datum } from '../../types/datum.js';
import { arrayOf, T, type SqlType } from '../../types/sql-type.js';
import { ANY, ANY_ARRAY, fn, needsSpecialize, type Fn } from './define.js';
import { asText } from './text.js';
import { specializedId } from './type-key.js';

const arr = (d: Datum): Datum[] => d as Datum[];

/** x = ANY (a): true on a match; NULL if none matched but x or an element is NULL; else false. */
function anyEqual(x: Datum, a: Datum[]): boolean | null {
  let sawNull = false;
  for (const y of a) {
    if (x === null || y === null) sawNull = true;
    else if (compareDatums(x, y) === 0) return true;
  }
  return sawNull ? null : false;
}

function notDistinct(a: Datum, b: Datum): boolean {
  if (a === null || b === null) return a === b;
  return compareDatums(a, b) === 0;
}

function containsAll(a: Datum[], b: Datum[]): boolean {
  return b.every((x) => x !== null && a.some((y) => y !== null && compareDatums(x, y) === 0));
}

function arrayToString(elem: SqlType, a: Datum[], sep: string, nullStr: Datum): string {
  const parts: string[] = [];
  for (const e of a) {
    if (e !== null) parts.push(asText(e, elem));
    else if (nullStr !== null) parts.push(nullStr as string);
  }
  return parts.join(sep);
}

/** The array type of a polymorphic call: from the first argument that is an array. */
function arrayTypeOf(args: readonly SqlType[]): SqlType {
  const a = args.find((t) => t.kind === 'array');
  if (a) return a;
  return arrayOf(args[0] ?? T.text);
}

function elementTypeOf(args: readonly SqlType[]): SqlType {
  const a = arrayTypeOf(args);
  return a.kind === 'array' ? a.element : T.text;
}

const poly = { unify: true } as const;

const arrayToStringGeneric = (id: string, args: SqlType[]): Fn =>
  fn(id, 'array_to_string', args, T.text, needsSpecialize(id), {
    strict: args.length === 2,
    unify: true,
    specialize: (types) =>
      fn(specializedId(id, types), 'array_to_string', types, T.text, ([a, sep, nullStr]) => {
        if (a === null || sep === null) return null;
        return arrayToString(elementTypeOf(types), arr(a), sep as string, nullStr ?? null);
      }, { strict: args.length === 2 }),
  });

export const ARRAY_FUNCTIONS: readonly Fn[] = [
  // ARRAY[a, b, …] with elements that are not all literals (the binder folds those, and has
  // already unified the element types): the elements in order, NULLs kept.
  fn('array', 'array', [ANY], (args) => arrayOf(args[0] ?? T.text), (xs) => xs.map((x) => x ?? null), { strict: false, variadic: true }),
  fn('array_length', 'array_length', [ANY_ARRAY, T.int4], T.int4, ([a, d]) => (d === 1 && arr(a).length > 0 ? arr(a).length : null), poly),
  fn('cardinality', 'cardinality', [ANY_ARRAY], T.int4, ([a]) => arr(a).length, poly),
  fn('array_lower', 'array_lower', [ANY_ARRAY, T.int4], T.int4, ([a, d]) => (d === 1 && arr(a).length > 0 ? 1 : null), poly),
  fn('array_upper', 'array_upper', [ANY_ARRAY, T.int4], T.int4, ([a, d]) => (d === 1 && arr(a).length > 0 ? arr(a).length : null), poly),
  arrayToStringGeneric('array_to_string', [ANY_ARRAY, T.text]),
  arrayToStringGeneric('array_to_string_null', [ANY_ARRAY, T.text, T.text]),
  fn('array_any_eq', '= any', [ANY, ANY_ARRAY], T.bool, ([e, a]) => anyEqual(e!, arr(a!)), { unify: true }),
  fn('array_all_ne', '<> all', [ANY, ANY_ARRAY], T.bool, ([e, a]) => {
    const r = anyEqual(e!, arr(a!));
    return r === null ? null : !r;
  }, { unify: true }),
  fn('array_position', 'array_position', [ANY_ARRAY, ANY], T.int4, ([a, e]) => {
    if (a === null) return null;
    const i = arr(a).findIndex((x) => notDistinct(x, e ?? null));
    return i < 0 ? null : i + 1;
  }, { strict: false, unify: true }),
  fn('array_append', 'array_append', [ANY_ARRAY, ANY], arrayTypeOf, ([a, e]) => [...(a === null ? [] : arr(a)), e ?? null], {
    strict: false,
    unify: true,
  }),
  fn('array_prepend', 'array_prepend', [ANY, ANY_ARRAY], arrayTypeOf, ([e, a]) => [e ?? null, ...(a === null ? [] : arr(a))], {
    strict: false,
    unify: true,
  }),
  fn('array_cat', 'array_cat', [ANY_ARRAY, ANY_ARRAY], arrayTypeOf, ([a, b]) => {
    if (a === null) return b ?? null;
    if (b === null) return a;
    return [...arr(a), ...arr(b)];
  }, { strict: false, unify: true }),
  fn('array_remove', 'array_remove', [ANY_ARRAY, ANY], arrayTypeOf, ([a, e]) => (a === null ? null : arr(a).filter((x) => !notDistinct(x, e ?? null))), {
    strict: false,
    unify: true,
  }),
  fn('array_concat_op', '||', [ANY_ARRAY, ANY_ARRAY], arrayTypeOf, ([a, b]) => {
    if (a === null) return b ?? null;
    if (b === null) return a;
    return [...arr(a), ...arr(b)];
  }, { strict: false, unify: true }),
  fn('array_append_op', '||', [ANY_ARRAY, ANY], arrayTypeOf, ([a, e]) => [...(a === null ? [] : arr(a)), e ?? null], {
    strict: false,
    unify: true,
    anyNonArray: true,
  }),
  fn('array_prepend_op', '||', [ANY, ANY_ARRAY], arrayTypeOf, ([e, a]) => [e ?? null, ...(a === null ? [] : arr(a))], {
    strict: false,
    unify: true,
    anyNonArray: true,
  }),
  fn('array_contains', '@>', [ANY_ARRAY, ANY_ARRAY], T.bool, ([a, b]) => containsAll(arr(a), arr(b)), poly),
  fn('array_contained', '<@', [ANY_ARRAY, ANY_ARRAY], T.bool, ([a, b]) => containsAll(arr(b), arr(a)), poly),
  fn('array_overlap', '&&', [ANY_ARRAY, ANY_ARRAY], T.bool, ([a, b]) =>
    arr(a).some((x) => x !== null && arr(b).some((y) => y !== null && compareDatums(x, y) === 0)), poly),
  fn('array_subscript', 'array_subscript', [ANY_ARRAY, T.int4], (args) => elementTypeOf(args), ([a, i]) => arr(a)[(i as number) - 1] ?? null, poly),
];

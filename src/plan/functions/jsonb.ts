/**
 * jsonb.ts owns the jsonb operators and functions: -> ->> (by key and by index), #> #>> (by
 * path), @> <@ (containment), ? ?| ?& (key existence), || (concatenation), - (deletion),
 * jsonb_typeof, jsonb_array_length, jsonb_build_object, jsonb_build_array, to_jsonb,
 * jsonb_extract_path[_text], jsonb_strip_nulls, jsonb_set. Set-returning jsonb functions
 * (jsonb_each, jsonb_object_keys…) are not scalar functions and live elsewhere.
 *
 * SQL values become JSON as Postgres's to_jsonb does (types/json-conversion.ts).
 */
import { Jsonb, type Datum, type JsonValue } from '../../types/datum.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import { arrayOf, T, type SqlType } from '../../types/sql-type.js';
import { formatDatum } from '../../types/text-format.js';
import { ANY, fn, invalidParameter, needsSpecialize, type Fn } from './define.js';
import { datumToJson, jsonbObject, jsonKeyText } from '../../types/json-conversion.js';
import { specializedId } from './type-key.js';

type JsonObject = { [key: string]: JsonValue };

const jv = (d: Datum): JsonValue => (d as Jsonb).value;
const isObject = (v: JsonValue): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);
const wrap = (v: JsonValue | undefined): Datum => (v === undefined ? null : new Jsonb(v));

function field(v: JsonValue, key: string): JsonValue | undefined {
  return isObject(v) && Object.prototype.hasOwnProperty.call(v, key) ? v[key] : undefined;
}

function element(v: JsonValue, i: number): JsonValue | undefined {
  if (!Array.isArray(v)) return undefined;
  const k = i < 0 ? v.length + i : i;
  return k >= 0 && k < v.length ? v[k] : undefined;
}

function path(v: JsonValue, keys: Datum[]): JsonValue | undefined {
  let cur: JsonValue | undefined = v;
  for (const k of keys) {
    if (cur === undefined || k === null) return undefined;
    if (Array.isArray(cur)) {
      if (!/^\s*-?\d+\s*$/.test(k as string)) return undefined;
      cur = element(cur, Number(k));
    } else cur = field(cur, k as string);
  }
  return cur;
}

/** The ->> form of a JSON value: strings unquoted, JSON null as SQL NULL, the rest as jsonb text. */
function asText(v: JsonValue | undefined): Datum {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  return formatDatum(new Jsonb(v), T.jsonb);
}

function scalarEqual(a: JsonValue, b: JsonValue): boolean {
  return a === b;
}

/** Postgres's JsonbDeepContains; at the top level an array contains a bare scalar. */
function contains(a: JsonValue, b: JsonValue, top: boolean): boolean {
  if (isObject(a) && isObject(b)) {
    for (const k of Object.keys(b)) {
      if (!Object.prototype.hasOwnProperty.call(a, k)) return false;
      const av = a[k]!;
      const bv = b[k]!;
      if (typeof bv === 'object' && bv !== null) {
        if (typeof av !== 'object' || av === null || Array.isArray(av) !== Array.isArray(bv)) return false;
        if (!contains(av, bv, false)) return false;
      } else if (!scalarEqual(av, bv)) return false;
    }
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return b.every((bv) => {
      if (typeof bv === 'object' && bv !== null) {
        return a.some((av) => typeof av === 'object' && av !== null && Array.isArray(av) === Array.isArray(bv) && contains(av, bv, false));
      }
      return a.some((av) => scalarEqual(av, bv));
    });
  }
  if (Array.isArray(a) && top && (typeof b !== 'object' || b === null)) return a.some((av) => scalarEqual(av, b));
  if (typeof a !== 'object' || a === null) return (typeof b !== 'object' || b === null) && scalarEqual(a, b);
  return false;
}

function exists(v: JsonValue, key: string): boolean {
  if (isObject(v)) return Object.prototype.hasOwnProperty.call(v, key);
  if (Array.isArray(v)) return v.some((e) => e === key);
  return v === key;
}

function concat(a: JsonValue, b: JsonValue): JsonValue {
  if (isObject(a) && isObject(b)) return jsonbObject([...Object.entries(a), ...Object.entries(b)]);
  const la = Array.isArray(a) ? a : [a];
  const lb = Array.isArray(b) ? b : [b];
  return [...la, ...lb];
}

function deleteKey(v: JsonValue, key: string): JsonValue {
  if (isObject(v)) return jsonbObject(Object.entries(v).filter(([k]) => k !== key));
  if (Array.isArray(v)) return v.filter((e) => e !== key);
  throw invalidParameter('cannot delete from scalar');
}

function deleteIndex(v: JsonValue, i: number): JsonValue {
  if (isObject(v)) throw invalidParameter('cannot delete from object using integer index');
  if (!Array.isArray(v)) throw invalidParameter('cannot delete from scalar');
  const k = i < 0 ? v.length + i : i;
  return v.filter((_, j) => j !== k);
}

function typeOf(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v === 'boolean' ? 'boolean' : typeof v;
}

function arrayLength(v: JsonValue): number {
  if (Array.isArray(v)) return v.length;
  throw invalidParameter(isObject(v) ? 'cannot get array length of a non-array' : 'cannot get array length of a scalar');
}

function stripNulls(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(stripNulls);
  if (isObject(v)) return jsonbObject(Object.entries(v).filter(([, e]) => e !== null).map(([k, e]) => [k, stripNulls(e)]));
  return v;
}

function setPath(v: JsonValue, keys: string[], value: JsonValue, create: boolean): JsonValue {
  if (keys.length === 0) return value;
  const [k, ...rest] = keys as [string, ...string[]];
  if (isObject(v)) {
    if (!Object.prototype.hasOwnProperty.call(v, k) && (!create || rest.length > 0)) return v;
    const next = Object.prototype.hasOwnProperty.call(v, k) ? setPath(v[k]!, rest, value, create) : value;
    return jsonbObject([...Object.entries(v).filter(([e]) => e !== k), [k, next]]);
  }
  if (Array.isArray(v)) {
    if (!/^\s*-?\d+\s*$/.test(k)) throw invalidParameter(`path element at position 1 is not an integer: "${k}"`);
    const i = Number(k);
    const idx = i < 0 ? v.length + i : i;
    if (idx >= 0 && idx < v.length) return v.map((e, j) => (j === idx ? setPath(e, rest, value, create) : e));
    if (!create || rest.length > 0) return v;
    return idx < 0 ? [value, ...v] : [...v, value];
  }
  return v;
}

function buildObject(types: readonly SqlType[], args: Datum[]): Datum {
  if (args.length % 2 !== 0) {
    throw new SqlError(SqlState.invalidParameterValue, 'argument list must have even number of elements', {
      hint: 'The arguments of jsonb_build_object() must consist of alternating keys and values.',
    });
  }
  const entries: [string, JsonValue][] = [];
  for (let i = 0; i < args.length; i += 2) {
    if (args[i] === null) throw new SqlError(SqlState.invalidParameterValue, `argument ${i + 1}: key must not be null`);
    entries.push([jsonKeyText(args[i]!, types[i]!), datumToJson(args[i + 1]!, types[i + 1]!)]);
  }
  return new Jsonb(jsonbObject(entries));
}

function buildArray(types: readonly SqlType[], args: Datum[]): Datum {
  return new Jsonb(args.map((a, i) => datumToJson(a, types[i]!)));
}

const textArray = arrayOf(T.text);
const J = T.jsonb;

const variadicGeneric = (id: string, build: (types: readonly SqlType[], args: Datum[]) => Datum): Fn =>
  fn(id, id, [ANY], J, needsSpecialize(id), {
    strict: false,
    variadic: true,
    specialize: (types) => fn(specializedId(id, types), id, types, J, (args) => build(types, args), { strict: false }),
  });

export const JSONB_FUNCTIONS: readonly Fn[] = [
  fn('jsonb_field', '->', [J, T.text], J, ([a, k]) => wrap(field(jv(a), k as string))),
  fn('jsonb_element', '->', [J, T.int4], J, ([a, i]) => wrap(element(jv(a), i as number))),
  fn('jsonb_field_text', '->>', [J, T.text], T.text, ([a, k]) => asText(field(jv(a), k as string))),
  fn('jsonb_element_text', '->>', [J, T.int4], T.text, ([a, i]) => asText(element(jv(a), i as number))),
  fn('jsonb_path', '#>', [J, textArray], J, ([a, p]) => wrap(path(jv(a), p as Datum[]))),
  fn('jsonb_path_text', '#>>', [J, textArray], T.text, ([a, p]) => asText(path(jv(a), p as Datum[]))),
  fn('jsonb_extract_path', 'jsonb_extract_path', [J, T.text], J, ([a, ...p]) => wrap(path(jv(a), p)), { variadic: true }),
  fn('jsonb_extract_path_text', 'jsonb_extract_path_text', [J, T.text], T.text, ([a, ...p]) => asText(path(jv(a), p)), { variadic: true }),
  fn('jsonb_contains', '@>', [J, J], T.bool, ([a, b]) => contains(jv(a), jv(b), true)),
  fn('jsonb_contained', '<@', [J, J], T.bool, ([a, b]) => contains(jv(b), jv(a), true)),
  fn('jsonb_exists', '?', [J, T.text], T.bool, ([a, k]) => exists(jv(a), k as string)),
  fn('jsonb_exists_any', '?|', [J, textArray], T.bool, ([a, ks]) => (ks as Datum[]).some((k) => k !== null && exists(jv(a), k as string))),
  fn('jsonb_exists_all', '?&', [J, textArray], T.bool, ([a, ks]) => (ks as Datum[]).every((k) => k === null || exists(jv(a), k as string))),
  fn('jsonb_concat', '||', [J, J], J, ([a, b]) => new Jsonb(concat(jv(a), jv(b)))),
  fn('jsonb_delete_key', '-', [J, T.text], J, ([a, k]) => new Jsonb(deleteKey(jv(a), k as string))),
  fn('jsonb_delete_keys', '-', [J, textArray], J, ([a, ks]) =>
    new Jsonb((ks as Datum[]).reduce<JsonValue>((v, k) => (k === null ? v : deleteKey(v, k as string)), jv(a)))),
  fn('jsonb_delete_index', '-', [J, T.int4], J, ([a, i]) => new Jsonb(deleteIndex(jv(a), i as number))),
  fn('jsonb_typeof', 'jsonb_typeof', [J], T.text, ([a]) => typeOf(jv(a))),
  fn('jsonb_array_length', 'jsonb_array_length', [J], T.int4, ([a]) => arrayLength(jv(a))),
  fn('jsonb_strip_nulls', 'jsonb_strip_nulls', [J], J, ([a]) => new Jsonb(stripNulls(jv(a)))),
  fn('jsonb_set', 'jsonb_set', [J, textArray, J], J, ([a, p, v]) => new Jsonb(setPath(jv(a), p as string[], jv(v), true))),
  fn('jsonb_set_create', 'jsonb_set', [J, textArray, J, T.bool], J, ([a, p, v, c]) => new Jsonb(setPath(jv(a), p as string[], jv(v), c as boolean))),
  variadicGeneric('jsonb_build_object', buildObject),
  variadicGeneric('jsonb_build_array', buildArray),
  fn('jsonb_build_object_empty', 'jsonb_build_object', [], J, () => new Jsonb({})),
  fn('jsonb_build_array_empty', 'jsonb_build_array', [], J, () => new Jsonb([])),
  fn('to_jsonb', 'to_jsonb', [ANY], J, needsSpecialize('to_jsonb'), {
    specialize: (types) => fn(specializedId('to_jsonb', types), 'to_jsonb', types, J, ([a]) => new Jsonb(datumToJson(a!, types[0]!))),
  }),
];

/**
 * The registry as a code table: unique ids, every id found again by getFunction (plain and
 * specialized), lookups by name and alias, and overload resolution outcomes.
 */
import { describe, expect, test } from 'vitest';
import {
  getFunction,
  lookupCast,
  lookupFunctions,
  registryContents,
  resolveCall,
  selectCommonType,
} from '../../../src/plan/functions/registry.js';
import { SqlError } from '../../../src/types/sql-error.js';
import { arrayOf, T, typeName, type SqlType } from '../../../src/types/sql-type.js';

describe('ids', () => {
  const { functions, casts, duplicateIds } = registryContents();

  test('no id is registered twice', () => {
    expect(duplicateIds).toEqual([]);
    const all = [...functions, ...casts].map((f) => f.id);
    expect(new Set(all).size).toBe(all.length);
  });

  test('getFunction finds every registered id', () => {
    for (const f of [...functions, ...casts]) expect(getFunction(f.id)).toBe(f);
  });

  test('specialized ids are rebuilt from the id alone', () => {
    const made = [
      resolveCall('concat', [T.int4, T.text, T.date])!.impl,
      resolveCall('||', [T.text, T.numeric])!.impl,
      resolveCall('to_jsonb', [arrayOf(T.timestamp)])!.impl,
      resolveCall('array_to_string', [arrayOf(T.float8), T.text])!.impl,
      lookupCast(T.text, { kind: 'varchar', length: 3 }, { explicit: true })!.impl,
      lookupCast(T.float8, { kind: 'numeric', precision: 10, scale: 2 })!.impl,
      lookupCast(arrayOf(T.text), arrayOf(T.int4))!.impl,
      lookupCast(arrayOf(T.int4), T.text)!.impl,
      lookupCast(T.text, arrayOf(T.int4))!.impl,
      lookupCast(T.int4, T.int4)!.impl,
    ];
    const ctx = { now: 0, timeZone: 'UTC' };
    for (const impl of made) expect(getFunction(impl.id).id).toBe(impl.id);
    expect(getFunction('concat<int4;text;date>').eval([1, 'a', 0], ctx)).toBe('1a1970-01-01');
    expect(getFunction('cast_text_varchar<varchar(3);explicit>').eval(['abcdef'], ctx)).toBe('abc');
    expect(() => getFunction('cast_text_varchar<varchar(3)>').eval(['abcdef'], ctx)).toThrow(SqlError);
  });

  test('an unknown id throws', () => {
    expect(() => getFunction('no_such_function')).toThrow(/unknown function id/);
    expect(() => getFunction('lower<int4>')).toThrow(/unknown function id/);
  });
});

describe('lookup by name', () => {
  test('operators by symbol and functions by name, with aliases', () => {
    expect(lookupFunctions('+').map((f) => f.id)).toContain('int4_add');
    expect(lookupFunctions('-').filter((f) => f.args.length === 1).map((f) => f.id)).toContain('int4_neg');
    expect(lookupFunctions('~~').map((f) => f.id)).toEqual(['text_like']);
    expect(lookupFunctions('char_length').map((f) => f.id)).toContain('length');
    expect(lookupFunctions('substring').map((f) => f.id)).toEqual(expect.arrayContaining(['substring_regex', 'substr', 'substr_count']));
    expect(lookupFunctions('no_such_function')).toEqual([]);
  });
});

describe('overload resolution', () => {
  const resolved = (name: string, args: SqlType[]): string => {
    const r = resolveCall(name, args);
    return r ? `${r.impl.id}(${r.argTypes.map(typeName).join(', ')}) -> ${typeName(r.returnType)}` : 'none';
  };

  test('exact and widening matches', () => {
    expect(resolved('+', [T.int2, T.int4])).toBe('int4_add(integer, integer) -> integer');
    expect(resolved('+', [T.int4, T.numeric])).toBe('numeric_add(numeric, numeric) -> numeric');
    expect(resolved('+', [T.float8, T.numeric])).toBe('float8_add(double precision, double precision) -> double precision');
    expect(resolved('=', [T.varchar, T.varchar])).toBe('text_eq(text, text) -> boolean');
    expect(resolved('+', [T.timestamp, T.interval])).toBe('timestamp_add_interval(timestamp without time zone, interval) -> timestamp without time zone');
  });

  test('unknown literals: the other side, then the string category, then the preferred type', () => {
    expect(resolved('=', [T.int8, T.unknown])).toBe('int8_eq(bigint, bigint) -> boolean');
    expect(resolved('||', [T.unknown, T.unknown])).toBe('text_concat(text, text) -> text');
    expect(resolved('round', [T.int4])).toBe('round_float8(double precision) -> double precision');
    expect(resolved('lower', [T.unknown])).toBe('lower(text) -> text');
  });

  test('polymorphic functions bind one element type', () => {
    expect(resolved('greatest', [T.int4, T.numeric, T.unknown])).toBe('greatest(numeric, numeric, numeric) -> numeric');
    expect(resolved('array_append', [arrayOf(T.int8), T.int4])).toBe('array_append(bigint[], bigint) -> bigint[]');
    // Postgres reads the literal as an array here (ARRAY['a'] || 'b' is "malformed array literal").
    expect(resolved('||', [arrayOf(T.text), T.unknown])).toBe('array_concat_op(text[], text[]) -> text[]');
    expect(resolved('||', [arrayOf(T.text), T.text])).toBe('array_append_op(text[], text) -> text[]');
    expect(resolved('array_length', [T.int4, T.int4])).toBe('none');
  });

  test('no match is undefined; several equally good are 42725', () => {
    expect(resolveCall('lower', [T.int4])).toBeUndefined();
    expect(() => resolveCall('+', [T.unknown, T.unknown])).toThrow(expect.objectContaining({ code: '42725', message: 'operator is not unique: unknown + unknown' }));
  });

  test('selectCommonType follows Postgres (UNION / CASE)', () => {
    expect(selectCommonType([T.int4, T.int8])).toEqual(T.int8);
    expect(selectCommonType([T.int4, T.numeric, T.float4])).toEqual(T.float4);
    expect(selectCommonType([T.unknown, T.unknown])).toEqual(T.text);
    expect(selectCommonType([T.unknown, T.date])).toEqual(T.date);
    expect(selectCommonType([T.date, T.timestamptz])).toEqual(T.timestamptz);
    expect(selectCommonType([T.int4, T.text])).toBeUndefined();
  });
});

import { beforeAll, describe, expect, test } from 'vitest';
import { bind, columnsOf, ready } from './bind-helper.js';
import { printScalar } from '../../../src/plan/print-plan.js';
import { typeName } from '../../../src/types/sql-type.js';

beforeAll(() => ready);

/** The printed select-list expression and its type, for `select <expr> from t`. */
function expr(e: string): string {
  const b = bind(`select ${e} from t`);
  if (b.kind !== 'Select') throw new Error();
  const p = b.plan;
  const col = p.kind === 'Project' ? p.outputs[0]! : 0;
  const input = p.kind === 'Project' ? p.input : p;
  const text = input.kind === 'Map' && col >= input.input.schema.length ? printScalar(input.exprs[col - input.input.schema.length]!) : `#${col}`;
  return `${text} : ${typeName(b.schema[0]!.type)}`;
}

describe('expressions', () => {
  test('integer literals by size', () => {
    expect(expr('1')).toBe('1 : integer');
    expect(expr('3000000000')).toBe('3000000000 : bigint');
    expect(expr('99999999999999999999')).toBe('99999999999999999999 : numeric');
    expect(expr('1.50')).toBe('1.50 : numeric');
  });

  test('operators resolve overloads with implicit casts', () => {
    expect(expr('a + c')).toMatch(/ : bigint$/);
    expect(expr('a + 1.5')).toMatch(/ : numeric$/);
    expect(expr('a + 1.5e0')).toMatch(/ : numeric$/);
    expect(expr('a * 2.0::float8')).toMatch(/ : double precision$/);
    expect(expr("b || 'x'")).toBe("(#1 || 'x') : text");
  });

  test('untyped literals take the other side’s type', () => {
    expect(expr("a = '7'")).toBe('(#0 = 7) : boolean');
    expect(expr("c < '7'")).toBe('(#2 < 7) : boolean');
  });

  test('casts and typed literals', () => {
    expect(expr('a::int8')).toBe('#0::bigint : bigint');
    expect(expr('cast(a as text)')).toBe('#0::text : text');
    expect(columnsOf("select date '2024-01-01', interval '1 day', timestamp '2024-01-01 10:00', '{1,2}'::int[]")).toEqual([
      'date date',
      'interval interval',
      'timestamp timestamp without time zone',
      'int4 integer[]',
    ]);
  });

  test('boolean forms', () => {
    expect(expr('a between 1 and 3')).toBe('((#0 >= 1) AND (#0 <= 3)) : boolean');
    expect(expr('a in (1, 2)')).toBe('((#0 = 1) OR (#0 = 2)) : boolean');
    expect(expr('a not in (1, 2)')).toBe('((#0 <> 1) AND (#0 <> 2)) : boolean');
    expect(expr('b is null')).toBe('(#1) IS NULL : boolean');
    expect(expr('b is not null')).toBe('(#1) IS NOT NULL : boolean');
    expect(expr('(a > 1) is true')).toBe('coalesce((#0 > 1), false) : boolean');
    expect(expr("b like 'x%'")).toBe("(#1 ~~ 'x%') : boolean");
    expect(expr("b not ilike 'x%'")).toBe("NOT (#1 ~~* 'x%') : boolean");
    expect(expr('a is distinct from 2')).toBe('CASE WHEN (#0) IS NULL THEN (2) IS NOT NULL WHEN (2) IS NULL THEN true ELSE (#0 <> 2) END : boolean');
  });

  test('CASE, COALESCE, NULLIF, GREATEST unify types', () => {
    expect(expr("case a when 1 then 'one' else 'many' end")).toBe("CASE WHEN (#0 = 1) THEN 'one' ELSE 'many' END : text");
    expect(expr('case when a > 1 then a else c end')).toMatch(/ : bigint$/);
    expect(expr('coalesce(a, c, 0)')).toBe('coalesce(#0::bigint, #2, 0) : bigint');
    expect(expr('nullif(a, 0)')).toBe('CASE WHEN (#0 = 0) THEN null ELSE #0 END : integer');
    expect(expr('greatest(a, 2)')).toBe('CASE WHEN ((#0) IS NULL OR (2 > #0)) THEN 2 ELSE #0 END : integer');
  });

  test('now() and current_timestamp are unmaterializable', () => {
    expect(expr('now()')).toBe('now() : timestamp with time zone');
    expect(expr('current_timestamp')).toBe('now() : timestamp with time zone');
  });

  test('parameters take their type from context; unresolved are text', () => {
    const b = bind('select b from t where a = $1 and c > $2 and b = $3');
    expect(b.paramTypes.map(typeName)).toEqual(['integer', 'bigint', 'text']);
    expect(bind('select $1').paramTypes.map(typeName)).toEqual(['text']);
    expect(bind('select a from t where a = $1', undefined, [{ kind: 'int8' }]).paramTypes.map(typeName)).toEqual(['bigint']);
  });

  test('SQL-syntax functions', () => {
    expect(columnsOf("select extract(year from ts), substring('hello' from 2 for 3), position('l' in 'hello'), trim(both 'x' from 'xax') from ev").map((c) => c.split(' ').slice(1).join(' '))).toEqual([
      'numeric',
      'text',
      'integer',
      'text',
    ]);
  });
});

import { describe, expect, test } from 'vitest';
import * as P from '../../src/plan/plan-builders.js';
import type { LogicalPlan } from '../../src/plan/logical-plan.js';
import type { ScalarExpr } from '../../src/plan/scalar-expr.js';
import { uniqueKey, uniqueOn } from '../../src/plan/unique-keys.js';
import { T, type SqlType } from '../../src/types/sql-type.js';

const int4 = T.int4;
const schema = (names: string[]) => names.map((name) => ({ name, type: int4 as SqlType, nullable: true }));
const A = P.get('u1', 'a', schema(['k', 'v']));
const c = (i: number): ScalarExpr => ({ kind: 'Column', index: i, type: int4 });
const eq = (a: ScalarExpr, b: ScalarExpr): ScalarExpr => ({ kind: 'Call', fn: 'int4_eq', args: [a, b], type: T.bool });
const isNull = (e: ScalarExpr): ScalarExpr => ({ kind: 'IsNull', arg: e, type: T.bool });
const count = { fn: 'count_star' as const, args: [], distinct: false, type: T.int8 };

describe('uniqueOn', () => {
  test('a Reduce is unique on its group columns; a global one on nothing', () => {
    expect(uniqueOn(P.reduce(A, [0], [count]), [0])).toBe(true);
    expect(uniqueOn(P.reduce(A, [], [count]), [])).toBe(true);
    expect(uniqueOn(P.reduce(A, [0, 1], [count]), [0])).toBe(false);
    expect(uniqueOn(A, [0])).toBe(false);
  });

  test('through Map, Filter and Project; TopK limit 1; Distinct on all its columns', () => {
    const r = P.reduce(A, [0], [count]);
    expect(uniqueOn(P.project(P.map(P.filter(r, [eq(c(0), c(1))]), [c(1)]), [2, 0]), [1])).toBe(true);
    expect(uniqueOn(P.project(r, [1, 0]), [0])).toBe(false);
    expect(uniqueOn(P.topK(A, [0], [{ expr: c(1), desc: false, nullsFirst: false }], 1, 0), [0])).toBe(true);
    expect(uniqueOn(P.topK(A, [0], [{ expr: c(1), desc: false, nullsFirst: false }], 2, 0), [0])).toBe(false);
    expect(uniqueOn(P.distinct(A), [0, 1])).toBe(true);
    expect(uniqueOn(P.distinct(A), [0])).toBe(false);
  });

  test('a left join of a unique left with a right unique on the columns ON binds (plain or null-safe)', () => {
    const left = P.distinct(P.project(A, [0]));
    const right = P.reduce(A, [0], [count]);
    const nullSafe: ScalarExpr = { kind: 'Or', args: [eq(c(0), c(1)), { kind: 'And', args: [isNull(c(0)), isNull(c(1))], type: T.bool }], type: T.bool };
    expect(uniqueOn(P.join('left', left, right, eq(c(0), c(1))), [0])).toBe(true);
    expect(uniqueOn(P.join('left', left, right, nullSafe), [0])).toBe(true);
    expect(uniqueOn(P.join('left', left, right, { kind: 'Literal', value: true, type: T.bool }), [0])).toBe(false);
    expect(uniqueOn(P.join('full', left, right, eq(c(0), c(1))), [0])).toBe(false);
  });
});

// uniqueKey: the storage key of a view's contents.
const col2 = (name: string) => ({ name, type: T.int4, nullable: true });
const get2: LogicalPlan = { kind: 'Get', id: 'u1', name: 't', schema: [col2('a'), col2('b'), col2('c')] };
const reduce: LogicalPlan = {
  kind: 'Reduce',
  input: get2,
  groupKey: [1, 2],
  aggregates: [{ fn: 'count_star', args: [], distinct: false, type: T.int8 }],
  schema: [col2('b'), col2('c'), col2('n')],
};

describe('uniqueKey', () => {
  test('a Reduce is keyed by its group key', () => {
    expect(uniqueKey(reduce)).toEqual([0, 1]);
  });
  test('a Project keeps the key only if it keeps every key column, renumbered', () => {
    expect(uniqueKey({ kind: 'Project', input: reduce, outputs: [2, 1, 0], schema: [] })).toEqual([2, 1]);
    expect(uniqueKey({ kind: 'Project', input: reduce, outputs: [0, 2], schema: [] })).toBeUndefined();
  });
  test('a plain collection has no key', () => {
    expect(uniqueKey(get2)).toBeUndefined();
    expect(uniqueKey({ kind: 'Union', inputs: [reduce, reduce], schema: reduce.schema })).toBeUndefined();
  });
  test('a top-1 per group is keyed by the group', () => {
    expect(uniqueKey({ kind: 'TopK', input: get2, groupKey: [0], order: [], limit: 1, offset: 0, rankColumn: false, schema: get2.schema })).toEqual([0]);
    expect(uniqueKey({ kind: 'TopK', input: get2, groupKey: [0], order: [], limit: 2, offset: 0, rankColumn: false, schema: get2.schema })).toBeUndefined();
  });
});

test('uniqueOn agrees with the key uniqueKey chooses', () => {
  for (const p of [reduce, { kind: 'Project', input: reduce, outputs: [2, 1, 0], schema: [] } as LogicalPlan]) {
    expect(uniqueOn(p, uniqueKey(p)!)).toBe(true);
  }
});

describe('uniqueKey through joins and stored collections', () => {
  const t: LogicalPlan = { kind: 'Get', id: 't', name: 't', schema: [col2('id'), col2('g'), col2('v')] };
  const d: LogicalPlan = { kind: 'Get', id: 'd', name: 'd', schema: [col2('g'), col2('name')] };
  const keys = (id: string) => ({ t: [0], d: [0] })[id];
  const on = (l: number, r: number): ScalarExpr => eq(c(l), c(r));

  test('a table read is keyed by its primary key', () => {
    expect(uniqueKey(t, keys)).toEqual([0]);
    expect(uniqueKey(t)).toBeUndefined();
  });

  test('a fact joined to a dimension on its key keeps the fact key', () => {
    const j: LogicalPlan = { kind: 'Join', joinKind: 'inner', left: t, right: d, on: on(1, 3), schema: [...t.schema, ...d.schema] };
    expect(uniqueKey(j, keys)).toEqual([0]);
    expect(uniqueKey({ ...j, joinKind: 'left' }, keys)).toEqual([0]);
  });

  test('a join on a column that is not the other side\'s key has no key', () => {
    const j: LogicalPlan = { kind: 'Join', joinKind: 'inner', left: d, right: t, on: on(0, 3), schema: [...d.schema, ...t.schema] };
    // d.g = t.g: each d row meets many t rows, but each t row meets one d row: t's key stays.
    expect(uniqueKey(j, keys)).toEqual([2]);
    const both: LogicalPlan = { kind: 'Join', joinKind: 'inner', left: t, right: t, on: on(1, 4), schema: [...t.schema, ...t.schema] };
    expect(uniqueKey(both, keys)).toBeUndefined();
  });
});

describe('window nodes', () => {
  const keyed = (id: string) => (id === 'u1' ? [0] : undefined);
  test('a session keeps the input key; a hop adds window_start, a cumulate window_end', () => {
    expect(uniqueKey(P.sessionWindow(A, [0], 1, 10), keyed)).toEqual([0]);
    expect(uniqueOn(P.sessionWindow(A, [0], 1, 10), [0], keyed)).toBe(true);
    const hop = P.windowExpand(A, 'hop', 1, 5, 10, 0);
    expect(uniqueKey(hop, keyed)).toEqual([0, 2]);
    expect(uniqueOn(hop, [0], keyed)).toBe(false);
    expect(uniqueOn(hop, [0, 2], keyed)).toBe(true);
    const cumulate = P.windowExpand(A, 'cumulate', 1, 5, 10, 0);
    expect(uniqueKey(cumulate, keyed)).toEqual([0, 3]);
    expect(uniqueOn(cumulate, [0, 2], keyed)).toBe(false);
    expect(uniqueKey(hop)).toBeUndefined();
  });
});

// compileLinear / compileValues: linear plans as plain functions of inputs and parameters.
import { describe, expect, test } from 'vitest';
import type { LogicalPlan } from '../../src/plan/logical-plan.js';
import { compileLinear, compileValues } from '../../src/render/compile-linear.js';
import { T } from '../../src/types/sql-type.js';

const ctx = { now: 0, timeZone: 'UTC' };
const int4 = (name: string) => ({ name, type: T.int4, nullable: true });
const get: LogicalPlan = { kind: 'Get', id: 'u1', name: 't', schema: [int4('a'), int4('b')] };
const eqParam: LogicalPlan = {
  kind: 'Filter',
  input: get,
  predicates: [{ kind: 'Call', fn: 'int4_eq', args: [{ kind: 'Column', index: 0, type: T.int4 }, { kind: 'Param', index: 1, type: T.int4 }], type: T.bool }],
  schema: get.schema,
};

describe('compileLinear', () => {
  test('a filter on a parameter keeps the diffs of its input', () => {
    const fn = compileLinear({ kind: 'Project', input: eqParam, outputs: [1], schema: [int4('b')] })!;
    const inputs = new Map([['u1', [[[1, 10], 2], [[2, 20], 1], [[1, 11], 1]] as [number[], number][]]]);
    expect(fn(inputs, [1], ctx)).toEqual([[[10], 2], [[11], 1]]);
    expect(fn(inputs, [2], ctx)).toEqual([[[20], 1]]);
  });

  test('plans with state are not linear', () => {
    expect(compileLinear({ kind: 'Distinct', input: get, schema: get.schema })).toBeUndefined();
  });
});

describe('compileValues', () => {
  test('VALUES with parameters', () => {
    const plan: LogicalPlan = {
      kind: 'Map',
      input: { kind: 'Constant', rows: [[]], schema: [] },
      exprs: [{ kind: 'Param', index: 1, type: T.int4 }, { kind: 'Literal', value: 7, type: T.int4 }],
      schema: [int4('a'), int4('b')],
    };
    expect(compileValues(plan)!([5], ctx)).toEqual([[5, 7]]);
  });

  test('a plan that reads a collection is not a VALUES plan', () => {
    // UPDATE … WHERE a = $1 reads its table: evaluating it without the table's rows would
    // silently find nothing.
    expect(compileValues(eqParam)).toBeUndefined();
  });
});

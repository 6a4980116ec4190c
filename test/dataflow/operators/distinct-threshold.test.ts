import { describe, expect, test } from 'vitest';
import { DistinctOperator } from '../../../src/dataflow/operators/distinct.js';
import { ThresholdOperator } from '../../../src/dataflow/operators/threshold.js';
import { OperatorRun, del, ins, withAndWithoutRestarts } from '../harness.js';

describe('distinct', () => {
  test('each present row once', async () => {
    const run = OperatorRun.create((s) => new DistinctOperator(s));
    expect(await run.tick([[['a'], 2]])).toEqual([[['a'], 1]]);
    expect(await run.tick(del(['a']))).toEqual([]);
    expect(await run.tick(del(['a']))).toEqual([[['a'], -1]]);
  });
  test('restarts', async () => {
    const [a, b] = await withAndWithoutRestarts((s) => new DistinctOperator(s), [[ins(['a'], ['a'], ['b'])], [del(['a'])], [del(['a'], ['b'])]]);
    expect(b).toEqual(a);
  });
});

describe('threshold', () => {
  test('keeps positive multiplicities', async () => {
    const run = OperatorRun.create((s) => new ThresholdOperator(s));
    await run.tick([[['a'], 2], [['b'], -1]]);
    expect(run.contents()).toEqual(['["a"] +2']);
    await run.tick([[['b'], 3]]);
    expect(run.contents()).toEqual(['["a"] +2', '["b"] +2']);
  });
});

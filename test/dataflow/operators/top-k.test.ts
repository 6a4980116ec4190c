import { describe, expect, test } from 'vitest';
import { TopKOperator, type TopKSpec } from '../../../src/dataflow/operators/top-k.js';
import { OperatorRun, del, ins, withAndWithoutRestarts } from '../harness.js';

const byValue = (over: Partial<TopKSpec> = {}): TopKSpec => ({
  groupKey: [0],
  order: [{ fn: (r) => r[1]!, desc: false, nullsFirst: false }],
  limit: 2,
  offset: 0,
  rankColumn: false,
  ...over,
});

describe('top-k', () => {
  test('keeps the first k per group and promotes the next on retraction', async () => {
    const run = OperatorRun.create((s) => new TopKOperator(byValue(), s));
    await run.tick(ins(['a', 3], ['a', 1], ['a', 2], ['b', 9]));
    expect(run.contents()).toEqual(['["a",1] +1', '["a",2] +1', '["b",9] +1']);
    await run.tick(del(['a', 1]));
    expect(run.contents()).toEqual(['["a",2] +1', '["a",3] +1', '["b",9] +1']);
  });

  test('multiplicities take several ranks; offset and descending order', async () => {
    const run = OperatorRun.create((s) => new TopKOperator(byValue({ groupKey: [], limit: 2, offset: 1, order: [{ fn: (r) => r[1]!, desc: true, nullsFirst: true }] }), s));
    await run.tick([[['x', 5], 2], [['y', 7], 1], [['z', null], 1]]);
    // ranks: null (nulls first), 7, 5, 5 → keep ranks 2..3
    expect(run.contents()).toEqual(['["x",5] +1', '["y",7] +1']);
  });

  test('row_number column', async () => {
    const run = OperatorRun.create((s) => new TopKOperator(byValue({ limit: null, rankColumn: true }), s));
    await run.tick(ins(['a', 2], ['a', 1]));
    expect(run.contents()).toEqual(['["a",1,"1n"] +1', '["a",2,"2n"] +1']);
  });

  test('rank(): ties share a rank and the limit keeps whole ties', async () => {
    const run = OperatorRun.create((s) => new TopKOperator(byValue({ limit: 2, rankColumn: true, ranking: 'rank' }), s));
    await run.tick(ins(['a', 5], ['a', 1], ['a', 1], ['a', 3], ['b', 2]));
    // a: 1, 1 share rank 1; 3 has rank 3 (past the limit of 2)
    expect(run.contents()).toEqual(['["a",1,"1n"] +2', '["b",2,"1n"] +1']);
    await run.tick(del(['a', 1]));
    expect(run.contents()).toEqual(['["a",1,"1n"] +1', '["a",3,"2n"] +1', '["b",2,"1n"] +1']);
    await run.tick(ins(['a', 3], ['a', 0]));
    // 0 → 1; 1 → 2; 3, 3 → 3 (past the limit)
    expect(run.contents()).toEqual(['["a",0,"1n"] +1', '["a",1,"2n"] +1', '["b",2,"1n"] +1']);
  });

  test('dense_rank(): the next distinct value takes the next rank', async () => {
    const run = OperatorRun.create((s) => new TopKOperator(byValue({ limit: 2, rankColumn: true, ranking: 'dense_rank' }), s));
    await run.tick(ins(['a', 1], ['a', 1], ['a', 3], ['a', 3], ['a', 4]));
    expect(run.contents()).toEqual(['["a",1,"1n"] +2', '["a",3,"2n"] +2']);
  });

  test('restarts', async () => {
    const [a, b] = await withAndWithoutRestarts((s) => new TopKOperator(byValue(), s), [
      [ins(['a', 3], ['a', 1], ['a', 2])],
      [del(['a', 1])],
      [ins(['a', 0])],
    ]);
    expect(b).toEqual(a);
  });
});

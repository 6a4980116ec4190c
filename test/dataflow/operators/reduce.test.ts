import { describe, expect, test } from 'vitest';
import { ReduceOperator, type ReduceAggregate } from '../../../src/dataflow/operators/reduce.js';
import { aggregateDef } from '../../../src/dataflow/aggregates/aggregate-def.js';
import { Numeric } from '../../../src/types/numeric.js';
import { T } from '../../../src/types/sql-type.js';
import type { Row } from '../../../src/types/datum.js';
import { OperatorRun, del, ins, show, withAndWithoutRestarts } from '../harness.js';
import type { OperatorState } from '../../../src/dataflow/state.js';

const col = (i: number) => (r: Row) => r[i]!;
const countStar: ReduceAggregate = { def: aggregateDef('count_star', 'accumulable', [], false, []), exprs: [], filter: null };
const sumInt: ReduceAggregate = { def: aggregateDef('sum', 'accumulable', [T.int4], false, []), exprs: [col(1)], filter: null };
const minV: ReduceAggregate = { def: aggregateDef('min', 'hierarchical', [T.int4], false, []), exprs: [col(1)], filter: null };
const maxV: ReduceAggregate = { def: aggregateDef('max', 'hierarchical', [T.int4], false, []), exprs: [col(1)], filter: null };

describe('reduce', () => {
  test('count, sum, min, max per group; retract old row, insert new', async () => {
    const run = OperatorRun.create((s) => new ReduceOperator({ groupKey: [0], aggregates: [countStar, sumInt, minV, maxV] }, s));
    await run.tick(ins(['a', 3], ['a', 1], ['b', 5]));
    expect(run.contents()).toEqual(['["a","2n","4n",1,3] +1', '["b","1n","5n",5,5] +1']);
    const out = await run.tick(del(['a', 1]));
    expect(out.length).toBe(2);
    expect(run.contents()).toEqual(['["a","1n","3n",3,3] +1', '["b","1n","5n",5,5] +1']);
    await run.tick(del(['a', 3]));
    expect(run.contents()).toEqual(['["b","1n","5n",5,5] +1']);
  });

  test('no group key: one row even for empty input, emitted in the first tick', async () => {
    const run = OperatorRun.create((s) => new ReduceOperator({ groupKey: [], aggregates: [countStar, sumInt] }, s));
    await run.tick([]);
    expect(run.contents()).toEqual(['["0n",null] +1']);
    await run.tick(ins(['a', 2]));
    expect(run.contents()).toEqual(['["1n","2n"] +1']);
    await run.tick(del(['a', 2]));
    expect(run.contents()).toEqual(['["0n",null] +1']);
    // A rebuilt operator over the same state does not emit the row a second time.
    const again = OperatorRun.create((s) => new ReduceOperator({ groupKey: [], aggregates: [countStar, sumInt] }, s), run.store);
    expect(await again.tick([])).toEqual([]);
  });

  test('sum(numeric) keeps the largest scale among current values; avg(int4) has numeric scale', async () => {
    const sumNum: ReduceAggregate = { def: aggregateDef('sum', 'accumulable', [T.numeric], false, []), exprs: [col(1)], filter: null };
    const avgInt: ReduceAggregate = { def: aggregateDef('avg', 'accumulable', [T.int4], false, []), exprs: [col(2)], filter: null };
    const run = OperatorRun.create((s) => new ReduceOperator({ groupKey: [], aggregates: [sumNum, avgInt] }, s));
    await run.tick(ins([0, Numeric.parse('1.5'), 1], [0, Numeric.parse('2.000'), 2]));
    const row = () => [...run.integrated.values()][0]![0];
    expect(String(row()[0])).toBe('3.500');
    expect(String(row()[1])).toBe('1.5000000000000000');
    await run.tick(del([0, Numeric.parse('2.000'), 2]));
    expect(String(row()[0])).toBe('1.5');
    expect(String(row()[1])).toBe('1.00000000000000000000');
  });

  test('count(distinct) and string_agg ordered (basic)', async () => {
    const countDistinct: ReduceAggregate = { def: aggregateDef('count', 'basic', [T.int4], true, []), exprs: [col(1)], filter: null };
    const stringAgg: ReduceAggregate = {
      def: aggregateDef('string_agg', 'basic', [T.text, T.text], false, [{ index: 2, desc: false, nullsFirst: false }]),
      exprs: [col(2), () => ',', col(2)],
      filter: null,
    };
    const run = OperatorRun.create((s) => new ReduceOperator({ groupKey: [0], aggregates: [countDistinct, stringAgg] }, s));
    await run.tick(ins(['g', 1, 'b'], ['g', 1, 'a'], ['g', 2, 'c']));
    expect(run.contents()).toEqual(['["g","2n","a,b,c"] +1']);
    await run.tick(del(['g', 2, 'c']));
    expect(run.contents()).toEqual(['["g","1n","a,b"] +1']);
  });

  test('approx_percentile: the exact percentile of the ordered values (basic)', async () => {
    const p = (fraction: number, desc = false): ReduceAggregate => ({
      def: aggregateDef('approx_percentile', 'basic', [T.float8, T.float8], false, [{ index: 2, desc, nullsFirst: false }]),
      exprs: [col(1), () => fraction, col(1)],
      filter: null,
    });
    const run = OperatorRun.create((s) => new ReduceOperator({ groupKey: [0], aggregates: [p(0), p(0.5), p(0.9), p(1), p(0.25, true)] }, s));
    await run.tick(ins(['g', 4], ['g', 1], ['g', null], ['g', 3], ['g', 2]));
    expect(run.contents()).toEqual(['["g",1,2,4,4,4] +1']);
    await run.tick(del(['g', 4]));
    expect(run.contents()).toEqual(['["g",1,2,3,3,3] +1']);
  });

  test('first_value / last_value (x ORDER BY y): the value of the first / last tuple, NULLs included', async () => {
    const fv = (last: boolean, desc: boolean): ReduceAggregate => ({
      def: aggregateDef(last ? 'last_value' : 'first_value', 'basic', [T.int4], false, [{ index: 1, desc, nullsFirst: desc }]),
      exprs: [col(1), col(2)],
      filter: null,
    });
    const run = OperatorRun.create((s) => new ReduceOperator({ groupKey: [], aggregates: [fv(false, false), fv(false, true), fv(true, false)] }, s));
    await run.tick(ins(['g', 1, 2], ['g', 5, null], ['g', 4, 0]));
    expect(run.contents()).toEqual(['[4,5,5] +1']);
    await run.tick(del(['g', 5, null]));
    expect(run.contents()).toEqual(['[4,1,1] +1']);
  });

  test('FILTER (WHERE …) restricts an aggregate', async () => {
    const countPos: ReduceAggregate = { ...countStar, filter: (r) => (r[1] as number) > 0 };
    const run = OperatorRun.create((s) => new ReduceOperator({ groupKey: [0], aggregates: [countStar, countPos] }, s));
    await run.tick(ins(['a', 1], ['a', -1]));
    expect(run.contents()).toEqual(['["a","2n","1n"] +1']);
  });

  test('one group per key under rowKey equality (1.0 = 1.00, -0 = 0, NULL = NULL); keys alike at both ends apart', async () => {
    const long = (c: string) => 'x'.repeat(20) + c + 'y'.repeat(20);
    const ticks = [
      [ins([new Numeric(10n, 1), -0], [new Numeric(100n, 2), 0], [null, long('a')], [null, long('b')], [null, long('a')])],
      [del([new Numeric(1n, 0), 0], [null, long('a')])],
      [del([new Numeric(10n, 1), -0], [null, long('b')])],
    ];
    const make = (s: OperatorState) => new ReduceOperator({ groupKey: [0, 1], aggregates: [countStar] }, s);
    const run = OperatorRun.create(make);
    await run.tick(...ticks[0]!);
    // Each group's key columns are those of its first row.
    expect(run.contents()).toEqual(show(ins([new Numeric(10n, 1), -0, 2n], [null, long('a'), 2n], [null, long('b'), 1n])));
    await run.tick(...ticks[1]!);
    expect(run.contents()).toEqual(show(ins([new Numeric(10n, 1), -0, 1n], [null, long('a'), 1n], [null, long('b'), 1n])));
    await run.tick(...ticks[2]!);
    expect(run.contents()).toEqual(show(ins([null, long('a'), 1n])));
    const [a, b] = await withAndWithoutRestarts(make, ticks);
    expect(b).toEqual(a);
  });

  test('int sums past 2^53 stay exact, with and without restarts', async () => {
    const sum8: ReduceAggregate = { def: aggregateDef('sum', 'accumulable', [T.int8], false, []), exprs: [col(1)], filter: null };
    const big = 2 ** 31 - 1;
    const many = (n: number, v: (i: number) => number) => Array.from({ length: n }, (_, i): Row => ['a', v(i)]);
    const ticks = [
      // 4,200,000 values of about 2^31 would pass 2^53; 3 ticks of weighted changes get there.
      [[...many(50, (i) => big - i).map((r): [Row, number] => [r, 2 ** 21]), [['b', 1n << 62n], 1], [['b', 1n << 62n], 1]] as [Row, number][]],
      [[...many(50, () => big).map((r): [Row, number] => [r, 2 ** 21]), [['b', 1n << 62n], -1]] as [Row, number][]],
      [many(50, (i) => big - i).map((r): [Row, number] => [r, -(2 ** 21)])],
    ];
    const aggs = [countStar, sumInt, sum8];
    const make = (s: OperatorState) => new ReduceOperator({ groupKey: [0], aggregates: aggs }, s);
    const [a, b] = await withAndWithoutRestarts(make, ticks);
    expect(b).toEqual(a);
    const run = OperatorRun.create(make);
    await run.tick(...ticks[0]!);
    await run.tick(...ticks[1]!);
    const n = 100n * 2n ** 21n;
    let sum = 0n;
    for (let i = 0; i < 50; i++) sum += BigInt(big - i) * 2n ** 21n + BigInt(big) * 2n ** 21n;
    expect(sum > 2n ** 53n).toBe(true);
    expect(run.contents()).toEqual(show(ins(['a', n, sum, new Numeric(sum, 0)], ['b', 1n, 1n << 62n, new Numeric(1n << 62n, 0)])));
    await run.tick(...ticks[2]!);
    expect(run.contents()).toEqual(show(ins(['a', n / 2n, BigInt(big) * (n / 2n), new Numeric(BigInt(big) * (n / 2n), 0)], ['b', 1n, 1n << 62n, new Numeric(1n << 62n, 0)])));
  });

  test('same outputs with and without restarts (accumulable, hierarchical and basic state)', async () => {
    const stringAgg: ReduceAggregate = {
      def: aggregateDef('string_agg', 'basic', [T.text, T.text], false, [{ index: 2, desc: true, nullsFirst: true }]),
      exprs: [col(2), () => '-', col(2)],
      filter: null,
    };
    const aggs = [countStar, sumInt, minV, maxV, stringAgg];
    const [a, b] = await withAndWithoutRestarts((s) => new ReduceOperator({ groupKey: [0], aggregates: aggs }, s), [
      [ins(['a', 3, 'x'], ['a', 1, 'y'], ['b', 5, 'z'])],
      [del(['a', 1, 'y']), ins(['b', 7, 'w'])],
      [del(['a', 3, 'x']), ins(['a', 8, 'v'])],
      [del(['b', 5, 'z'], ['b', 7, 'w'])],
    ]);
    expect(b).toEqual(a);
  });
});

import { describe, expect, test } from 'vitest';
import { buildDataflow } from '../../src/render/build-dataflow.js';
import * as P from '../../src/plan/plan-builders.js';
import type { ScalarExpr } from '../../src/plan/scalar-expr.js';
import { MemoryKvStore } from '../../src/storage/memory-kv-store.js';
import type { KvOp } from '../../src/storage/kv-store.js';
import { T, type SqlType } from '../../src/types/sql-type.js';
import type { Change } from '../../src/dataflow/zset.js';

const int4 = T.int4;
const schema = (names: string[]) => names.map((name) => ({ name, type: int4 as SqlType, nullable: true }));
const A = P.get('ta', 'a', schema(['k', 'v']));
const c = (i: number): ScalarExpr => ({ kind: 'Column', index: i, type: int4 });
const evalContext = () => ({ now: 1_000_000, timeZone: 'UTC' });
const inputs = (changes: Change[]) => new Map([['ta', changes]]);

describe('buildDataflow', () => {
  test('errors are data: a failing expression emits an error, retracting the row retracts it', async () => {
    const div: ScalarExpr = { kind: 'Call', fn: 'int4_div', args: [c(0), c(1)], type: int4 };
    const df = buildDataflow(P.project(P.map(A, [div]), [2]), { id: 'd', state: null, evalContext });
    const first = await df.step(inputs([[[6, 0], 1], [[6, 3], 1]]), []);
    expect(first.oks).toEqual([[[2], 1]]);
    expect(first.errs).toEqual([[{ code: '22012', message: 'division by zero' }, 1]]);
    const second = await df.step(inputs([[[6, 0], -1]]), []);
    expect(second).toEqual({ oks: [], errs: [[{ code: '22012', message: 'division by zero' }, -1]] });
  });

  test('a self-join feeds both Get nodes the same changes', async () => {
    const eq: ScalarExpr = { kind: 'Call', fn: 'int4_eq', args: [c(0), c(2)], type: T.bool };
    const df = buildDataflow(P.join('inner', A, A, eq), { id: 'd', state: null, evalContext });
    expect(df.inputIds).toEqual(['ta']);
    const out = await df.step(inputs([[[1, 2], 1], [[1, 3], 1]]), []);
    expect(out.oks.length).toBe(4);
  });

  test('a global aggregate hydrated from an empty input has its row, once, across a restart', async () => {
    const store = new MemoryKvStore();
    const plan = P.reduce(A, [], [{ fn: 'count_star', args: [], distinct: false, type: T.int8 }, { fn: 'sum', args: [c(1)], distinct: false, type: T.int8 }]);
    const ops: KvOp[] = [];
    const df = buildDataflow(plan, { id: 'v1', state: store, evalContext });
    expect((await df.step(new Map(), ops)).oks).toEqual([[[0n, null], 1]]);
    expect(ops.length).toBeGreaterThan(0);
    expect(new TextDecoder().decode(ops[0]!.key).startsWith('st/v1/1/')).toBe(true);
    await store.write(ops);
    const again = buildDataflow(plan, { id: 'v1', state: store, evalContext });
    expect((await again.step(new Map(), [])).oks).toEqual([]);
    expect((await again.step(inputs([[[1, 5], 1]]), [])).oks).toEqual([
      [[0n, null], -1],
      [[1n, 5n], 1],
    ]);
  });

  test('now() reads the tick’s eval context; CASE and COALESCE are lazy', async () => {
    const boom: ScalarExpr = { kind: 'Call', fn: 'int4_div', args: [c(0), { kind: 'Literal', value: 0, type: int4 }], type: int4 };
    const lazy: ScalarExpr = { kind: 'Case', whens: [{ cond: { kind: 'Literal', value: true, type: T.bool }, result: c(1) }], else: boom, type: int4 };
    const co: ScalarExpr = { kind: 'Coalesce', args: [c(1), boom], type: int4 };
    const now: ScalarExpr = { kind: 'Unmaterializable', fn: 'now', type: T.timestamptz };
    const df = buildDataflow(P.project(P.map(A, [lazy, co, now]), [2, 3, 4]), { id: 'd', state: null, evalContext });
    const out = await df.step(inputs([[[1, 7], 1]]), []);
    expect(out).toEqual({ oks: [[[7, 7, 1_000_000], 1]], errs: [] });
  });
});

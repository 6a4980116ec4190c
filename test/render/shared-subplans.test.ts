// Common sub-plans run once (plan/physical/share-subplans.ts, render-plan.ts): two equal
// aggregates joined to each other give the join of the two, with one aggregate's state; a view
// stored before sharing existed keeps its state and loses the duplicate's.
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
const c = (i: number, type: SqlType = int4): ScalarExpr => ({ kind: 'Column', index: i, type });
const evalContext = () => ({ now: 1_000_000, timeZone: 'UTC' });
const inputs = (changes: Change[]) => new Map([['ta', changes]]);
const counts = () => P.reduce(A, [0], [{ fn: 'count_star', args: [], distinct: false, type: T.int8 }]);
/** Groups whose count equals the count of the same group on the other side: every group. */
const selfJoin = P.join('inner', counts(), counts(), { kind: 'And', args: [{ kind: 'Call', fn: 'int4_eq', args: [c(0), c(2)], type: T.bool }, { kind: 'Call', fn: 'int8_eq', args: [c(1, T.int8), c(3, T.int8)], type: T.bool }], type: T.bool });
const sorted = (cs: Change[]) => [...cs].sort((a, b) => (a[0][0] as number) - (b[0][0] as number) || a[1] - b[1]);

const decode = (k: Uint8Array) => new TextDecoder().decode(k);
async function stateKeys(store: MemoryKvStore, id: string): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of store.scan({ gte: Buffer.from(`st/${id}/`), lt: Buffer.from(`st/${id}0`) })) for (const [k] of chunk) out.push(decode(k));
  return out;
}

describe('shared sub-plans', () => {
  test('a sub-plan read twice gives both consumers its changes, tick after tick', async () => {
    const df = buildDataflow(selfJoin, { id: 'd', state: null, evalContext });
    const first = await df.step(inputs([[[1, 2], 1], [[1, 3], 1], [[2, 5], 1]]), []);
    expect(sorted(first.oks)).toEqual([
      [[1, 2n, 1, 2n], 1],
      [[2, 1n, 2, 1n], 1],
    ]);
    const second = await df.step(inputs([[[1, 2], -1]]), []);
    expect(sorted(second.oks)).toEqual([
      [[1, 2n, 1, 2n], -1],
      [[1, 1n, 1, 1n], 1],
    ]);
  });

  test('the shared aggregate keeps one state, at the position the first occurrence always had', async () => {
    const store = new MemoryKvStore();
    const ops: KvOp[] = [];
    await buildDataflow(selfJoin, { id: 'v', state: store, evalContext }).step(inputs([[[1, 2], 1], [[2, 5], 1]]), ops);
    await store.write(ops);
    // Tree post-order: Get 0, Reduce 1, Get 2, Reduce 3 (the replaced occurrence), Join 4.
    const ranges = new Set((await stateKeys(store, 'v')).map((k) => k.split('/')[2]));
    expect([...ranges].sort()).toEqual(['1', '4']);
  });

  test('a view stored before sharing keeps its state, and the replaced occurrence’s state is deleted', async () => {
    const store = new MemoryKvStore();
    const ops: KvOp[] = [];
    await buildDataflow(selfJoin, { id: 'v', state: store, evalContext }).step(inputs([[[1, 2], 1], [[2, 5], 1]]), ops);
    // What the unshared rendering stored: the second aggregate's equal state at position 3.
    const copies: KvOp[] = ops.flatMap((op): KvOp[] => {
      const key = decode(op.key);
      return op.type === 'put' && key.startsWith('st/v/1/') ? [{ type: 'put', key: Buffer.from('st/v/3/' + key.slice('st/v/1/'.length)), value: op.value }] : [];
    });
    expect(copies.length).toBe(2);
    await store.write([...ops, ...copies]);

    const restarted = buildDataflow(selfJoin, { id: 'v', state: store, evalContext });
    const next: KvOp[] = [];
    const out = await restarted.step(inputs([[[2, 6], 1]]), next);
    expect(sorted(out.oks)).toEqual([
      [[2, 1n, 2, 1n], -1],
      [[2, 2n, 2, 2n], 1],
    ]);
    expect(next.filter((op) => op.type === 'del' && decode(op.key).startsWith('st/v/3/')).length).toBe(2);
    await store.write(next);
    expect((await stateKeys(store, 'v')).filter((k) => k.startsWith('st/v/3/'))).toEqual([]);
    const later: KvOp[] = [];
    await restarted.step(inputs([[[1, 9], 1]]), later);
    expect(later.some((op) => decode(op.key).startsWith('st/v/3/'))).toBe(false);
  });
});

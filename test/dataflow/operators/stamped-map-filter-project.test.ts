import { describe, expect, test } from 'vitest';
import { StampedMapFilterProjectOperator } from '../../../src/dataflow/operators/stamped-map-filter-project.js';
import { OperatorState } from '../../../src/dataflow/state.js';
import type { Change } from '../../../src/dataflow/zset.js';
import type { KvOp } from '../../../src/storage/kv-store.js';
import { MemoryKvStore } from '../../../src/storage/memory-kv-store.js';
import { show } from '../harness.js';

/** The operator of the header's example: rows of one column, output [row, stamp]. */
function make(state: OperatorState): StampedMapFilterProjectOperator {
  return new StampedMapFilterProjectOperator({ inputArity: 2, exprs: [], predicates: [], projection: [0, 1] }, state);
}

async function step(op: StampedMapFilterProjectOperator, state: OperatorState, store: MemoryKvStore, now: number, input: Change[]): Promise<string[]> {
  const ops: KvOp[] = [];
  state.begin(ops);
  const out = op.step([input], { errs: [], now });
  await store.write(ops);
  return show(out);
}

describe('StampedMapFilterProject', () => {
  test("a retraction gets the stamp of a live copy (the oldest), also after a restart", async () => {
    const store = new MemoryKvStore();
    let state = new OperatorState('df', 0);
    let op = make(state);
    await op.load(store);
    expect(await step(op, state, store, 10, [[['a'], 1]])).toEqual(['["a",10] +1']);
    expect(await step(op, state, store, 20, [[['a'], 1], [['b'], 2]])).toEqual(['["a",20] +1', '["b",20] +2']);
    // A new process: the stamps come back from the store.
    state = new OperatorState('df', 0);
    op = make(state);
    await op.load(store);
    expect(await step(op, state, store, 30, [[['a'], -1], [['b'], -1]])).toEqual(['["a",10] -1', '["b",20] -1']);
    expect(await step(op, state, store, 40, [[['a'], -1], [['b'], -1]])).toEqual(['["a",20] -1', '["b",20] -1']);
    // Nothing is left in the store once every row is retracted.
    let entries = 0;
    for await (const _ of state.entries(store)) entries++;
    expect(entries).toBe(0);
  });
});

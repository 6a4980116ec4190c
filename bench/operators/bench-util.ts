// Shared driver for the operator micro-benchmarks: runs ticks through one operator with state
// persistence on (the KvOps are produced and encoded, not written) and reports input rows/s.
import type { KvOp } from '../../src/storage/kv-store.js';
import type { Operator, Tick } from '../../src/dataflow/operator.js';
import type { OperatorState } from '../../src/dataflow/state.js';
import type { Change } from '../../src/dataflow/zset.js';

export function runTicks(op: Operator, state: OperatorState | null, ticks: Change[][][]): { rowsPerSec: number; ops: number } {
  let rows = 0;
  let nOps = 0;
  const t0 = performance.now();
  for (const inputs of ticks) {
    const ops: KvOp[] = [];
    state?.begin(ops);
    const tick: Tick = { errs: [], now: 0 };
    op.step(inputs, tick);
    for (const i of inputs) rows += i.length;
    nOps += ops.length;
  }
  const secs = (performance.now() - t0) / 1000;
  return { rowsPerSec: Math.round(rows / secs), ops: nOps };
}

/** A deterministic pseudo-random generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

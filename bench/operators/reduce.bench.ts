// Reduce micro-benchmark: GROUP BY over 10,000 groups, ticks of 10,000 input rows (a sliding
// window: each tick inserts 10,000 rows and retracts the rows inserted 5 ticks earlier), with
// state persistence on; and the shape of the maintenance benchmark (bench/e2e/maintenance.ts:
// ticks of 1,000 inserted rows `(id, g, v)`, `count(*), sum(v) GROUP BY g`, 10,000 groups, so
// about 1,000 groups change per tick). Run: npx vitest bench bench/operators --run
import { bench, describe } from 'vitest';
import { ReduceOperator, type ReduceAggregate } from '../../src/dataflow/operators/reduce.js';
import { aggregateDef } from '../../src/dataflow/aggregates/aggregate-def.js';
import { OperatorState } from '../../src/dataflow/state.js';
import type { Change } from '../../src/dataflow/zset.js';
import type { Row } from '../../src/types/datum.js';
import { T } from '../../src/types/sql-type.js';
import { rng, runTicks } from './bench-util.js';

const GROUPS = 10_000;
const BATCH = 10_000;
const TICKS = 30;

function makeTicks(): Change[][][] {
  const r = rng(1);
  const batches: Row[][] = [];
  const ticks: Change[][][] = [];
  for (let t = 0; t < TICKS; t++) {
    const rows: Row[] = [];
    for (let i = 0; i < BATCH; i++) rows.push([Math.floor(r() * GROUPS), Math.floor(r() * 1000)]);
    batches.push(rows);
    const changes: Change[] = rows.map((row) => [row, 1]);
    if (t >= 5) for (const row of batches[t - 5]!) changes.push([row, -1]);
    ticks.push([changes]);
  }
  return ticks;
}

const col = (i: number) => (row: Row) => row[i]!;
const accumulable: ReduceAggregate[] = [
  { def: aggregateDef('count_star', 'accumulable', [], false, []), exprs: [], filter: null },
  { def: aggregateDef('sum', 'accumulable', [T.int4], false, []), exprs: [col(1)], filter: null },
];
const withMinMax: ReduceAggregate[] = [
  ...accumulable,
  { def: aggregateDef('min', 'hierarchical', [T.int4], false, []), exprs: [col(1)], filter: null },
  { def: aggregateDef('max', 'hierarchical', [T.int4], false, []), exprs: [col(1)], filter: null },
];

const ticks = makeTicks();

/** 1,000 ticks of 1,000 inserts `(id, g, v)`. */
function maintenanceTicks(): Change[][][] {
  const r = rng(7);
  const out: Change[][][] = [];
  let id = 0;
  for (let t = 0; t < 1000; t++) {
    const changes: Change[] = [];
    for (let i = 0; i < 1000; i++) changes.push([[id++, Math.floor(r() * GROUPS), Math.floor(r() * 1000)], 1]);
    out.push([changes]);
  }
  return out;
}
const maintenance = maintenanceTicks();

describe('reduce', () => {
  for (const [name, aggs] of [
    ['count+sum', accumulable],
    ['count+sum+min+max', withMinMax],
  ] as const) {
    for (const persistent of [false, true]) {
      bench(`${name}, ${persistent ? 'persistent' : 'memory'}`, () => {
        const state = persistent ? new OperatorState('bench', 0) : null;
        const op = new ReduceOperator({ groupKey: [0], aggregates: [...aggs] }, state);
        const res = runTicks(op, state, ticks);
        console.log(`reduce ${name} ${persistent ? 'persistent' : 'memory'}: ${res.rowsPerSec} input rows/s (${res.ops} state ops)`);
      }, { iterations: 3, warmupIterations: 1 });
    }
  }
});

describe('reduce, maintenance-shaped', () => {
  bench('count(*)+sum(v) GROUP BY g, ticks of 1,000 inserts, persistent', () => {
    const state = new OperatorState('bench', 0);
    const aggs: ReduceAggregate[] = [accumulable[0]!, { ...accumulable[1]!, exprs: [col(2)] }];
    const op = new ReduceOperator({ groupKey: [1], aggregates: aggs }, state);
    const res = runTicks(op, state, maintenance);
    console.log(`reduce maintenance-shaped: ${res.rowsPerSec} input rows/s (${res.ops} state ops)`);
  }, { iterations: 5, warmupIterations: 1 });
});

// Join micro-benchmark: inner equi-join of two tables (orders ⋈ customers on customer id),
// ticks of 10,000 input rows (5,000 per side, new keys and matches), state persistence on/off.
// Run: npx vitest bench bench/operators --run
import { bench, describe } from 'vitest';
import { JoinOperator } from '../../src/dataflow/operators/join.js';
import { OperatorState } from '../../src/dataflow/state.js';
import type { Change } from '../../src/dataflow/zset.js';
import type { Row } from '../../src/types/datum.js';
import { datumKey } from '../../src/types/row-key.js';
import { rng, runTicks } from './bench-util.js';

const BATCH = 10_000;
const TICKS = 20;

function makeTicks(kind: 'inner' | 'left'): Change[][][] {
  const r = rng(2);
  const ticks: Change[][][] = [];
  let nextCustomer = 0;
  let nextOrder = 0;
  for (let t = 0; t < TICKS; t++) {
    const customers: Change[] = [];
    const orders: Change[] = [];
    for (let i = 0; i < BATCH / 2; i++) {
      const c = nextCustomer++;
      customers.push([[c, `customer ${c}`, 'nation ' + (c % 25)], 1]);
    }
    for (let i = 0; i < BATCH / 2; i++) {
      const o = nextOrder++;
      // Mostly existing customers; a few not yet seen (unmatched for a left join).
      const c = Math.floor(r() * (nextCustomer + (kind === 'left' ? 1000 : 0)));
      orders.push([[o, c, Math.floor(r() * 10000)] as Row, 1]);
    }
    ticks.push([orders, customers]);
  }
  return ticks;
}

const leftKey = (row: Row) => (row[1] === null ? null : datumKey(row[1]!));
const rightKey = (row: Row) => (row[0] === null ? null : datumKey(row[0]!));

describe('join', () => {
  for (const kind of ['inner', 'left'] as const) {
    const ticks = makeTicks(kind);
    for (const persistent of [false, true]) {
      bench(`${kind}, ${persistent ? 'persistent' : 'memory'}`, () => {
        const state = persistent ? new OperatorState('bench', 0) : null;
        const op = new JoinOperator({ kind, leftArity: 3, rightArity: 3, leftKey, rightKey, residual: null }, state);
        const res = runTicks(op, state, ticks);
        console.log(`join ${kind} ${persistent ? 'persistent' : 'memory'}: ${res.rowsPerSec} input rows/s (${res.ops} state ops)`);
      }, { iterations: 3, warmupIterations: 1 });
    }
  }
});

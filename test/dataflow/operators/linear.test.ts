import { describe, expect, test } from 'vitest';
import { MapFilterProjectOperator } from '../../../src/dataflow/operators/map-filter-project.js';
import { UnionOperator } from '../../../src/dataflow/operators/union.js';
import { NegateOperator } from '../../../src/dataflow/operators/negate.js';
import { ConstantOperator } from '../../../src/dataflow/operators/constant.js';
import { SqlError, SqlState } from '../../../src/types/sql-error.js';
import type { Datum, Row } from '../../../src/types/datum.js';
import type { Tick } from '../../../src/dataflow/operator.js';
import { MemoryKvStore } from '../../../src/storage/memory-kv-store.js';
import { OperatorRun, del, ins, show } from '../harness.js';

const tick = (): Tick => ({ errs: [], now: 0 });

describe('map-filter-project', () => {
  test('maps, filters after the map, projects', () => {
    const op = new MapFilterProjectOperator({
      inputArity: 1,
      exprs: [(r) => (r[0] as number) * 2],
      predicates: [{ fn: (r) => (r[1] as number) > 2, after: 1 }],
      projection: [1],
    });
    const out = op.step([[[[1], 1], [[2], 1], [[3], -1]]], tick());
    expect(show(out)).toEqual(['[4] +1', '[6] -1']);
  });

  test('a predicate placed before an expr keeps the expr from failing on dropped rows', () => {
    const inverse = (r: Row): Datum => {
      if (r[0] === 0) throw new SqlError(SqlState.divisionByZero, 'division by zero');
      return 1 / (r[0] as number);
    };
    const op = new MapFilterProjectOperator({ inputArity: 1, exprs: [inverse], predicates: [{ fn: (r) => r[0] !== 0, after: 0 }], projection: [1] });
    const t = tick();
    expect(show(op.step([ins([0], [2])], t))).toEqual(['[0.5] +1']);
    expect(t.errs).toEqual([]);
  });

  test('an error becomes an error-stream entry with the row diff, and retracting the row retracts it', () => {
    const op = new MapFilterProjectOperator({
      inputArity: 1,
      exprs: [
        (r) => {
          if (r[0] === 0) throw new SqlError(SqlState.divisionByZero, 'division by zero');
          return 10 / (r[0] as number);
        },
      ],
      predicates: [],
      projection: [1],
    });
    const t1 = tick();
    expect(show(op.step([ins([0], [5])], t1))).toEqual(['[2] +1']);
    expect(t1.errs).toEqual([[{ code: '22012', message: 'division by zero' }, 1]]);
    const t2 = tick();
    op.step([del([0])], t2);
    expect(t2.errs).toEqual([[{ code: '22012', message: 'division by zero' }, -1]]);
  });
});

describe('union and negate', () => {
  test('union sums its inputs', () => {
    expect(show(new UnionOperator().step([ins([1]), [[[1], 1], [[2], -1]]]))).toEqual(['[1] +2', '[2] -1']);
  });
  test('negate flips diffs', () => {
    expect(show(new NegateOperator().step([[[[1], 1], [[2], -2]]]))).toEqual(['[1] -1', '[2] +2']);
  });
});

describe('constant', () => {
  test('emits its rows in the first tick only, also across a restart', async () => {
    const store = new MemoryKvStore();
    const rows = ins([1], [2]);
    const run = OperatorRun.create((s) => new ConstantOperator(rows, s), store);
    expect(show(await run.tick())).toEqual(['[1] +1', '[2] +1']);
    expect(await run.tick()).toEqual([]);
    const again = OperatorRun.create((s) => new ConstantOperator(rows, s), store);
    expect(await again.tick()).toEqual([]);
  });
});

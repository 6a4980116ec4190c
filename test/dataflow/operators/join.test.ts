import { describe, expect, test } from 'vitest';
import { JoinOperator, type JoinSpec } from '../../../src/dataflow/operators/join.js';
import type { Row } from '../../../src/types/datum.js';
import { datumKey } from '../../../src/types/row-key.js';
import { SqlError, SqlState } from '../../../src/types/sql-error.js';
import { OperatorRun, del, ins, withAndWithoutRestarts } from '../harness.js';

const key0 = (r: Row): string | null => (r[0] === null ? null : datumKey(r[0]));

function spec(kind: JoinSpec['kind'], residual: JoinSpec['residual'] = null): JoinSpec {
  return { kind, leftArity: 2, rightArity: 2, leftKey: key0, rightKey: key0, residual };
}

describe('join', () => {
  test('inner: ΔA⋈B + A′⋈ΔB, with multiplicities', async () => {
    const run = OperatorRun.create((s) => new JoinOperator(spec('inner'), s));
    await run.tick(ins([1, 'a'], [2, 'b']), ins([1, 'x']));
    expect(run.contents()).toEqual(['[1,"a",1,"x"] +1']);
    await run.tick([[[1, 'a'], 1]], ins([1, 'y'], [2, 'z']));
    expect(run.contents()).toEqual(['[1,"a",1,"x"] +2', '[1,"a",1,"y"] +2', '[2,"b",2,"z"] +1']);
    await run.tick(del([1, 'a'], [1, 'a']), del([2, 'z']));
    expect(run.contents()).toEqual([]);
  });

  test('NULL keys never match; a left join pads them', async () => {
    const run = OperatorRun.create((s) => new JoinOperator(spec('left'), s));
    await run.tick(ins([null, 'a']), ins([null, 'x']));
    expect(run.contents()).toEqual(['[null,"a",null,null] +1']);
  });

  test('left join: the padded row comes and goes as matches cross zero', async () => {
    const run = OperatorRun.create((s) => new JoinOperator(spec('left'), s));
    await run.tick([[[1, 'a'], 2]], []);
    expect(run.contents()).toEqual(['[1,"a",null,null] +2']);
    await run.tick([], ins([1, 'x'], [1, 'y']));
    expect(run.contents()).toEqual(['[1,"a",1,"x"] +2', '[1,"a",1,"y"] +2']);
    await run.tick([], del([1, 'x']));
    expect(run.contents()).toEqual(['[1,"a",1,"y"] +2']);
    await run.tick([], del([1, 'y']));
    expect(run.contents()).toEqual(['[1,"a",null,null] +2']);
  });

  test('full join with a residual: a pair failing the residual does not count as a match', async () => {
    const residual = (r: Row): boolean => (r[1] as number) < (r[3] as number);
    const run = OperatorRun.create((s) => new JoinOperator(spec('full', residual), s));
    await run.tick(ins([1, 5]), ins([1, 3]));
    expect(run.contents()).toEqual(['[1,5,null,null] +1', '[null,null,1,3] +1']);
    await run.tick([], ins([1, 9]));
    expect(run.contents()).toEqual(['[1,5,1,9] +1', '[null,null,1,3] +1']);
    await run.tick(del([1, 5]), []);
    expect(run.contents()).toEqual(['[null,null,1,3] +1', '[null,null,1,9] +1']);
  });

  test('a residual error goes to the error stream with the pair diff', async () => {
    const residual = (): boolean => {
      throw new SqlError(SqlState.divisionByZero, 'division by zero');
    };
    const run = OperatorRun.create((s) => new JoinOperator(spec('inner', residual), s));
    await run.tick(ins([1, 1]), [[[1, 2], 2]]);
    expect(run.errs).toEqual([[{ code: '22012', message: 'division by zero' }, 2]]);
    await run.tick([], [[[1, 2], -2]]);
    expect(run.errs).toEqual([]);
  });

  test('same outputs with and without restarts from persisted state', async () => {
    const ticks = [
      [ins([1, 'a'], [2, 'b']), ins([1, 'x'])],
      [ins([2, 'c']), ins([2, 'y'], [3, 'z'])],
      [del([1, 'a']), del([3, 'z'])],
      [ins([3, 'd'], [1, 'a']), del([1, 'x'])],
    ];
    const [a, b] = await withAndWithoutRestarts((s) => new JoinOperator(spec('full'), s), ticks);
    expect(b).toEqual(a);
  });
});

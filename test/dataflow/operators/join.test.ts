import { describe, expect, test } from 'vitest';
import { JoinOperator, type JoinSpec } from '../../../src/dataflow/operators/join.js';
import { joinKeyFn } from '../../../src/dataflow/operators/join-key.js';
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

  describe('null-safe key positions', () => {
    const nullSafeSpec = (kind: JoinSpec['kind'], nullSafe: boolean[]): JoinSpec => {
      const key = joinKeyFn([0, 1], nullSafe);
      return { kind, leftArity: 2, rightArity: 2, leftKey: key, rightKey: key, residual: null };
    };

    test('joinKeyFn: NULL is a value at a null-safe position, and no match at a plain one', () => {
      const key = joinKeyFn([0, (r: Row) => r[1]!], [false, true]);
      expect(key([1, null])).toBe(key([1, null]));
      expect(key([1, null])).not.toBe(key([1, 2]));
      expect(key([null, 2])).toBeNull();
      expect(joinKeyFn([0], [true])([null])).toBe(joinKeyFn([0], [true])([null]));
      expect(joinKeyFn([0], [false])([null])).toBeNull();
    });

    test('inner: NULL matches NULL where null-safe, never under plain =', async () => {
      const run = OperatorRun.create((s) => new JoinOperator(nullSafeSpec('inner', [true, false]), s));
      await run.tick(ins([null, 1], [null, null], [2, 3]), ins([null, 1], [null, null], [2, 3], [2, 4]));
      expect(run.contents()).toEqual(['[2,3,2,3] +1', '[null,1,null,1] +1']);
      await run.tick(del([null, 1]), []);
      expect(run.contents()).toEqual(['[2,3,2,3] +1']);
    });

    test('left: a NULL-keyed row is padded until a NULL-keyed row arrives on the other side', async () => {
      const key = joinKeyFn([0], [true]);
      const run = OperatorRun.create((s) => new JoinOperator({ kind: 'left', leftArity: 2, rightArity: 2, leftKey: key, rightKey: key, residual: null }, s));
      await run.tick([[[null, 'a'], 2]], ins([1, 'x']));
      expect(run.contents()).toEqual(['[null,"a",null,null] +2']);
      await run.tick([], ins([null, 'y']));
      expect(run.contents()).toEqual(['[null,"a",null,"y"] +2']);
      await run.tick([], del([null, 'y']));
      expect(run.contents()).toEqual(['[null,"a",null,null] +2']);
    });

    test('full join over NULL keys: same outputs with and without restarts', async () => {
      const ticks = [
        [ins([null, 1], [1, null]), ins([null, 1], [null, 2])],
        [ins([null, 1]), del([null, 2])],
        [del([null, 1]), ins([1, null], [null, 1])],
        [del([1, null]), del([null, 1])],
      ];
      const [a, b] = await withAndWithoutRestarts((s) => new JoinOperator(nullSafeSpec('full', [true, true]), s), ticks);
      expect(b).toEqual(a);
    });
  });
});

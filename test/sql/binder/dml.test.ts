import { beforeAll, describe, expect, test } from 'vitest';
import { printPlan } from '../../../src/plan/print-plan.js';
import { printScalar } from '../../../src/plan/print-plan.js';
import { typeName } from '../../../src/types/sql-type.js';
import { bind, bindError, ready } from './bind-helper.js';

beforeAll(() => ready);

const lines = (...l: string[]): string => l.join('\n') + '\n';

describe('DML', () => {
  test('INSERT VALUES with a column list fills defaults', () => {
    const b = bind("insert into items (id, name) values (1, 'x'), (2, default)");
    expect(b.kind).toBe('Insert');
    expect(printPlan(b.plan)).toBe(lines("Constant (1, 'x', 0) (2, 'unnamed', 0)"));
  });

  test('INSERT casts by assignment and reports mismatches', () => {
    expect(printPlan(bind('insert into t values (1, 2, 3)').plan)).toBe(lines("Constant (1, '2', 3)"));
    expect(bindError("insert into t (a) values ('abc'::text)")).toMatchObject({ code: '42804', message: 'column "a" is of type integer but expression is of type text' });
    expect(bindError('insert into t (zz) values (1)')).toMatchObject({ code: '42703', message: 'column "zz" of relation "t" does not exist' });
    expect(bindError('insert into t (a) values (1, 2)')).toMatchObject({ code: '42601', message: 'INSERT has more expressions than target columns' });
  });

  test('INSERT … SELECT and parameters', () => {
    const b = bind('insert into w (x, y) select a, b from t where a > $1');
    expect(printPlan(b.plan)).toBe(
      lines('Project (#2, #3, #4)', '  Map (#0, #1, null)', '    Project (#0, #1)', '      Filter (#0 > $1)', '        Get public.t'),
    );
    expect(b.paramTypes.map(typeName)).toEqual(['integer']);
    expect(bind('insert into w values ($1, $2, $3)').paramTypes.map(typeName)).toEqual(['integer', 'text', 'boolean']);
  });

  test('INSERT RETURNING', () => {
    const b = bind('insert into t values (1) returning a + 1 as next, *');
    if (b.kind !== 'Insert') throw new Error();
    expect(b.returning!.map(printScalar)).toEqual(['(#0 + 1)', '#0', '#1', '#2']);
    expect(b.returningSchema!.map((c) => c.name)).toEqual(['next', 'a', 'b', 'c']);
  });

  test('UPDATE produces old ++ new columns', () => {
    const b = bind("update t set b = 'x', c = c + 1 where a = 1 returning c");
    expect(printPlan(b.plan)).toBe(
      lines("Project (#0, #1, #2, #3, #4, #5)", "  Map (#0, 'x', (#2 + 1))", '    Filter (#0 = 1)', '      Get public.t'),
    );
  });

  test('DELETE with WHERE and USING', () => {
    expect(printPlan(bind('delete from t where a > 2').plan)).toBe(lines('Filter (#0 > 2)', '  Get public.t'));
    expect(printPlan(bind('delete from t using w where t.a = w.x').plan)).toBe(
      lines('Distinct', '  Project (#0, #1, #2)', '    Filter (#0 = #3)', '      Join kind=inner on=true', '        Get public.t', '        Get public.w'),
    );
  });

  test('writing to a view is refused', () => {
    expect(bindError('insert into tv values (1)')).toMatchObject({ code: '42809' });
  });
});

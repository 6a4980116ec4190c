import { beforeAll, describe, expect, test } from 'vitest';
import { optimize } from '../../../src/plan/optimize.js';
import { printPlan } from '../../../src/plan/print-plan.js';
import { bind, ready } from '../../sql/binder/bind-helper.js';
import { lines } from './rule-helper.js';

beforeAll(() => ready);

const opt = (sql: string): string => printPlan(optimize(bind(sql).plan));

describe('optimize (SQL in → optimized plan out)', () => {
  test('a view filter and a query filter meet at the Get', () => {
    expect(opt('select b from tv where a < 10')).toBe(lines('Project (#1)', '  Filter (#0 > 1) AND (#0 < 10)', '    Get public.t'));
  });

  test('WHERE over a join becomes the join condition and side filters; each side keeps the columns read above or in ON', () => {
    expect(opt('select t.b from t, u where t.a = u.a and u.e > 1')).toBe(
      lines(
        'Project (#1)',
        '  Join kind=inner on=(#0 = #2)',
        '    Project (#0, #1)',
        '      Get public.t',
        '    Project (#0)',
        '      Filter (#2 > 1)',
        '        Get public.u',
      ),
    );
  });

  test('top-n per group from row_number()', () => {
    expect(opt('select * from (select a, b, row_number() over (partition by b order by a desc) as rn from t) s where rn <= 3')).toBe(
      lines('Project (#0, #1, #3)', '  TopK group=[#1] order=[#0 desc] limit=3 rank', '    Get public.t'),
    );
    expect(opt('select a from (select a, b, row_number() over (partition by b order by a) as rn from t) s where rn = 1')).toContain('limit=1 rank');
  });

  test('reaches a fixpoint and is idempotent', () => {
    const p = optimize(bind('select a, (select count(*) from u where u.a = t.a) from t where a > 1').plan);
    expect(optimize(p)).toBe(p);
  });
});

import { beforeAll, describe, expect, test } from 'vitest';
import { bindError, columnsOf, plan, ready } from './bind-helper.js';

beforeAll(() => ready);

const lines = (...l: string[]): string => l.join('\n') + '\n';

describe('aggregates', () => {
  test('GROUP BY with HAVING', () => {
    expect(plan('select a, count(*), sum(c) from t group by a having count(*) > 1')).toBe(
      lines('Project (#0, #1, #2)', '  Filter (#1 > 1)', '    Reduce group=[#0] aggs=[count(*), sum(#2)]', '      Get public.t'),
    );
  });

  test('result types follow Postgres', () => {
    expect(
      columnsOf('select count(*), count(b), sum(t.a), sum(c), sum(d), sum(e), avg(t.a), avg(e), min(b), max(d), bool_and(t.a > 1), every(t.a > 1), string_agg(b, \',\'), array_agg(t.a), jsonb_agg(t.a) from t, u'),
    ).toEqual([
      'count bigint',
      'count bigint',
      'sum bigint',
      'sum numeric',
      'sum numeric',
      'sum double precision',
      'avg numeric',
      'avg double precision',
      'min text',
      'max numeric',
      'bool_and boolean',
      'every boolean',
      'string_agg text',
      'array_agg integer[]',
      'jsonb_agg jsonb',
    ]);
  });

  test('global aggregate has an empty group key', () => {
    expect(plan('select count(distinct b) from t')).toBe(lines('Project (#0)', '  Reduce group=[] aggs=[count(distinct #1)]', '    Get public.t'));
  });

  test('GROUP BY ordinal, output name, and expression', () => {
    expect(plan('select b, count(*) from t group by 1')).toBe(lines('Project (#0, #1)', '  Reduce group=[#1] aggs=[count(*)]', '    Get public.t'));
    expect(plan('select a + 1 as k, count(*) from t group by k')).toBe(
      lines('Project (#0, #1)', '  Reduce group=[#3] aggs=[count(*)]', '    Map ((#0 + 1))', '      Get public.t'),
    );
    expect(plan('select (a + 1) * 2 from t group by a + 1')).toBe(
      lines('Project (#1)', '  Map ((#0 * 2))', '    Reduce group=[#3] aggs=[]', '      Map ((#0 + 1))', '        Get public.t'),
    );
  });

  test('string_agg with ORDER BY and FILTER', () => {
    expect(plan("select string_agg(b, ',' order by b desc) filter (where a > 0) from t")).toBe(
      lines('Project (#0)', "  Reduce group=[] aggs=[string_agg(#1, ',' order by #1 desc) filter (where (#0 > 0))]", '    Get public.t'),
    );
  });

  test('approx_percentile(fraction, error) WITHIN GROUP (ORDER BY x): float8, constant arguments checked', () => {
    expect(plan('select approx_percentile(0.5, 0.01) within group (order by a desc) from t')).toBe(
      lines('Project (#0)', '  Reduce group=[] aggs=[approx_percentile(#0::double precision, 0.5 order by #0::double precision desc)]', '    Get public.t'),
    );
    expect(columnsOf('select approx_percentile(0.9) within group (order by a) from t')).toEqual(['approx_percentile double precision']);
    expect(bindError('select approx_percentile(1.5, 0.01) within group (order by a) from t')).toMatchObject({ code: '22003' });
    expect(bindError('select approx_percentile(0.5, 0) within group (order by a) from t')).toMatchObject({ code: '22023' });
    expect(bindError('select approx_percentile(a, 0.01) within group (order by a) from t')).toMatchObject({ code: '0A000' });
  });

  test('first_value / last_value (x ORDER BY y) as aggregates keep the type; ORDER BY is required', () => {
    expect(columnsOf('select first_value(b order by a), last_value(a order by b desc nulls last) from t')).toEqual(['first_value text', 'last_value integer']);
    expect(bindError('select first_value(a) from t')).toMatchObject({ code: '0A000' });
  });

  test('same aggregate twice is computed once', () => {
    expect(plan('select sum(a), sum(a) + 1 from t')).toBe(
      lines('Project (#0, #1)', '  Map ((#0 + 1))', '    Reduce group=[] aggs=[sum(#0)]', '      Get public.t'),
    );
  });

  test('ungrouped column is 42803 with position', () => {
    expect(bindError('select a, b from t group by a')).toEqual({
      code: '42803',
      message: 'column "b" must appear in the GROUP BY clause or be used in an aggregate function',
      position: 11,
    });
  });

  test('aggregates where not allowed', () => {
    expect(bindError('select a from t where count(*) > 1')).toMatchObject({ code: '42803', message: 'aggregate functions are not allowed in WHERE', position: 23 });
    expect(bindError('select sum(count(*)) from t')).toMatchObject({ code: '42803', message: 'aggregate function calls cannot be nested' });
    expect(bindError('select sum(b) from t')).toMatchObject({ code: '42883', message: 'function sum(text) does not exist' });
  });
});

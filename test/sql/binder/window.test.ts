import { beforeAll, describe, expect, test } from 'vitest';
import { bindError, columnsOf, plan, ready } from './bind-helper.js';

beforeAll(() => ready);

const lines = (...l: string[]): string => l.join('\n') + '\n';

describe('window functions over frames', () => {
  test('an aggregate over a ROWS frame is a Window node', () => {
    expect(plan('select b, avg(a) over (partition by b order by c rows between 10 preceding and current row) from t')).toBe(
      lines('Project (#1, #3)', '  Window partition=[#1] order=[#2] calls=[avg(#0) rows 10 preceding..current row]', '    Get public.t'),
    );
    expect(columnsOf('select avg(a) over (order by c), sum(c) over w, lag(b, 2) over w, rank() over w from t window w as (order by a)')).toEqual([
      'avg numeric',
      'sum numeric',
      'lag text',
      'rank bigint',
    ]);
  });

  test('calls sharing PARTITION BY and ORDER BY share a node; other windows chain', () => {
    expect(plan('select sum(a) over (order by c), count(*) over (order by c rows unbounded preceding), row_number() over (partition by b) from t')).toBe(
      lines(
        'Project (#3, #4, #5)',
        '  Window partition=[#1] order=[] calls=[row_number()]',
        '    Window partition=[] order=[#2] calls=[sum(#0) range unbounded preceding..current row, count(*) rows unbounded preceding..current row]',
        '      Get public.t',
      ),
    );
  });

  test('a RANGE offset bound is the ORDER BY value it reaches to', () => {
    expect(plan('select sum(a) over (order by c desc range between 5 preceding and current row) from t')).toBe(
      lines('Project (#3)', '  Window partition=[] order=[#2 desc] calls=[sum(#0) range preceding to (#2 + 5)..current row]', '    Get public.t'),
    );
  });

  test('row_number() alone stays a TopK (a filter on it becomes a top-k)', () => {
    expect(plan('select a, row_number() over (partition by b order by a desc) as rn from t')).toBe(
      lines('Project (#0, #3)', '  TopK group=[#1] order=[#0 desc] rank', '    Get public.t'),
    );
  });

  test('window functions inside expressions and in ORDER BY', () => {
    expect(columnsOf('select a, coalesce(lag(a) over (order by a), 0) + 1 as prev from t order by sum(a) over ()')).toEqual(['a integer', 'prev integer']);
  });

  test('errors follow Postgres', () => {
    expect(bindError('select a from t where row_number() over () > 1')).toMatchObject({ code: '42P20', message: 'window functions are not allowed in WHERE' });
    expect(bindError('select sum(row_number() over ()) over () from t')).toMatchObject({ code: '42P20', message: 'window function calls cannot be nested' });
    expect(bindError('select sum(a) over w from t')).toMatchObject({ code: '42704', message: 'window "w" does not exist' });
    expect(bindError('select sum(a) over (w partition by b) from t window w as (order by a)')).toMatchObject({ code: '42P20', message: 'cannot override PARTITION BY clause of window "w"' });
    expect(bindError('select sum(a) over (w) from t window w as (order by a rows 1 preceding)')).toMatchObject({ code: '42P20', message: 'cannot copy window "w" because it has a frame clause' });
    expect(bindError('select sum(a) over (order by a rows -1 preceding) from t')).toMatchObject({ code: '22013', message: 'frame starting offset must not be negative' });
    expect(bindError('select sum(a) over (order by b range 1 preceding) from t')).toMatchObject({ code: '0A000', message: 'RANGE with offset PRECEDING/FOLLOWING is not supported for column type text and offset type integer' });
    expect(bindError('select sum(a) over (order by a, c range 1 preceding) from t')).toMatchObject({ code: '42P20' });
    expect(bindError('select sum(distinct a) over () from t')).toMatchObject({ code: '0A000', message: 'DISTINCT is not implemented for window functions' });
    expect(bindError('select ntile(0) over () from t')).toMatchObject({ code: '22014', message: 'argument of ntile must be greater than zero' });
    expect(bindError('select string_agg(b, \',\') over () from t')).toMatchObject({ code: '0A000', message: 'window function string_agg is not supported yet' });
    expect(bindError('select sum(a) over (order by a), count(*) from t')).toMatchObject({ code: '0A000' });
  });
});

import { beforeAll, describe, expect, test } from 'vitest';
import { bind, columnsOf, plan, ready } from './bind-helper.js';

beforeAll(() => ready);

const lines = (...l: string[]): string => l.join('\n') + '\n';

describe('select core', () => {
  test('filter and project', () => {
    expect(plan('select a, b from t where a > 1')).toBe(lines('Project (#0, #1)', '  Filter (#0 > 1)', '    Get public.t'));
  });

  test('select without FROM is a Map over one empty row', () => {
    expect(plan('select 1 as one')).toBe(lines('Project (#0)', '  Map (1)', '    Constant ()'));
    expect(columnsOf('select 1 as one')).toEqual(['one integer']);
  });

  test('select * and t.* expand in order', () => {
    expect(columnsOf('select * from t')).toEqual(['a integer', 'b text', 'c bigint']);
    expect(columnsOf('select u.*, t.a from t, u')).toEqual(['a integer', 'd numeric', 'e double precision', 'a integer']);
  });

  test('column names follow Postgres', () => {
    expect(columnsOf("select a + 1, b::varchar(3), count(*), case when a > 1 then 1 end, coalesce(b, 'x'), now() from t group by a, b")).toEqual([
      '?column? integer',
      'b character varying(3)',
      'count bigint',
      'case integer',
      'coalesce text',
      'now timestamp with time zone',
    ]);
  });

  test('joins: inner with ON, left, USING merges the column', () => {
    expect(plan('select * from t join u using (a)')).toBe(
      lines('Project (#0, #1, #2, #4, #5)', '  Join kind=inner on=(#0 = #3)', '    Get public.t', '    Get public.u'),
    );
    expect(plan('select t.a, u.d from t left join u on t.a = u.a')).toBe(
      lines('Project (#0, #4)', '  Join kind=left on=(#0 = #3)', '    Get public.t', '    Get public.u'),
    );
    expect(columnsOf('select * from t natural join u')).toEqual(['a integer', 'b text', 'c bigint', 'd numeric', 'e double precision']);
  });

  test('full join USING coalesces the merged column', () => {
    expect(plan('select a from t full join u using (a)')).toBe(
      lines('Project (#6)', '  Map (coalesce(#0, #3))', '    Join kind=full on=(#0 = #3)', '      Get public.t', '      Get public.u'),
    );
  });

  test('comma joins are cross joins', () => {
    expect(plan('select t.a, w.x from t, w')).toBe(lines('Project (#0, #3)', '  Join kind=inner on=true', '    Get public.t', '    Get public.w'));
  });

  test('subquery in FROM with column aliases', () => {
    expect(columnsOf('select q.x from (select a, b from t) as q(x, y)')).toEqual(['x integer']);
  });

  test('CTEs are inlined', () => {
    expect(plan('with x as (select a from t) select * from x')).toBe(lines('Project (#0)', '  Project (#0)', '    Get public.t'));
  });

  test('views are inlined from their SQL', () => {
    expect(plan('select * from tv')).toBe(lines('Project (#0, #1)', '  Project (#0, #1)', '    Project (#0, #1)', '      Filter (#0 > 1)', '        Get public.t'));
  });

  test('ORDER BY / LIMIT at top level become the finishing', () => {
    const b = bind('select b, a from t order by a desc, 1 limit 5 offset 2');
    if (b.kind !== 'Select') throw new Error();
    expect(b.finishing).toMatchObject({ limit: 5, offset: 2, project: [0, 1] });
    expect(b.finishing.order.map((k) => [k.expr.kind === 'Column' ? k.expr.index : -1, k.desc, k.nullsFirst])).toEqual([
      [1, true, true],
      [0, false, false],
    ]);
  });

  test('ORDER BY an expression not selected adds a hidden column', () => {
    const b = bind('select b from t order by a + 1');
    if (b.kind !== 'Select') throw new Error();
    expect(b.plan.schema.length).toBe(2);
    expect(b.finishing.project).toEqual([0]);
    expect(b.schema.map((c) => c.name)).toEqual(['b']);
  });

  test('LIMIT in a subquery is a TopK with an empty group key', () => {
    expect(plan('select * from (select a from t order by a limit 3) s')).toBe(
      lines('Project (#0)', '  TopK group=[] order=[#0] limit=3', '    Project (#0)', '      Get public.t'),
    );
  });

  test('DISTINCT and DISTINCT ON', () => {
    expect(plan('select distinct b from t')).toBe(lines('Distinct', '  Project (#1)', '    Get public.t'));
    expect(plan('select distinct on (b) b, a from t order by b, a desc')).toBe(
      lines('TopK group=[#0] order=[#0, #1 desc] limit=1', '  Project (#1, #0)', '    Get public.t'),
    );
  });

  test('row_number() OVER ranks with a TopK', () => {
    expect(plan('select a, row_number() over (partition by b order by a desc) as rn from t')).toBe(
      lines('Project (#0, #3)', '  TopK group=[#1] order=[#0 desc] rank', '    Get public.t'),
    );
    expect(columnsOf('select a, row_number() over (order by a) as rn from t')).toEqual(['a integer', 'rn bigint']);
  });

  test('VALUES with literals is a Constant', () => {
    expect(plan("values (1, 'a'), (2, 'b')")).toBe(lines("Constant (1, 'a') (2, 'b')"));
    expect(columnsOf("values (1, 'a'), (2.5, null)")).toEqual(['column1 numeric', 'column2 text']);
  });
});

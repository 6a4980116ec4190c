import { beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_RULES, optimize } from '../../../src/plan/optimize.js';
import { printPlan } from '../../../src/plan/print-plan.js';
import { lowerPlan } from '../../../src/plan/lower/lower-plan.js';
import { printDataflowPlan } from '../../../src/plan/physical/print-dataflow-plan.js';
import { bind, bindError, columnsOf, ready } from './bind-helper.js';

beforeAll(() => ready);

const lines = (...l: string[]): string => l.join('\n') + '\n';
/** The decorrelated shape after the rules, without column pruning (which narrows join inputs: prune-columns.test.ts). */
const opt = (sql: string): string => printPlan(optimize(bind(sql).plan, DEFAULT_RULES, 100, []));

describe('subqueries', () => {
  test('uncorrelated scalar subquery is a left join on true', () => {
    expect(opt('select a, (select max(x) from w) from t')).toBe(
      lines('Project (#0, #3)', '  Join kind=left on=true', '    Get public.t', '    Reduce group=[] aggs=[max(#0)]', '      Get public.w'),
    );
  });

  test('correlated count(*) is grouped by the correlation key, 0 where nothing matches', () => {
    expect(opt('select a, (select count(*) from u where u.a = t.a) from t')).toBe(
      lines(
        'Project (#0, #4)',
        '  Join kind=left on=(#0 = #3)',
        '    Get public.t',
        '    Project (#0, #3)',
        '      Map (coalesce(#2, 0))',
        '        Join kind=left on=(#0 = #1)',
        '          Distinct',
        '            Project (#0)',
        '              Get public.t',
        '          Reduce group=[#0] aggs=[count(*)]',
        '            Join kind=inner on=(#1 = #0)',
        '              Distinct',
        '                Project (#0)',
        '                  Get public.t',
        '              Get public.u',
      ),
    );
    expect(columnsOf('select a, (select count(*) from u where u.a = t.a) as n from t')).toEqual(['a integer', 'n bigint']);
  });

  test('EXISTS in WHERE is a semi join on the distinct correlation keys', () => {
    expect(opt('select * from t where exists (select 1 from u where u.a = t.a)')).toBe(
      lines(
        'Project (#0, #1, #2)',
        '  Join kind=inner on=(#0 = #3)',
        '    Get public.t',
        '    Distinct',
        '      Project (#0)',
        '        Join kind=inner on=(#1 = #0)',
        '          Distinct',
        '            Project (#0)',
        '              Get public.t',
        '          Get public.u',
      ),
    );
  });

  test('NOT EXISTS is an anti join: left join and marker IS NULL', () => {
    const p = opt('select * from t where not exists (select 1 from w where w.x = t.a)');
    expect(p).toContain('Join kind=left on=(#0 = #3)');
    expect(p).toContain('Filter (#4) IS NULL');
  });

  test('correlation on a nullable column compares null-safely', () => {
    expect(opt('select * from u where exists (select 1 from w where w.x = u.a)')).toContain('on=((#0 = #3) OR ((#0) IS NULL AND (#3) IS NULL))');
  });

  test('a scalar subquery that may return several rows per key maps its value through error_if_multiple (21000)', () => {
    expect(opt('select a, (select e from u where u.a = t.a) from t')).toBe(
      lines(
        'Project (#0, #4)',
        '  Join kind=left on=(#0 = #3)',
        '    Get public.t',
        '    Project (#0, #4)',
        '      Map (error_if_multiple(#3, #1))',
        '        Join kind=inner on=(#0 = #2)',
        '          Project (#0, #3)',
        '            Join kind=inner on=(#1 = #0)',
        '              Distinct',
        '                Project (#0)',
        '                  Get public.t',
        '              Get public.u',
        '          Reduce group=[#0] aggs=[count(*)]',
        '            Project (#0)',
        '              Join kind=inner on=(#1 = #0)',
        '                Distinct',
        '                  Project (#0)',
        '                    Get public.t',
        '                Get public.u',
      ),
    );
    expect(opt('select a, (select x from w) from t')).toContain('Map (error_if_multiple(#1, #0))');
  });

  test('no one-row check where the plan is at most one row per key: aggregates, LIMIT 1', () => {
    for (const sql of [
      'select a, (select count(*) from u where u.a = t.a) from t',
      'select a, (select max(e) from u where u.a = t.a) from t',
      'select a, (select max(x) from w) from t',
      'select a, (select e from u where u.a = t.a order by e limit 1) from t',
      'select a, (select x from w limit 1) from t',
    ]) {
      expect(opt(sql), sql).not.toContain('error_if_multiple');
    }
    expect(opt('select a, (select max(e) from u where u.a = t.a group by u.d) from t')).toContain('error_if_multiple');
  });

  test('every correlated shape lowers to keyed joins, null-safe on a nullable correlation column', () => {
    const physical = (sql: string): string => printDataflowPlan(lowerPlan(optimize(bind(sql).plan)));
    const shapes = [
      'select a, (select count(*) from w where w.x = u.a) from u',
      'select a, (select max(z::int4) from w where w.x = u.a) from u',
      'select a, (select y from w where w.x = u.a) from u',
      'select a from u where exists (select 1 from w where w.x = u.a)',
      'select a from u where not exists (select 1 from w where w.x = u.a)',
      'select a, exists (select 1 from w where w.x = u.a) from u',
      'select a from u where e in (select x from w where w.x = u.a)',
      'select a from u where e not in (select x from w where w.x = u.a)',
      'select a, a in (select x from w where w.y = u.d::text) from u',
    ];
    for (const sql of shapes) {
      const text = physical(sql);
      expect(text, sql).not.toContain('cross');
      expect(text, sql).toContain('IS NOT DISTINCT FROM');
    }
    // A NOT NULL correlation column compares with plain =.
    expect(physical('select a, (select count(*) from u where u.a = t.a) from t')).not.toMatch(/cross|IS NOT DISTINCT FROM/);
  });

  test('IN (subquery) in WHERE is a semi join', () => {
    expect(opt('select b from t where a in (select x from w)')).toBe(
      lines('Project (#1)', '  Join kind=inner on=(#0 = #3)', '    Get public.t', '    Distinct', '      Project (#0)', '        Get public.w'),
    );
  });

  test('NOT IN keeps three-valued logic with three markers', () => {
    const p = opt('select b from t where a not in (select x from w)');
    expect(p).toContain('NOT (CASE WHEN (#4) IS NOT NULL THEN true WHEN (#5) IS NULL THEN false WHEN ((#0) IS NULL OR (#6) IS NOT NULL) THEN null ELSE false END)');
    expect(p).toContain('Filter (#0) IS NULL');
  });

  test('a subquery in a grouped select list is joined after the Reduce', () => {
    expect(opt('select a, count(*) * 100 / (select count(*) from w) from t group by a')).toBe(
      lines(
        'Project (#0, #3)',
        '  Map (((#1 * 100) / #2))',
        '    Join kind=left on=true',
        '      Reduce group=[#0] aggs=[count(*)]',
        '        Get public.t',
        '      Reduce group=[] aggs=[count(*)]',
        '        Get public.w',
      ),
    );
  });

  test('nested correlation reaches the outermost query', () => {
    const p = opt('select a from t where exists (select 1 from u where exists (select 1 from w where w.x = t.a and w.x = u.a))');
    expect(p).toContain('Get public.w');
    expect(bind('select a from t where exists (select 1 from u where exists (select 1 from w where w.x = t.a and w.x = u.a))').kind).toBe('Select');
  });

  test('errors', () => {
    expect(bindError('select (select a, b from t)')).toMatchObject({ code: '42601', message: 'subquery must return only one column' });
    expect(bindError('select a from t where a > any (select x from w)')).toMatchObject({ code: '0A000' });
    expect(bindError('select a, (select count(*) from w where w.x = t.a) from t group by a')).toMatchObject({ code: '0A000' });
  });
});

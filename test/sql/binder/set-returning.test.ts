// Set-returning functions in the select list and in FROM: one FlatMap over the query's rows,
// the calls' columns typed by their elements; where Postgres rejects them, 0A000.
import { beforeAll, describe, expect, test } from 'vitest';
import { bindError, columnsOf, plan, ready } from './bind-helper.js';

beforeAll(() => ready);

describe('set-returning functions in the select list', () => {
  test('one FlatMap holds every call; columns are named and typed like Postgres', () => {
    expect(columnsOf("select generate_series(1, 3), unnest(array['a']) as u, (_pg_expandarray(array[1::int2])).n")).toEqual([
      'generate_series integer',
      'u text',
      'n integer',
    ]);
    const p = plan('select a, generate_series(1, a) from t');
    expect(p.match(/FlatMap/g)).toHaveLength(1);
    expect(p).toContain('generate_series(1, #0)');
  });

  test('the same call twice is one set (zipped with itself it is the same rows)', () => {
    const p = plan('select (_pg_expandarray(array[5, 6])).x, (_pg_expandarray(array[5, 6])).n');
    expect(p).toMatch(/FlatMap \(_pg_expandarray\([^)]*\)\)\n/);
  });

  test('where Postgres does not take them, or weir not yet: 0A000', () => {
    expect(bindError('select a from t where generate_series(1, a) > 1')).toMatchObject({ code: '0A000', message: 'set-returning functions are not allowed in WHERE' });
    expect(bindError('select sum(generate_series(1, a)) from t')).toMatchObject({ code: '0A000', message: 'aggregate function calls cannot contain set-returning function calls' });
    expect(bindError('select a, unnest(array[a]) from t group by a')).toMatchObject({ code: '0A000' });
    expect(bindError('select unnest(generate_series(1, 2))')).toMatchObject({ code: '0A000' });
    expect(bindError('select unnest(1)')).toMatchObject({ code: '42883', message: 'function unnest(integer) does not exist' });
  });
});

describe('set-returning and scalar functions in FROM', () => {
  test('unnest, records and scalar functions give relations named by the alias', () => {
    expect(columnsOf('select * from unnest(array[1, 2]) as u(x)')).toEqual(['x integer']);
    expect(columnsOf("select * from information_schema._pg_expandarray(array['a'])")).toEqual(['x text', 'n integer']);
    expect(columnsOf('select * from pg_catalog.pg_get_keywords()')).toEqual(['word text', 'catcode text', 'catdesc text']);
    expect(columnsOf("select * from string_to_array('a,b', ',') s")).toEqual(['s text[]']);
    expect(columnsOf('select r from generate_series(1, array_upper(array[1, 2], 1)) as s(r)')).toEqual(['r integer']);
  });

  test('WITH ORDINALITY is 0A000', () => {
    expect(bindError('select * from unnest(array[1]) with ordinality')).toMatchObject({ code: '0A000' });
  });
});

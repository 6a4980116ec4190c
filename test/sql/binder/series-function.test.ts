// generate_series(start, stop [, step]) in FROM over constant integers: a constant relation.
import { beforeAll, describe, expect, test } from 'vitest';
import { bindError, columnsOf, plan, ready } from './bind-helper.js';

beforeAll(() => ready);

describe('generate_series in FROM', () => {
  test('constant arguments give a constant relation named by the alias', () => {
    expect(columnsOf('select v, v::varchar from generate_series(0, 10 - 1) as s(v)')).toEqual(['v integer', 'v character varying']);
    expect(plan('select * from generate_series(1, 5, 2)')).toContain('Constant');
    expect(columnsOf('select * from generate_series(1, 3::int8) g')).toEqual(['g bigint']);
    expect(columnsOf('select generate_series from generate_series(1, 3)')).toEqual(['generate_series integer']);
  });

  test('arguments from other FROM items are not supported; wrong types are 42883', () => {
    expect(bindError('select * from t, generate_series(1, t.a)')).toMatchObject({ code: '0A000', message: 'generate_series in FROM cannot refer to other FROM items yet (LATERAL)' });
    expect(bindError("select * from generate_series(1, 'x'::text)")).toMatchObject({ code: '42883' });
    expect(bindError('select * from generate_series(1, 3, 0)')).toMatchObject({ code: '22023' });
  });
});

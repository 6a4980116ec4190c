import { beforeAll, describe, expect, test } from 'vitest';
import { bindError, ready } from './bind-helper.js';

beforeAll(() => ready);

describe('binding errors carry SQLSTATE and 1-based position', () => {
  test('unknown relation and column', () => {
    expect(bindError('select * from nope')).toEqual({ code: '42P01', message: 'relation "nope" does not exist', position: 15 });
    expect(bindError('select zz from t')).toEqual({ code: '42703', message: 'column "zz" does not exist', position: 8 });
    expect(bindError('select t.zz from t')).toEqual({ code: '42703', message: 'column t.zz does not exist', position: 8 });
    expect(bindError('select q.a from t')).toEqual({ code: '42P01', message: 'missing FROM-clause entry for table "q"', position: 8 });
  });

  test('ambiguous column', () => {
    expect(bindError('select a from t, u')).toEqual({ code: '42702', message: 'column reference "a" is ambiguous', position: 8 });
  });

  test('operator and function resolution', () => {
    expect(bindError("select a + b from t")).toMatchObject({ code: '42883', message: 'operator does not exist: integer + text', position: 10 });
    expect(bindError('select nosuch(a) from t')).toMatchObject({ code: '42883', message: 'function nosuch(integer) does not exist', position: 8 });
  });

  test('WHERE must be boolean', () => {
    expect(bindError('select a from t where a')).toMatchObject({ code: '42804', message: 'argument of WHERE must be type boolean, not type integer', position: 23 });
  });

  test('bad typed literal', () => {
    expect(bindError("select date 'garbage'")).toMatchObject({ code: '22007' });
  });

  test('unsupported features are 0A000', () => {
    expect(bindError("select string_agg(b, ',') over (order by a) from t")).toMatchObject({ code: '0A000', message: 'window function string_agg is not supported yet' });
    expect(bindError('with recursive r as (select 1) select * from r')).toMatchObject({ code: '0A000' });
  });

  test('ORDER BY position out of range', () => {
    expect(bindError('select a from t order by 3')).toMatchObject({ code: '42P10', message: 'ORDER BY position 3 is not in select list' });
  });
});

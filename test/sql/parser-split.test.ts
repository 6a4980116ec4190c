// Statement splitting: semicolons inside strings, identifiers, dollar quotes and comments do
// not split; offsets point at each statement's first character.
import { describe, expect, test } from 'vitest';
import { splitStatements, splitStatementsAt } from '../../src/sql/parser/parse.js';

describe('splitStatements', () => {
  test.each([
    ['select 1; select 2', ['select 1', ' select 2']],
    ["select 'a;b'; select 2;", ["select 'a;b'", ' select 2']],
    ["select 'it''s;'; x", ["select 'it''s;'", ' x']],
    ["select E'\\';'; x", ["select E'\\';'", ' x']],
    ['select "a;b" from t; x', ['select "a;b" from t', ' x']],
    ['select $$a;b$$; select $tag$ ; $ $tag$', ['select $$a;b$$', ' select $tag$ ; $ $tag$']],
    ['select $1; select 2', ['select $1', ' select 2']],
    ['select 1 -- no; split\n; x', ['select 1 -- no; split\n', ' x']],
    ['select /* a /* nested; */ still; */ 1; x', ['select /* a /* nested; */ still; */ 1', ' x']],
    [';;  ; -- only a comment', []],
    ["select 'unterminated; x", ["select 'unterminated; x"]],
  ])('%s', (sql, expected) => {
    expect(splitStatements(sql)).toEqual(expected);
  });

  test('offsets', () => {
    expect(splitStatementsAt('a; bb ;c').map((s) => s.offset)).toEqual([0, 2, 7]);
  });
});

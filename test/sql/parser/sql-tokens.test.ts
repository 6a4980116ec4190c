// The lexer behind statement splitting and the text rewrites.
import { describe, expect, test } from 'vitest';
import { tokenize } from '../../../src/sql/parser/sql-tokens.js';

const kinds = (sql: string) => tokenize(sql).map((t) => `${t.kind}:${t.text}`);

describe('tokenize', () => {
  test('words, strings, identifiers, numbers, operators', () => {
    expect(kinds(`SELECT a.b, 'it''s', E'\\'x', "q""d", 1.5e3, $1, x::int, f(a => 1) -- c\n/* d /* e */ */`)).toEqual([
      'word:SELECT', 'word:a', 'punct:.', 'word:b', 'punct:,', "string:'it''s'", 'punct:,', "string:E'\\'x'", 'punct:,',
      'quoted:"q""d"', 'punct:,', 'number:1.5e3', 'punct:,', 'param:$1', 'punct:,', 'word:x', 'op:::', 'word:int', 'punct:,',
      'word:f', 'punct:(', 'word:a', 'op:=>', 'number:1', 'punct:)',
    ]);
  });

  test('dollar quotes and offsets', () => {
    const t = tokenize('select $tag$ a ) $ $tag$ , x');
    expect(t.map((x) => x.text)).toEqual(['select', '$tag$ a ) $ $tag$', ',', 'x']);
    expect(t[3]).toMatchObject({ start: 27, end: 28 });
  });

  test('an operator stops before a comment', () => {
    expect(kinds('a+-- c\nb')).toEqual(['word:a', 'op:+', 'word:b']);
  });
});

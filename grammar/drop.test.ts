// DROP SOURCE | SINK: weir's grammar; DROP TABLE and the rest stay Postgres syntax.
import { beforeAll, describe, expect, test } from 'vitest';
import { initParser, parseStatement } from '../src/sql/parser/parse.js';
import { printWeirStatement } from '../src/sql/ast/print-weir.js';

beforeAll(initParser);

const cases: [string, unknown][] = [
  ['DROP SOURCE nexmark', { kind: 'DropWeirObject', objectType: 'source', names: [['nexmark']], ifExists: false, cascade: false }],
  ['drop sink if exists a, public."B" cascade;', { kind: 'DropWeirObject', objectType: 'sink', names: [['a'], ['public', 'B']], ifExists: true, cascade: true }],
  ['DROP SOURCE s RESTRICT', { kind: 'DropWeirObject', objectType: 'source', names: [['s']], ifExists: false, cascade: false }],
  ['DROP SOURCE "if"', { kind: 'DropWeirObject', objectType: 'source', names: [['if']], ifExists: false, cascade: false }],
];

describe('DROP SOURCE | SINK', () => {
  test.each(cases)('%s', (sql, expected) => {
    const parsed = parseStatement(sql);
    expect(parsed.kind === 'weir' && parsed.ast).toEqual(expected);
    if (parsed.kind !== 'weir') return;
    const again = parseStatement(printWeirStatement(parsed.ast));
    expect(again.kind === 'weir' && again.ast).toEqual(parsed.ast);
  });

  test('other DROPs are Postgres syntax', () => {
    expect(parseStatement('DROP TABLE t').kind).toBe('pg');
    expect(parseStatement('DROP VIEW IF EXISTS sources').kind).toBe('pg');
  });

  test('a syntax error is weir’s', () => {
    expect(() => parseStatement('DROP SOURCE')).toThrow(/syntax error at end of input/);
    expect(() => parseStatement('DROP SINK a b')).toThrow(/syntax error at or near "b"/);
  });
});

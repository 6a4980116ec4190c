// Round-trip tests for the SHOW family: parse → print → parse gives the same AST, and
// statements outside the family fall through to the Postgres grammar.
import { beforeAll, describe, expect, test } from 'vitest';
import { initParser, parseStatement } from '../src/sql/parser/parse.js';
import { printWeirStatement } from '../src/sql/ast/print-weir.js';

beforeAll(initParser);

const cases: [string, unknown][] = [
  ['SHOW TABLES', { kind: 'ShowObjects', objectType: 'tables' }],
  ['show materialized   views', { kind: 'ShowObjects', objectType: 'materialized-views' }],
  ['SHOW VIEWS FROM public', { kind: 'ShowObjects', objectType: 'views', from: 'public' }],
  ['show sources;', { kind: 'ShowObjects', objectType: 'sources' }],
  ['SHOW COLUMNS FROM "My Table"', { kind: 'ShowColumns', relation: ['My Table'] }],
  ['show columns in public.orders', { kind: 'ShowColumns', relation: ['public', 'orders'] }],
  ['SHOW CREATE MATERIALIZED VIEW revenue', { kind: 'ShowCreate', objectType: 'materialized-view', name: ['revenue'] }],
];

describe('SHOW statements', () => {
  test.each(cases)('%s', (sql, expected) => {
    const parsed = parseStatement(sql);
    expect(parsed.kind).toBe('weir');
    if (parsed.kind !== 'weir') return;
    expect(parsed.ast).toEqual(expected);
    const again = parseStatement(printWeirStatement(parsed.ast));
    expect(again.kind === 'weir' && again.ast).toEqual(parsed.ast);
  });

  test('a setting name is Postgres SHOW', () => {
    const parsed = parseStatement('SHOW search_path');
    expect(parsed.kind).toBe('pg');
    expect(parsed.ast).toEqual({ VariableShowStmt: { name: 'search_path' } });
  });

  test('a syntax error carries Postgres words and 1-based position', () => {
    expect(() => parseStatement('SELECT 1 FROM')).toThrowError(/syntax error at end of input/);
    try {
      parseStatement('selec 1');
    } catch (e) {
      expect((e as { code: string; position: number }).code).toBe('42601');
      expect((e as { position: number }).position).toBe(1);
    }
  });
});

// EXPLAIN with a pipeline stage: weir's grammar; plain EXPLAIN stays Postgres syntax.
import { beforeAll, describe, expect, test } from 'vitest';
import { initParser, parseStatement } from '../src/sql/parser/parse.js';
import { printWeirStatement } from '../src/sql/ast/print-weir.js';

beforeAll(initParser);

const cases: [string, unknown][] = [
  ['EXPLAIN PHYSICAL SELECT * FROM t', { kind: 'Explain', stage: 'physical', query: 'SELECT * FROM t' }],
  ['explain logical select 1;', { kind: 'Explain', stage: 'logical', query: 'select 1' }],
  ['EXPLAIN MATERIALIZED VIEW revenue', { kind: 'ExplainView', stage: 'optimized', materialized: true, name: ['revenue'] }],
  ['EXPLAIN PHYSICAL VIEW public.v', { kind: 'ExplainView', stage: 'physical', materialized: false, name: ['public', 'v'] }],
];

describe('EXPLAIN statements', () => {
  test.each(cases)('%s', (sql, expected) => {
    const parsed = parseStatement(sql);
    expect(parsed.kind === 'weir' && parsed.ast).toEqual(expected);
    if (parsed.kind !== 'weir') return;
    const again = parseStatement(printWeirStatement(parsed.ast));
    expect(again.kind === 'weir' && again.ast).toEqual(parsed.ast);
  });

  test('plain EXPLAIN is Postgres syntax', () => {
    expect(parseStatement('EXPLAIN SELECT 1').kind).toBe('pg');
    expect(parseStatement('EXPLAIN (VERBOSE) SELECT 1').kind).toBe('pg');
  });
});

// CREATE SINK: FROM a relation or AS a query kept verbatim; RisingWave's Nexmark sinks;
// round trips through the printer.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { initParser, parseStatement, splitStatements } from '../src/sql/parser/parse.js';
import { printWeirStatement } from '../src/sql/ast/print-weir.js';
import type { WeirStatement } from '../src/sql/ast/weir-ast.js';

beforeAll(initParser);

const nexmark = join(import.meta.dirname, '../../shared/nexmark/risingwave');

function weir(sql: string): WeirStatement {
  const parsed = parseStatement(sql);
  if (parsed.kind !== 'weir') throw new Error(`not a weir statement: ${sql}`);
  const again = parseStatement(printWeirStatement(parsed.ast));
  expect(again.kind === 'weir' && again.ast).toEqual(parsed.ast);
  return parsed.ast;
}

const blackhole = [
  { key: 'connector', value: 'blackhole' },
  { key: 'type', value: 'append-only' },
];

describe('CREATE SINK', () => {
  test('FROM a relation', () => {
    expect(weir("CREATE SINK IF NOT EXISTS out FROM public.revenue WITH (connector = 'kafka', topic = 'r') FORMAT UPSERT ENCODE JSON")).toEqual({
      kind: 'CreateSink',
      name: ['out'],
      ifNotExists: true,
      from: ['public', 'revenue'],
      with: [
        { key: 'connector', value: 'kafka' },
        { key: 'topic', value: 'r' },
      ],
      format: { format: 'upsert', encode: 'json', options: [] },
    });
  });

  test('AS a query, up to the last WITH', () => {
    expect(weir("create sink s as select a, 'WITH (x = 1)' as w from t -- note\n with (connector='blackhole', type='append-only');")).toEqual({
      kind: 'CreateSink',
      name: ['s'],
      ifNotExists: false,
      query: "select a, 'WITH (x = 1)' as w from t",
      with: blackhole,
    });
  });

  test('a query that starts with WITH or holds WITH inside; a trailing comment is not part of it', () => {
    const query = `WITH r AS (SELECT a FROM t WHERE b = 'with (') SELECT * FROM r
      WHERE a IN (WITH q AS (SELECT 1) SELECT * FROM q)`;
    expect(weir(`CREATE SINK s AS ${query} /* WITH (c = 1) */\nWITH (connector = 'blackhole', type = 'append-only') FORMAT PLAIN ENCODE JSON`)).toEqual({
      kind: 'CreateSink',
      name: ['s'],
      ifNotExists: false,
      query,
      with: blackhole,
      format: { format: 'plain', encode: 'json', options: [] },
    });
  });

  test('INTO a table, WITH optional', () => {
    expect(weir('CREATE SINK s INTO public.t AS SELECT a, b FROM x;')).toEqual({
      kind: 'CreateSink',
      name: ['s'],
      ifNotExists: false,
      into: ['public', 't'],
      query: 'SELECT a, b FROM x',
      with: [],
    });
    expect(weir("create sink s into t as select 1 with (type = 'append-only')")).toMatchObject({ into: ['t'], query: 'select 1', with: [{ key: 'type', value: 'append-only' }] });
  });

  test("RisingWave's Nexmark sinks", () => {
    const files = readdirSync(nexmark).filter((f) => /^q.*\.sql$/.test(f));
    expect(files.length).toBeGreaterThan(50);
    for (const f of files) {
      const text = readFileSync(join(nexmark, f), 'utf8');
      const sinks = splitStatements(text).filter((s) => /CREATE SINK/i.test(s));
      expect(sinks, f).toHaveLength(1);
      const ast = weir(sinks[0]!);
      expect(ast.kind, f).toBe('CreateSink');
      if (ast.kind !== 'CreateSink') continue;
      expect(ast.with[0], f).toEqual({ key: 'connector', value: 'blackhole' });
      expect(text, f).toContain(ast.query);
      expect(ast.query, f).toMatch(/^(SELECT|WITH)\b/i);
      expect(ast.query, f).not.toMatch(/\s$/);
    }
  });

  test('syntax errors', () => {
    expect(() => parseStatement('CREATE SINK s FROM v')).toThrow(/syntax error at end of input/);
    expect(() => parseStatement('CREATE SINK s AS SELECT 1')).toThrow(/syntax error at end of input/);
    expect(() => parseStatement("CREATE SINK s FROM v WITH (connector = 'x') FORMAT PLAIN")).toThrow(/syntax error at end of input/);
  });
});

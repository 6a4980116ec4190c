// SUBSCRIBE, COPY (SUBSCRIBE …) TO STDOUT, DECLARE … CURSOR FOR SUBSCRIBE and FETCH … WITH
// (timeout): weir's grammar; each round-trips through the printer. Plain FETCH, CLOSE and
// DECLARE … FOR SELECT stay Postgres syntax.
import { beforeAll, describe, expect, test } from 'vitest';
import { initParser, parseStatement } from '../src/sql/parser/parse.js';
import { printWeirStatement } from '../src/sql/ast/print-weir.js';
import type { WeirStatement } from '../src/sql/ast/weir-ast.js';

beforeAll(initParser);

function weir(sql: string): WeirStatement {
  const parsed = parseStatement(sql);
  if (parsed.kind !== 'weir') throw new Error(`not a weir statement: ${sql}`);
  const again = parseStatement(printWeirStatement(parsed.ast));
  expect(again.kind === 'weir' && again.ast).toEqual(parsed.ast);
  return parsed.ast;
}

describe('SUBSCRIBE', () => {
  test('a relation, with or without TO', () => {
    const expected = { kind: 'Subscribe', target: { kind: 'relation', name: ['public', 'revenue'] }, options: [] };
    expect(weir('SUBSCRIBE public.revenue')).toEqual(expected);
    expect(weir('subscribe to public.revenue;')).toEqual(expected);
    expect(weir('SUBSCRIBE "to"')).toEqual({ kind: 'Subscribe', target: { kind: 'relation', name: ['to'] }, options: [] });
  });

  test('a query kept verbatim, nested parentheses and strings included', () => {
    const query = "SELECT a, (b + 1) AS c FROM t WHERE s = ')' AND a IN (SELECT x FROM u)";
    expect(weir(`SUBSCRIBE (${query})`)).toEqual({ kind: 'Subscribe', target: { kind: 'query', query }, options: [] });
    expect(weir(`SUBSCRIBE TO ( ${query} ) WITH (SNAPSHOT = false)`)).toEqual({
      kind: 'Subscribe',
      target: { kind: 'query', query },
      options: [{ key: 'snapshot', value: 'false' }],
    });
  });

  test('options: name = value, name value, or a bare name meaning true', () => {
    expect(weir("SUBSCRIBE v WITH (PROGRESS, SNAPSHOT false, progress = 'true')")).toEqual({
      kind: 'Subscribe',
      target: { kind: 'relation', name: ['v'] },
      options: [
        { key: 'progress', value: 'true' },
        { key: 'snapshot', value: 'false' },
        { key: 'progress', value: 'true' },
      ],
    });
  });

  test('wrapped in COPY … TO STDOUT', () => {
    expect(weir('COPY (SUBSCRIBE v WITH (PROGRESS)) TO STDOUT')).toEqual({
      kind: 'Subscribe',
      target: { kind: 'relation', name: ['v'] },
      options: [{ key: 'progress', value: 'true' }],
      copyOptions: [],
    });
    expect(weir('copy ( subscribe (select * from v) ) to stdout with (format csv)')).toEqual({
      kind: 'Subscribe',
      target: { kind: 'query', query: 'select * from v' },
      options: [],
      copyOptions: [{ key: 'format', value: 'csv' }],
    });
  });

  test('syntax errors are weir’s, with the position', () => {
    expect(() => parseStatement('SUBSCRIBE')).toThrow(/syntax error at end of input/);
    expect(() => parseStatement('SUBSCRIBE v WITH (')).toThrow(/syntax error at end of input/);
    expect(() => parseStatement('SUBSCRIBE v UP TO 5')).toThrow(/syntax error at or near "UP"/);
  });
});

describe('DECLARE … CURSOR FOR SUBSCRIBE and FETCH … WITH', () => {
  test('DECLARE', () => {
    expect(weir('DECLARE c CURSOR FOR SUBSCRIBE v WITH (SNAPSHOT = false)')).toEqual({
      kind: 'DeclareSubscribe',
      cursor: 'c',
      subscribe: { kind: 'Subscribe', target: { kind: 'relation', name: ['v'] }, options: [{ key: 'snapshot', value: 'false' }] },
    });
    expect(weir('declare "C" no scroll cursor without hold for subscribe (select 1)')).toEqual({
      kind: 'DeclareSubscribe',
      cursor: 'C',
      subscribe: { kind: 'Subscribe', target: { kind: 'query', query: 'select 1' }, options: [] },
    });
  });

  test.each([
    ["FETCH ALL c WITH (timeout = '1s')", 'all'],
    ["fetch 10 from c with (timeout='0s')", 10],
    ["FETCH FORWARD 3 IN c WITH (TIMEOUT '100ms')", 3],
    ["FETCH FORWARD ALL c WITH (timeout = '1s')", 'all'],
    ["FETCH c WITH (timeout = '1s')", 1],
    ["FETCH NEXT c WITH (timeout = '1s')", 1],
  ])('%s', (sql, count) => {
    const ast = weir(sql);
    expect(ast).toMatchObject({ kind: 'Fetch', cursor: 'c', count });
  });

  test('FETCH without options, CLOSE and DECLARE … FOR SELECT are Postgres syntax', () => {
    expect(parseStatement('FETCH ALL c').kind).toBe('pg');
    expect(parseStatement('FETCH 5 FROM c').kind).toBe('pg');
    expect(parseStatement('CLOSE c').kind).toBe('pg');
    expect(parseStatement('DECLARE c CURSOR FOR SELECT 1').kind).toBe('pg');
    expect(parseStatement('COPY (SELECT 1) TO STDOUT').kind).toBe('pg');
  });
});

import { describe, expect, test } from 'vitest';
import { parseDuration, parseRecords } from '../../src/slt/parse-records.js';
import { SltParseError } from '../../src/slt/slt-record.js';

const parse = (text: string) => parseRecords(text, 'f.test');

describe('parseRecords', () => {
  test('statement ok / error / count, with file:line and span', () => {
    const rs = parse('# a comment\nstatement ok\nCREATE TABLE t(a INT)\n\nstatement error division by zero\nSELECT 1/0\n\nstatement count 2\nINSERT INTO t VALUES (1), (2)\n');
    expect(rs.map((r) => [r.kind, r.loc.line, r.span])).toEqual([
      ['Statement', 2, { start: 1, end: 3 }],
      ['Statement', 5, { start: 4, end: 6 }],
      ['Statement', 8, { start: 7, end: 9 }],
    ]);
    expect(rs[0]).toMatchObject({ sql: 'CREATE TABLE t(a INT)', expect: { kind: 'ok' } });
    expect(rs[1]).toMatchObject({ expect: { kind: 'error', pattern: 'division by zero' } });
    expect(rs[2]).toMatchObject({ expect: { kind: 'count', count: 2 } });
  });

  test('query with types, sort mode, label and multi-line SQL', () => {
    const [q] = parse('query IT rowsort label-1\nSELECT a,\n  b FROM t\n----\n1\nx\n');
    expect(q).toMatchObject({ kind: 'Query', types: 'IT', sort: 'rowsort', label: 'label-1', sql: 'SELECT a,\n  b FROM t', separatorLine: 3 });
    expect(q).toMatchObject({ expect: { kind: 'lines', lines: ['1', 'x'] } });
  });

  test('hashed results', () => {
    const [q] = parse('query I nosort\nSELECT 1\n----\n30 values hashing to 3c13dee48d9356ae19af2515e05e6b54\n');
    expect(q).toMatchObject({ expect: { kind: 'hash', count: 30, md5: '3c13dee48d9356ae19af2515e05e6b54' } });
  });

  test('retry N backoff, query error, a query without results', () => {
    const [a, b, c] = parse('query TI rowsort retry 21 backoff 1s\nSELECT 1\n----\n1 2\n\nquery error no such\nSELECT x\n\nquery I\nSELECT 1 WHERE false\n');
    expect(a).toMatchObject({ sort: 'rowsort', retry: { count: 21, backoffMs: 1000 } });
    expect(b).toMatchObject({ kind: 'Query', expect: { kind: 'error', pattern: 'no such' } });
    expect(c).toMatchObject({ separatorLine: -1, expect: { kind: 'lines', lines: [] } });
  });

  test('conditions attach to the next record only', () => {
    const [a, b] = parse('skipif mysql\nonlyif postgresql\nstatement ok\nSELECT 1\n\nstatement ok\nSELECT 2\n');
    expect(a!.conditions).toEqual([
      { kind: 'skipif', engine: 'mysql' },
      { kind: 'onlyif', engine: 'postgresql' },
    ]);
    expect(b!.conditions).toEqual([]);
  });

  test('the other directives', () => {
    const rs = parse('hash-threshold 8\n\ncontrol substitution on\n\ninclude ./a/*.slt.part\n\nsleep 500ms\n\nlet a, b\nSELECT 1, 2\n\nsystem ok\necho hi\n\nconnection other\nstatement ok\nSELECT 1\n\nhalt\n');
    expect(rs.map((r) => r.kind)).toEqual(['HashThreshold', 'Control', 'Include', 'Sleep', 'Let', 'System', 'Unsupported', 'Halt']);
    expect(rs[2]).toMatchObject({ path: './a/*.slt.part' });
    expect(rs[4]).toMatchObject({ names: ['a', 'b'], sql: 'SELECT 1, 2' });
  });

  test('errors name the file and line', () => {
    expect(() => parse('statement ok\nSELECT 1\n\nfrobnicate\n')).toThrow(new SltParseError({ file: 'f.test', line: 4 }, 'unknown directive "frobnicate"'));
    expect(() => parse('query\nSELECT 1\n')).toThrow(/f\.test:1: query needs its column types/);
    expect(() => parse('query I retry x\nSELECT 1\n')).toThrow(/f\.test:1: expected "retry N backoff/);
  });

  test('durations', () => {
    expect([parseDuration('1s'), parseDuration('250ms'), parseDuration('2m'), parseDuration('3'), parseDuration('x')]).toEqual([1000, 250, 120_000, 3000, undefined]);
  });
});

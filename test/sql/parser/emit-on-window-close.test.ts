// A trailing EMIT ON WINDOW CLOSE is cut off before libpg-query parses the statement, and the
// parsed statement carries the flag; the words inside strings or comments do not count.
import { beforeAll, describe, expect, test } from 'vitest';
import { initParser, parseStatement } from '../../../src/sql/parser/parse.js';
import { stripEmitOnWindowClose } from '../../../src/sql/parser/emit-on-window-close.js';

beforeAll(initParser);

describe('EMIT ON WINDOW CLOSE', () => {
  test('stripped at the end of the statement', () => {
    expect(stripEmitOnWindowClose('SELECT 1 FROM t EMIT ON WINDOW CLOSE')).toBe('SELECT 1 FROM t ');
    expect(stripEmitOnWindowClose('select 1 emit\non  window close; -- done\n')).toBe('select 1 ; -- done\n');
    expect(stripEmitOnWindowClose("SELECT 'EMIT ON WINDOW CLOSE'")).toBeUndefined();
    expect(stripEmitOnWindowClose('SELECT 1 -- EMIT ON WINDOW CLOSE')).toBeUndefined();
    expect(stripEmitOnWindowClose('SELECT 1 EMIT ON WINDOW CLOSE WITH (a = 1)')).toBeUndefined();
    expect(stripEmitOnWindowClose('EMIT ON WINDOW CLOSE')).toBeUndefined();
  });

  test('a materialized view with the flag, its text as written', () => {
    const sql = `CREATE MATERIALIZED VIEW v AS
      SELECT window_start, count(*) FROM TUMBLE(bid, date_time, INTERVAL '10' SECOND)
      GROUP BY window_start
      EMIT ON WINDOW CLOSE;`;
    const parsed = parseStatement(sql);
    expect(parsed).toMatchObject({ kind: 'pg', sql, emitOnWindowClose: true });
    expect(parsed.kind === 'pg' && 'CreateTableAsStmt' in parsed.ast).toBe(true);
  });

  test('a plain SELECT is flagged too; without the clause there is no flag', () => {
    expect(parseStatement('SELECT 1 EMIT ON WINDOW CLOSE')).toMatchObject({ kind: 'pg', emitOnWindowClose: true });
    expect('emitOnWindowClose' in parseStatement('SELECT 1')).toBe(false);
  });
});

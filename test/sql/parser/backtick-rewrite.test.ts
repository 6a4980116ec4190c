// Flink's backtick identifiers become double-quoted lower-case names before parsing, with the
// same offsets; strings, quoted identifiers and comments keep their backticks.
import { beforeAll, describe, expect, test } from 'vitest';
import { rewriteBackticks } from '../../../src/sql/parser/backtick-rewrite.js';
import { initParser, parseStatement } from '../../../src/sql/parser/parse.js';

beforeAll(initParser);

describe('backtick identifiers', () => {
  test.each([
    ['SELECT `dateTime` FROM bid', 'SELECT "datetime" FROM bid'],
    ['SELECT B.`dateTime`, `value` AS `day` FROM bid B', 'SELECT B."datetime", "value" AS "day" FROM bid B'],
    ["WATERMARK FOR `dateTime` AS `dateTime`-INTERVAL '4' SECOND", `WATERMARK FOR "datetime" AS "datetime"-INTERVAL '4' SECOND`],
    ["SELECT 'a `b` c', \"`x`\" -- `y`\nFROM t", "SELECT 'a `b` c', \"`x`\" -- `y`\nFROM t"],
  ])('%s', (sql, expected) => {
    const r = rewriteBackticks(sql);
    expect(r.text).toBe(expected);
    expect(r.text.length).toBe(sql.length);
  });

  test('a backticked name is the plain name: `dateTime` and dateTime are one column', () => {
    const a = parseStatement('SELECT `dateTime` FROM bid');
    const b = parseStatement('SELECT dateTime FROM bid');
    const noLocations = (x: unknown) => JSON.stringify(x, (k, v) => (k === 'location' ? undefined : v));
    expect(noLocations(a.kind === 'pg' && a.ast)).toBe(noLocations(b.kind === 'pg' && b.ast));
  });

  test('error positions still point into the text as written', () => {
    expect(() => parseStatement('SELECT `a` FROM `t` WHERE')).toThrow(expect.objectContaining({ code: '42601', position: 26 }));
  });
});

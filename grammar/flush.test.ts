// FLUSH: weir's grammar (a RisingWave statement); round-trips through the printer.
import { beforeAll, describe, expect, test } from 'vitest';
import { initParser, parseStatement } from '../src/sql/parser/parse.js';
import { printWeirStatement } from '../src/sql/ast/print-weir.js';

beforeAll(initParser);

describe('FLUSH', () => {
  test.each(['FLUSH', 'flush;', '  Flush  '])('%s', (sql) => {
    const parsed = parseStatement(sql);
    expect(parsed.kind === 'weir' && parsed.ast).toEqual({ kind: 'Flush' });
    if (parsed.kind !== 'weir') return;
    const again = parseStatement(printWeirStatement(parsed.ast));
    expect(again.kind === 'weir' && again.ast).toEqual(parsed.ast);
  });

  test('an identifier that starts with flush is not FLUSH', () => {
    expect(() => parseStatement('flushes')).toThrow(/syntax error/);
  });
});

// The WITH ( … ) and FORMAT … ENCODE … clauses shared by sources, tables and sinks: key and
// value spellings, and their round trip through the printer.
import { beforeAll, describe, expect, test } from 'vitest';
import { initParser, parseStatement } from '../src/sql/parser/parse.js';
import { printWeirStatement } from '../src/sql/ast/print-weir.js';

beforeAll(initParser);

function options(withList: string): unknown {
  const parsed = parseStatement(`CREATE SINK s FROM v WITH ${withList}`);
  if (parsed.kind !== 'weir' || parsed.ast.kind !== 'CreateSink') throw new Error('not a sink');
  const again = parseStatement(printWeirStatement(parsed.ast));
  expect(again.kind === 'weir' && again.ast).toEqual(parsed.ast);
  return parsed.ast.with;
}

describe('WITH options', () => {
  test('Flink: quoted keys', () => {
    expect(options("('connector' = 'nexmark', 'first-event.rate' = '${TPS}', 'Scan.Mode' = 'it''s')")).toEqual([
      { key: 'connector', value: 'nexmark' },
      { key: 'first-event.rate', value: '${TPS}' },
      { key: 'scan.mode', value: "it's" },
    ]);
  });

  test('RisingWave: dotted words, numbers, words and booleans', () => {
    expect(options('(Nexmark . Table.Type = Bid, nexmark.event.num = -1.5e3, "Quoted" = "Keep", flag = TRUE)')).toEqual([
      { key: 'nexmark.table.type', value: 'bid' },
      { key: 'nexmark.event.num', value: '-1.5e3' },
      { key: 'quoted', value: 'Keep' },
      { key: 'flag', value: 'true' },
    ]);
  });

  test('an empty list', () => {
    expect(options('()')).toEqual([]);
  });
});

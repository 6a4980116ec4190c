// CREATE SOURCE and streaming CREATE TABLE: examples, round trips (parse → print → parse gives
// the same AST), RisingWave's Nexmark sources, and the CREATE TABLEs that stay Postgres syntax.
import { readFileSync } from 'node:fs';
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

const named = (text: string) => ({ kind: 'named', text });
const column = (name: string, type: unknown, extra: object = {}) => ({ name, type, notNull: false, primaryKey: false, ...extra });

describe('CREATE SOURCE', () => {
  test('columns, watermark, options and format', () => {
    expect(
      weir(`CREATE SOURCE IF NOT EXISTS bids (
              auction BIGINT NOT NULL, price numeric(10, 2), "Channel" character varying(20),
              ts timestamp with time zone, tags int[], d double  precision,
              WATERMARK FOR ts AS ts - INTERVAL '5' SECOND -- five seconds late
            ) WITH (connector = 'kafka', topic = 'bids', properties.bootstrap.server = 'localhost:9092',
                    scan.startup.mode = earliest, 'Max.Rows' = 1000, enabled = TRUE)
            FORMAT PLAIN ENCODE JSON;`),
    ).toEqual({
      kind: 'CreateSource',
      objectType: 'source',
      name: ['bids'],
      ifNotExists: true,
      columns: [
        column('auction', named('bigint'), { notNull: true }),
        column('price', named('numeric(10,2)')),
        column('Channel', named('character varying(20)')),
        column('ts', named('timestamp with time zone')),
        column('tags', named('int[]')),
        column('d', named('double precision')),
      ],
      watermark: { column: 'ts', expr: "ts - INTERVAL '5' SECOND" },
      appendOnly: false,
      include: [],
      with: [
        { key: 'connector', value: 'kafka' },
        { key: 'topic', value: 'bids' },
        { key: 'properties.bootstrap.server', value: 'localhost:9092' },
        { key: 'scan.startup.mode', value: 'earliest' },
        { key: 'max.rows', value: '1000' },
        { key: 'enabled', value: 'true' },
      ],
      format: { format: 'plain', encode: 'json', options: [] },
    });
  });

  test('no column list; INCLUDE; FORMAT options', () => {
    expect(
      weir(`create source s include key as k include partition include header AS h
            with (connector='kafka') format upsert encode avro (schema.registry = 'http://r:8081', message = 'it''s')`),
    ).toEqual({
      kind: 'CreateSource',
      objectType: 'source',
      name: ['s'],
      ifNotExists: false,
      columns: [],
      appendOnly: false,
      include: [{ what: 'key', alias: 'k' }, { what: 'partition' }, { what: 'header', alias: 'h' }],
      with: [{ key: 'connector', value: 'kafka' }],
      format: {
        format: 'upsert',
        encode: 'avro',
        options: [
          { key: 'schema.registry', value: 'http://r:8081' },
          { key: 'message', value: "it's" },
        ],
      },
    });
  });
  test("INCLUDE header 'name' [type] AS col; an inline Avro schema", () => {
    const ast = weir(`CREATE SOURCE s (a int) INCLUDE header 'trace-id' varchar AS trace INCLUDE HEADER 'raw' AS raw INCLUDE header 'x'
      WITH (connector = 'kafka') FORMAT PLAIN ENCODE AVRO (schema.definition = '{"type": "record", "name": "r", "fields": [{"name": "a", "type": "int"}]}')`);
    expect(ast.kind === 'CreateSource' && ast.include).toEqual([
      { what: 'header', header: 'trace-id', type: 'varchar', alias: 'trace' },
      { what: 'header', header: 'raw', alias: 'raw' },
      { what: 'header', header: 'x' },
    ]);
    expect(ast.kind === 'CreateSource' && ast.format?.options).toEqual([
      { key: 'schema.definition', value: '{"type": "record", "name": "r", "fields": [{"name": "a", "type": "int"}]}' },
    ]);
  });


  test('STRUCT and ROW types, arrays of structs', () => {
    const ast = weir(`CREATE SOURCE s (
        p STRUCT<"id" BIGINT,
        \t"Name" VARCHAR, inner STRUCT<a INT, b TEXT[]>>,
        r ROW<x BIGINT, y TIMESTAMP(3)>, q ROW(x INT), l STRUCT<v INT>[]
      ) WITH (connector = 'datagen')`);
    expect(ast.kind === 'CreateSource' && ast.columns.map((c) => c.type)).toEqual([
      {
        kind: 'struct',
        array: false,
        fields: [
          { name: 'id', type: named('bigint') },
          { name: 'Name', type: named('varchar') },
          { name: 'inner', type: { kind: 'struct', array: false, fields: [{ name: 'a', type: named('int') }, { name: 'b', type: named('text[]') }] } },
        ],
      },
      { kind: 'struct', array: false, fields: [{ name: 'x', type: named('bigint') }, { name: 'y', type: named('timestamp(3)') }] },
      { kind: 'struct', array: false, fields: [{ name: 'x', type: named('int') }] },
      { kind: 'struct', array: true, fields: [{ name: 'v', type: named('int') }] },
    ]);
  });

  test('column constraints, table primary key, generated columns, expressions as text', () => {
    const ast = weir(`CREATE SOURCE s (
        id int PRIMARY KEY, a text DEFAULT 'x,y' NOT NULL, b int default (1 + f(2, 3)) null,
        c timestamp AS CASE WHEN a = ')' THEN now() ELSE (x).ts END,
        PRIMARY KEY (id, a),
        watermark for c as c - interval '1 minute'
      ) WITH (connector = 'nexmark')`);
    expect(ast).toMatchObject({
      columns: [
        column('id', named('int'), { primaryKey: true }),
        column('a', named('text'), { default: "'x,y'", notNull: true }),
        column('b', named('int'), { default: '(1 + f(2, 3))' }),
        column('c', named('timestamp'), { generated: "CASE WHEN a = ')' THEN now() ELSE (x).ts END" }),
      ],
      primaryKey: ['id', 'a'],
      watermark: { column: 'c', expr: "c - interval '1 minute'" },
    });
  });

  test("Flink's computed column `name AS expr` (no type) and its ddl_gen.sql", () => {
    const ast = weir(`CREATE TABLE d (t ROW<"dateTime" TIMESTAMP(3)>, "datetime" AS CASE WHEN 1 = 1 THEN (t)."dateTime" END,
        WATERMARK FOR "datetime" AS "datetime" - INTERVAL '4' SECOND) WITH ('connector' = 'nexmark')`);
    expect(ast).toMatchObject({
      objectType: 'table',
      columns: [{ name: 't' }, { name: 'datetime', generated: 'CASE WHEN 1 = 1 THEN (t)."dateTime" END', notNull: false, primaryKey: false }],
    });
    expect(ast.kind === 'CreateSource' && ast.columns[1]!.type).toBeUndefined();
    const flink = readFileSync(join(import.meta.dirname, '../../shared/nexmark/flink/ddl_gen.sql'), 'utf8').replace(/^--.*$/gm, '');
    expect(weir(splitStatements(flink)[0]!)).toMatchObject({ name: ['datagen'], watermark: { column: 'datetime' } });
  });

  test("Flink's PARTITIONED BY (a filesystem sink table) and q10's CREATE TABLE", () => {
    expect(weir("CREATE TABLE t (a int, dt text, hm text) PARTITIONED BY (dt, hm) WITH ('connector' = 'filesystem', 'path' = '/x/')")).toMatchObject({
      objectType: 'table',
      partitionedBy: ['dt', 'hm'],
      with: [{ key: 'connector', value: 'filesystem' }, { key: 'path', value: '/x/' }],
    });
    const q10 = readFileSync(join(import.meta.dirname, '../../shared/nexmark/flink/q10.sql'), 'utf8').replace(/^--.*$/gm, '');
    expect(weir(splitStatements(q10)[0]!)).toMatchObject({ name: ['nexmark_q10'], partitionedBy: ['dt', 'hm'] });
  });

  test("RisingWave's Nexmark sources", () => {
    const kafka = weir(splitStatements(readFileSync(join(nexmark, 'ddl.sql'), 'utf8'))[0]!);
    expect(kafka).toMatchObject({ kind: 'CreateSource', name: ['nexmark'], format: { format: 'plain', encode: 'json' } });
    expect(kafka.kind === 'CreateSource' && kafka.columns.map((c) => c.name)).toEqual(['event_type', 'person', 'auction', 'bid']);
    const slt = readFileSync(join(nexmark, 'ddl_datagen_source.slt.part'), 'utf8');
    const create = /CREATE SOURCE[\s\S]*?\);/.exec(slt)![0];
    const datagen = weir(create);
    expect(datagen).toMatchObject({
      watermark: { column: 'date_time', expr: "date_time - INTERVAL '4' SECOND" },
      with: [
        { key: 'connector', value: 'nexmark' },
        { key: 'nexmark.split.num', value: '2' },
        { key: 'nexmark.min.event.gap.in.ns', value: '100' },
      ],
    });
    expect(datagen.kind === 'CreateSource' && datagen.columns[4]).toMatchObject({
      name: 'date_time',
      generated: 'CASE WHEN event_type = 0 THEN (person).date_time WHEN event_type = 1 THEN (auction).date_time ELSE (bid).date_time END',
    });
  });

  test('a syntax error names the token and its position', () => {
    expect(() => parseStatement('CREATE SOURCE s (a int,) WITH (connector = 1)')).toThrow(/syntax error at or near "\)"/);
    try {
      parseStatement('CREATE SOURCE s (a int) WITH (connector 1)');
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: '42601', message: 'syntax error at or near "1"', position: 41 });
    }
    expect(() => parseStatement('CREATE SOURCE s (a int)')).toThrow(/syntax error at end of input/);
    expect(() => parseStatement('CREATE SOURCE s (a int, watermark for a as a, watermark for a as a) WITH (x = 1)')).toThrow(
      /only one watermark is allowed/,
    );
  });
});

describe('CREATE TABLE', () => {
  test('with a watermark, APPEND ONLY or a connector it is weir’s', () => {
    expect(weir('CREATE TABLE t (ts timestamp, WATERMARK FOR ts AS ts) APPEND ONLY')).toMatchObject({
      kind: 'CreateSource',
      objectType: 'table',
      watermark: { column: 'ts', expr: 'ts' },
      appendOnly: true,
      with: [],
    });
    expect(weir("create table t (a int) append only")).toMatchObject({ objectType: 'table', appendOnly: true });
    expect(weir(`CREATE TABLE nexmark_q0 (auction BIGINT, "dateTime" TIMESTAMP(3)) WITH ('connector' = 'blackhole')`)).toMatchObject({
      objectType: 'table',
      columns: [column('auction', named('bigint')), column('dateTime', named('timestamp(3)'))],
      with: [{ key: 'connector', value: 'blackhole' }],
    });
    expect(weir("CREATE TABLE t (a int) WITH (connector = 'kafka') FORMAT PLAIN ENCODE JSON")).toMatchObject({ format: { format: 'plain' } });
  });

  test('every other CREATE TABLE is Postgres syntax', () => {
    for (const sql of [
      'CREATE TABLE t (a int PRIMARY KEY, b text)',
      'CREATE TABLE t (a int) WITH (fillfactor = 70)',
      'CREATE TABLE format (connector int)',
      'CREATE TABLE t (a int REFERENCES u, "watermark" int)',
      'CREATE TABLE t AS SELECT 1 AS connector',
    ]) {
      expect(parseStatement(sql).kind, sql).toBe('pg');
    }
    expect(() => parseStatement('CREATE TABLE t (a int,) APPEND ONLY')).toThrow(/syntax error at or near/);
  });
});

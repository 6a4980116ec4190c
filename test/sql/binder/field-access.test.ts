// Struct (record) columns: resolveTypeExpr on weir's DDL types, `(s).field` and `(s).*` over
// RisingWave's Nexmark source, evaluation (NULL record → NULL field), and records as text and JSON.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { bind, bindError, columnsOf, plan, ready } from './bind-helper.js';
import { FakeCatalog } from '../../harness/fake-catalog.js';
import { initParser, parseStatement, splitStatements } from '../../../src/sql/parser/parse.js';
import { resolveTypeExpr } from '../../../src/sql/binder/index.js';
import { compileScalar } from '../../../src/render/compile-scalar.js';
import { recordField } from '../../../src/plan/functions/internal.js';
import { getFunction } from '../../../src/plan/functions/registry.js';
import type { ScalarExpr } from '../../../src/plan/scalar-expr.js';
import type { TypeExpr } from '../../../src/sql/ast/weir-ast.js';
import { Jsonb, Record, type Datum } from '../../../src/types/datum.js';
import { typeName, type SqlType } from '../../../src/types/sql-type.js';
import { formatDatum } from '../../../src/types/text-format.js';

beforeAll(async () => {
  await ready;
  await initParser();
});

/** A catalog holding RisingWave's Nexmark source (ddl.sql), its column types resolved from the DDL. */
function nexmarkCatalog(): FakeCatalog {
  const ddl = readFileSync(join(import.meta.dirname, '../../../../shared/nexmark/risingwave/ddl.sql'), 'utf8');
  const parsed = parseStatement(splitStatements(ddl)[0]!);
  if (parsed.kind !== 'weir' || parsed.ast.kind !== 'CreateSource') throw new Error('expected CREATE SOURCE');
  const columns = parsed.ast.columns.map((c) => ({ name: c.name, type: resolveTypeExpr(c.type!), nullable: true }));
  const extra = { name: 'tags', type: { kind: 'array', element: { kind: 'record', fields: [{ name: 'k', type: { kind: 'text' } }] } } as SqlType, nullable: true };
  return new FakeCatalog().add({ id: 'u1', schemaName: 'public', name: 'nexmark', kind: 'source', columns: [...columns, extra] });
}

/** The select list's first expression, bound over nexmark. */
function firstExpr(sql: string): ScalarExpr {
  const b = bind(sql, nexmarkCatalog());
  if (b.kind !== 'Select') throw new Error('not a select');
  let p = b.plan;
  const outputs = p.kind === 'Project' ? p.outputs : undefined;
  if (p.kind === 'Project') p = p.input;
  if (p.kind !== 'Map') throw new Error(`expected a Map, got ${p.kind}`);
  return p.exprs[(outputs?.[0] ?? 0) - p.input.schema.length]!;
}

const evalOn = (e: ScalarExpr, row: Datum[]): Datum => compileScalar(e, { ctx: { now: 0, timeZone: 'UTC' } })(row);

describe('resolveTypeExpr', () => {
  const named = (text: string): TypeExpr => ({ kind: 'named', text });
  test('named types resolve like cast targets', () => {
    expect(
      ['bigint', 'double precision', 'numeric(10,2)', 'timestamp with time zone', 'character varying(20)', 'int[]', 'varchar', 'timestamp(3)', 'string'].map((t) =>
        typeName(resolveTypeExpr(named(t))),
      ),
    ).toEqual([
      'bigint',
      'double precision',
      'numeric(10,2)',
      'timestamp with time zone',
      'character varying(20)',
      'integer[]',
      'character varying',
      'timestamp without time zone',
      'text',
    ]);
  });

  test('structs are records, optionally arrays', () => {
    expect(resolveTypeExpr({ kind: 'struct', array: true, fields: [{ name: 'a', type: named('int') }, { name: 'B', type: { kind: 'struct', array: false, fields: [{ name: 'c', type: named('text') }] } }] })).toEqual({
      kind: 'array',
      element: { kind: 'record', fields: [{ name: 'a', type: { kind: 'int4' } }, { name: 'B', type: { kind: 'record', fields: [{ name: 'c', type: { kind: 'text' } }] } }] },
    });
  });

  test('errors', () => {
    expect(() => resolveTypeExpr(named('nosuchtype'))).toThrow(expect.objectContaining({ code: '42704' }));
    expect(() => resolveTypeExpr(named('int; drop table t'))).toThrow(expect.objectContaining({ code: '42601' }));
    expect(() => resolveTypeExpr(named('int where true'))).toThrow(expect.objectContaining({ code: '42601' }));
    expect(() => resolveTypeExpr({ kind: 'struct', array: false, fields: [{ name: 'a', type: named('int') }, { name: 'A', type: named('int') }] })).toThrow(
      expect.objectContaining({ code: '42701' }),
    );
  });
});

describe('field access', () => {
  test('(s).field: the field type, named after the field', () => {
    expect(columnsOf('select (bid).auction, (bid)."Price", (person).date_time, (auction).id + 1 from nexmark', nexmarkCatalog())).toEqual([
      'auction bigint',
      'Price bigint', // matched case-insensitively, named as written (Postgres's FigureColname)
      'date_time timestamp without time zone',
      '?column? bigint',
    ]);
    expect(plan('select (bid).auction from nexmark where (bid).price > 10', nexmarkCatalog())).toContain('record_field(#3, 0)');
  });

  test("Flink's s.field without parentheses, when no table s is in scope", () => {
    expect(columnsOf('select bid.auction, n.bid.price, person.date_time from nexmark n', nexmarkCatalog())).toEqual([
      'auction bigint',
      'price bigint',
      'date_time timestamp without time zone',
    ]);
    expect(plan('select bid.auction from nexmark', nexmarkCatalog())).toContain('record_field(#3, 0)');
    // A table of that name wins (Postgres's reading); a non-record column stays 42P01.
    expect(bindError('select event_type.x from nexmark', nexmarkCatalog())).toMatchObject({ code: '42P01' });
    expect(bindError('select bid.nosuch from nexmark', nexmarkCatalog())).toMatchObject({ code: '42703' });
  });

  test('(s).* expands to one column per field', () => {
    expect(columnsOf('select (bid).* from nexmark where event_type = 2', nexmarkCatalog())).toEqual([
      'auction bigint',
      'bidder bigint',
      'price bigint',
      'channel character varying',
      'url character varying',
      'date_time timestamp without time zone',
      'extra character varying',
    ]);
  });

  test('chains with subscripts; function results', () => {
    expect(columnsOf('select (tags[1]).k, ((tags)[2]).k as k2, (coalesce(bid, bid)).url from nexmark', nexmarkCatalog())).toEqual([
      'k text',
      'k2 text',
      'url character varying',
    ]);
  });

  test('evaluation: the field, NULL for a NULL record', () => {
    const e = firstExpr('select (bid).channel from nexmark');
    const bid = new Record([1n, 2n, 3n, 'web', null, 0, null]);
    expect(evalOn(e, [2n, null, null, bid, null])).toBe('web');
    expect(evalOn(e, [2n, null, null, null, null])).toBeNull();
  });

  test('errors', () => {
    expect(bindError('select (bid).nope from nexmark', nexmarkCatalog())).toMatchObject({ code: '42703', message: 'could not identify column "nope" in record data type' });
    expect(bindError('select (event_type).x from nexmark', nexmarkCatalog())).toMatchObject({ code: '42809' });
    expect(bindError('select 1 from nexmark where (bid).* is null', nexmarkCatalog())).toMatchObject({ code: '0A000' });
    expect(bindError('select event_type[1] from nexmark', nexmarkCatalog())).toMatchObject({ code: '42804' });
  });
});

describe('record types in function ids', () => {
  test('a specialized id over a record is rebuilt from the id alone, odd field names included', () => {
    const t: SqlType = { kind: 'record', fields: [{ name: 'a,b:(c)%', type: { kind: 'numeric', precision: 10, scale: 2 } }, { name: 'n', type: { kind: 'array', element: { kind: 'record', fields: [{ name: 'x;y', type: { kind: 'text' } }] } } }] };
    const id = recordField(t).id;
    expect(getFunction(id).id).toBe(id);
    expect(getFunction(id).returns).toEqual(t);
  });
});

describe('records out', () => {
  test('text format as Postgres prints a composite', () => {
    const t: SqlType = { kind: 'record', fields: [{ name: 'a', type: { kind: 'int4' } }, { name: 'b', type: { kind: 'text' } }, { name: 'c', type: { kind: 'text' } }, { name: 'd', type: { kind: 'text' } }] };
    expect(formatDatum(new Record([1, 'abc', 'a b', null]), t)).toBe('(1,abc,"a b",)');
  });

  test('to_jsonb of a struct column', () => {
    const e = firstExpr('select to_jsonb(bid) from nexmark');
    const bid = new Record([1n, 2n, 3n, 'web', null, 0, 'x']);
    const j = evalOn(e, [2n, null, null, bid, null]) as Jsonb;
    expect(j.value).toEqual({ auction: 1, bidder: 2, price: 3, channel: 'web', url: null, date_time: '1970-01-01T00:00:00', extra: 'x' });
  });
});

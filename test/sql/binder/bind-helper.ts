/** Test helpers: SQL text → bound statement / printed plan, over a fake catalog. */
import { loadModule, parseSync } from 'libpg-query';
import type { Node } from '@pgsql/types';
import { printPlan } from '../../../src/plan/print-plan.js';
import { bindStatement } from '../../../src/sql/binder/index.js';
import type { BoundStatement } from '../../../src/sql/binder/bound-statement.js';
import { SqlError } from '../../../src/types/sql-error.js';
import type { SqlType } from '../../../src/types/sql-type.js';
import { typeName } from '../../../src/types/sql-type.js';
import { FakeCatalog } from '../../harness/fake-catalog.js';

export const ready = loadModule();

export function testCatalog(): FakeCatalog {
  return new FakeCatalog()
    .table('t', 'a int4 not null, b text, c int8')
    .table('u', 'a int4, d numeric, e float8')
    .table('w', 'x int4, y text, z bool')
    .table('ev', 'id int4 not null, ts timestamptz, amount numeric, tags jsonb', { primaryKey: [0] })
    .table('items', 'id int4 not null, name text, price numeric', { defaults: [undefined, "'unnamed'", '0'] })
    .view('tv', 'a int4, b text', 'select a, b from t where a > 1');
}

export function bind(sql: string, catalog = testCatalog(), paramTypes: (SqlType | undefined)[] = []): BoundStatement {
  const stmt = (parseSync(sql) as { stmts: { stmt: Node }[] }).stmts[0]!.stmt;
  return bindStatement(stmt, catalog, { paramTypes, sql });
}

export function plan(sql: string, catalog = testCatalog()): string {
  return printPlan(bind(sql, catalog).plan);
}

/** "name type" per result column of a SELECT. */
export function columnsOf(sql: string, catalog = testCatalog()): string[] {
  const b = bind(sql, catalog);
  if (b.kind !== 'Select') throw new Error('not a select');
  return b.schema.map((c) => `${c.name} ${typeName(c.type)}`);
}

export function bindError(sql: string, catalog = testCatalog()): { code: string; message: string; position?: number } {
  try {
    bind(sql, catalog);
  } catch (e) {
    if (e instanceof SqlError) return { code: e.code, message: e.message, ...(e.position !== undefined ? { position: e.position } : {}) };
    throw e;
  }
  throw new Error(`expected an error for: ${sql}`);
}

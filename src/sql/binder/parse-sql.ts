/**
 * Parsing the SQL text the catalog holds (view definitions, column defaults) with the same
 * parser as statements: libpg-query. Its module must have been loaded (`loadModule()`, done
 * once by the parser at startup).
 */
import type { Node, SelectStmt } from '@pgsql/types';
import { parseSync } from 'libpg-query';

export function parseQuery(sql: string): SelectStmt {
  const res = parseSync(sql) as { stmts: { stmt: Node }[] };
  const stmt = res.stmts[0]?.stmt;
  if (!stmt || !('SelectStmt' in stmt)) throw new Error(`binder: expected a query, got: ${sql}`);
  return stmt.SelectStmt;
}

/** Parses one expression (a column default) by parsing `SELECT <expr>`. */
export function parseExpression(sql: string): Node {
  const q = parseQuery(`SELECT ${sql}`);
  const t = q.targetList?.[0];
  if (!t || !('ResTarget' in t) || !t.ResTarget.val) throw new Error(`binder: bad expression: ${sql}`);
  return t.ResTarget.val;
}

/**
 * CREATE FUNCTION … LANGUAGE SQL → a `FunctionItem` (used when the statement runs and when the
 * catalog is replayed). Only what weir can inline (binder/sql-function.ts): named IN
 * parameters, a scalar return type, a body of one expression (`AS $$SELECT …$$`, `AS 'SELECT
 * …'` or `RETURN …`). Other languages, OUT parameters, defaults, SETOF, procedures and OR
 * REPLACE are 0A000. When the statement runs (`check`), a call with NULL arguments is bound
 * once, so a body that does not bind fails at CREATE, as in Postgres.
 */
import type { CreateFunctionStmt, DefElem, FunctionParameter, Node } from '@pgsql/types';
import { deparseSync } from 'pgsql-deparser';
import { lookupFunctions } from '../plan/functions/registry.js';
import { bindQuery, resolveTypeName } from '../sql/binder/index.js';
import { functionBodyExpr } from '../sql/binder/sql-function.js';
import { parseQuery } from '../sql/binder/parse-sql.js';
import type { CatalogFunction, CatalogReader } from '../sql/catalog-reader.js';
import { SqlError, SqlState } from '../types/sql-error.js';
import { typeName } from '../types/sql-type.js';
import type { FunctionItem } from './catalog-item.js';
import { DEFAULT_SCHEMA } from './catalog.js';

const unsupported = (what: string) => new SqlError(SqlState.featureNotSupported, `${what} is not supported`, { hint: 'weir has SQL functions whose body is one expression.' });

export function planCreateFunction(stmt: CreateFunctionStmt, id: string, sql: string, catalog: CatalogReader, check: boolean): FunctionItem {
  const names = (stmt.funcname ?? []).map((n) => ('String' in n ? (n.String.sval ?? '') : ''));
  const name = names[names.length - 1]!;
  const schemaName = names.length > 1 ? names[names.length - 2]! : DEFAULT_SCHEMA;
  if (stmt.is_procedure) throw unsupported('CREATE PROCEDURE');
  if (stmt.replace) throw unsupported('CREATE OR REPLACE FUNCTION');
  if (lookupFunctions(name).length > 0) {
    throw new SqlError(SqlState.duplicateFunction, `function "${name}" already exists as a built-in function`);
  }
  const params = (stmt.parameters ?? []).map((n) => {
    const p = (n as { FunctionParameter: FunctionParameter }).FunctionParameter;
    if (p.mode !== undefined && p.mode !== 'FUNC_PARAM_IN' && p.mode !== 'FUNC_PARAM_DEFAULT') throw unsupported('a parameter other than IN');
    if (p.defexpr) throw unsupported('a parameter default');
    if (!p.argType) throw new SqlError(SqlState.syntaxError, 'a function parameter needs a type');
    return p.name ? { name: p.name, type: resolveTypeName(p.argType, catalog) } : { type: resolveTypeName(p.argType, catalog) };
  });
  if (!stmt.returnType) throw unsupported('a function without RETURNS');
  if (stmt.returnType.setof) throw unsupported('RETURNS SETOF');
  const returns = resolveTypeName(stmt.returnType, catalog);
  let language: string | undefined;
  let body: string | undefined;
  for (const o of stmt.options ?? []) {
    const d = (o as { DefElem: DefElem }).DefElem;
    if (d.defname === 'language') language = stringOf(d.arg)?.toLowerCase();
    else if (d.defname === 'as') body = listStrings(d.arg)[0];
  }
  if (stmt.sql_body) {
    const ret = stmt.sql_body as { ReturnStmt?: { returnval?: Node } };
    if (!ret.ReturnStmt?.returnval) throw unsupported('a BEGIN ATOMIC function body');
    body = `RETURN ${deparseSync(ret.ReturnStmt.returnval)}`;
    language ??= 'sql';
  }
  if (language !== 'sql') throw unsupported(`LANGUAGE ${language ?? '(none)'}`);
  if (body === undefined) throw new SqlError(SqlState.invalidFunctionDefinition, 'no function body specified');
  functionBodyExpr(body);
  const item: FunctionItem = { id, kind: 'function', schemaName, name, params, returns, body, sql };
  if (check) checkBody(item, catalog);
  return item;
}

/** Binds `SELECT f(NULL::t1, …)` with the function visible: the body's names, types and return cast. */
function checkBody(fn: CatalogFunction, catalog: CatalogReader): void {
  const args = fn.params.map((p) => `CAST(NULL AS ${typeName(p.type)})`).join(', ');
  const text = `SELECT "${fn.name.replace(/"/g, '""')}"(${args})`;
  const reader: CatalogReader = {
    getRelation: (s, n) => catalog.getRelation(s, n),
    getType: catalog.getType?.bind(catalog),
    getFunction: (s, n) => (n === fn.name && (s === undefined || s === fn.schemaName) ? fn : catalog.getFunction?.(s, n)),
  };
  bindQuery(parseQuery(text), reader, { paramTypes: [], sql: text });
}

/**
 * The SQL functions a statement calls, and those their bodies call, by id: what it depends
 * on (DROP FUNCTION restricts; replay needs them).
 */
export function referencedFunctionIds(node: unknown, catalog: CatalogReader, into = new Set<string>()): Set<string> {
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) visit(x);
      return;
    }
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (k === 'FuncCall') {
        const parts = ((x as { funcname?: Node[] }).funcname ?? []).map((n) => ('String' in n ? (n.String.sval ?? '') : ''));
        const fn = catalog.getFunction?.(parts.length > 1 ? parts[0] : undefined, parts[parts.length - 1] ?? '');
        if (fn && !into.has(fn.id)) {
          into.add(fn.id);
          visit(functionBodyExpr(fn.body));
        }
      }
      visit(x);
    }
  };
  visit(node);
  return into;
}

function stringOf(n: Node | undefined): string | undefined {
  return n && 'String' in n ? n.String.sval : undefined;
}

function listStrings(n: Node | undefined): string[] {
  if (!n) return [];
  if ('List' in n) return (n.List.items ?? []).flatMap((i) => (stringOf(i) !== undefined ? [stringOf(i)!] : []));
  const s = stringOf(n);
  return s !== undefined ? [s] : [];
}

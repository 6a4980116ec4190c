/**
 * The state shared by one statement's binding: the catalog, the statement text (for error
 * positions), the `$n` parameter types as they are inferred, and the CTEs in scope.
 */
import type { SelectStmt } from '@pgsql/types';
import type { LogicalPlan, SortKey } from '../../plan/logical-plan.js';
import type { Scope } from './scope.js';
import { SqlError } from '../../types/sql-error.js';
import type { SqlType } from '../../types/sql-type.js';
import type { CatalogReader } from '../catalog-reader.js';

export interface BindOptions {
  /** Types the client declared for `$1…`; undefined entries are inferred from context. */
  paramTypes: (SqlType | undefined)[];
  /** The statement text (errors carry positions into it). */
  sql: string;
}

/** A bound WITH query, inlined wherever it is referenced. */
export interface CteBinding {
  name: string;
  plan: LogicalPlan;
  columns: { name: string; type: SqlType }[];
}

export interface BindContext {
  catalog: CatalogReader;
  sql: string;
  /** Index 0 = $1. Grows as parameters are seen; filled with text for the unresolved at the end. */
  params: (SqlType | undefined)[];
  /** Highest `$n` seen. */
  maxParam: number;
  /** Views being inlined (cycle and depth guard). */
  viewStack: string[];
  /** Binds a query expression (set by the entry point, so that FROM and subqueries can recurse without import cycles). */
  bindQuery: (stmt: SelectStmt, env: QueryEnv) => BoundQuery;
}

/** The columns of the enclosing query that a correlated subquery is evaluated for (see subquery.ts). */
export interface Domain {
  plan: LogicalPlan;
  /** Names of the domain's columns, as 'same-plan' scope levels. */
  scope: Scope;
}

export interface QueryEnv {
  /** The enclosing query's scope (an 'outer' link), for correlated references. */
  parent?: Scope;
  /** With `parent`: collects the parent-plan columns the query references (the probe pass). */
  correlated?: Set<number>;
  /** When set, the query is bound once per distinct row of the domain: its plan starts with the domain's columns. */
  domain?: Domain;
  ctes: CteBinding[];
}

/** A bound query expression before its ORDER BY / LIMIT are placed (finishing or TopK). */
export interface BoundQuery {
  /** Columns: the domain's (domainWidth), then the visible ones, then hidden sort columns. */
  plan: LogicalPlan;
  domainWidth: number;
  columns: { name: string; type: SqlType }[];
  /** ORDER BY over the plan's columns. */
  order: SortKey[];
  limit: number | null;
  offset: number;
  /** LIMIT $n / OFFSET $n (top level only): 1-based parameter indexes. */
  limitParam?: number;
  offsetParam?: number;
}

export function newContext(catalog: CatalogReader, opts: BindOptions, bindQuery: BindContext['bindQuery']): BindContext {
  return { catalog, sql: opts.sql, params: [...opts.paramTypes], maxParam: 0, viewStack: [], bindQuery };
}

/** The final parameter types: declared or inferred, text where nothing decided. */
export function finalParamTypes(ctx: BindContext): SqlType[] {
  const n = Math.max(ctx.maxParam, ctx.params.length);
  const out: SqlType[] = [];
  for (let i = 0; i < n; i++) out.push(ctx.params[i] ?? { kind: 'text' });
  return out;
}

/** A SqlError at a libpg-query location (0-based, -1 = unknown); positions are 1-based. */
export function sqlError(code: string, message: string, location?: number, opts: { detail?: string; hint?: string } = {}): SqlError {
  const position = location !== undefined && location >= 0 ? location + 1 : undefined;
  return new SqlError(code, message, { ...opts, position });
}

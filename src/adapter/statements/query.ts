/**
 * SELECT (and VALUES, set operations): bind, substitute parameters, optimize, run one-shot
 * over a snapshot of the last committed tick (in slices a CancelRequest can interrupt, see
 * one-shot.ts), then finish: sort, offset, limit, project.
 * Sort keys are appended as extra columns by a Map so that any expression can be a key.
 */
import type { Node } from '@pgsql/types';
import type { LogicalPlan, Finishing } from '../../plan/logical-plan.js';
import { optimize } from '../../plan/optimize.js';
import { collectGetIds, substituteParams } from '../../plan/plan-visit.js';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { bindStatement } from '../../sql/binder/index.js';
import type { Datum, Row } from '../../types/datum.js';
import { SqlError } from '../../types/sql-error.js';
import { compareDatums } from '../../types/compare.js';
import type { SqlType } from '../../types/sql-type.js';
import { columnsOf, expandRows, rowsResult, type Planned, type SessionContext } from './planned.js';
import { readInputs, sessionInfo, SOURCE_STATS_ID } from './read-inputs.js';
import { compileLinear } from '../../render/compile-linear.js';
import { isSystemId } from '../../catalog/system/index.js';
import { runOneShotCancellable } from './one-shot.js';

export function planSelect(ctx: SessionContext, ast: Node, sql: string, paramTypes: (SqlType | undefined)[]): Planned {
  const bound = bindStatement(ast, ctx.coord.catalog, { paramTypes, sql });
  if (bound.kind !== 'Select') throw new Error('internal error: expected a SELECT');
  const columns = columnsOf(bound.schema);
  const query = prepareQuery(bound.plan, bound.finishing);
  const readsTablesOnly = collectGetIds(bound.plan).every((id) => ctx.coord.catalog.get(id)?.kind === 'table');
  return {
    paramTypes: bound.paramTypes,
    columns,
    readsTablesOnly,
    async execute(params: Row) {
      return rowsResult(columns, await query(ctx, params));
    },
  };
}

/**
 * Plans a query once (sort keys appended as columns, optimized, and compiled to a plain
 * function when it is linear) and returns how to run it with parameter values: read the
 * inputs from a snapshot, evaluate, then sort, offset, limit and project.
 */
export function prepareQuery(plan: LogicalPlan, f: Finishing): (ctx: SessionContext, params: Row) => Promise<Row[]> {
  const width = plan.schema.length;
  const sortExprs: ScalarExpr[] = f.order.map((k) => k.expr);
  const full: LogicalPlan =
    sortExprs.length === 0
      ? plan
      : {
          kind: 'Map',
          input: plan,
          exprs: sortExprs,
          schema: [...plan.schema, ...sortExprs.map((e, i) => ({ name: `?sort${i}`, type: e.type, nullable: true }))],
        };
  const optimized = optimize(full);
  const linear = compileLinear(optimized);
  const keys = f.order.map((k, i) => ({ col: width + i, desc: k.desc, nullsFirst: k.nullsFirst }));
  // One collection is read with one LevelDB get or iterator, each consistent by itself:
  // an explicit snapshot is needed only to read several at the same tick (weir_source_stats
  // reads one progress record per source).
  const ids = collectGetIds(optimized);
  const needsSnapshot = ids.filter((id) => !isSystemId(id)).length > 1 || ids.includes(SOURCE_STATS_ID);
  return async (ctx, params) => {
    const snap = needsSnapshot ? ctx.coord.snapshot() : undefined;
    const erroring = ctx.coord.viewsWithErrors();
    let changes;
    try {
      const inputs = await readInputs(ctx, optimized, snap ?? ctx.coord.store, erroring, params);
      changes = linear
        ? linear(inputs, params, ctx.coord.evalContext(sessionInfo(ctx)))
        : await runOneShotCancellable(ctx, substituteParams(optimized, params), inputs, sessionInfo(ctx));
    } finally {
      await snap?.release();
    }
    let rows = expandRows(changes);
    if (keys.length > 0) rows.sort((a, b) => compareRows(a, b, keys));
    const limit = f.limitParam !== undefined ? paramCount(params[f.limitParam - 1], 'LIMIT') : f.limit;
    const offset = f.offsetParam !== undefined ? (paramCount(params[f.offsetParam - 1], 'OFFSET') ?? 0) : f.offset;
    if (offset > 0 || limit !== null) rows = rows.slice(offset, limit === null ? undefined : offset + limit);
    const identity = f.project.length === width && f.project.every((c, i) => c === i) && keys.length === 0;
    return identity ? rows : rows.map((r) => f.project.map((c) => r[c]!));
  };
}

/** A LIMIT / OFFSET parameter's value: NULL means none; negative is an error, as in Postgres. */
function paramCount(v: Datum | undefined, what: 'LIMIT' | 'OFFSET'): number | null {
  if (v === null || v === undefined) return null;
  const n = Number(v);
  if (n < 0) throw new SqlError(what === 'LIMIT' ? '2201W' : '2201X', `${what} must not be negative`);
  return n;
}

function compareRows(a: Row, b: Row, keys: { col: number; desc: boolean; nullsFirst: boolean }[]): number {
  for (const k of keys) {
    const av = a[k.col]!;
    const bv = b[k.col]!;
    if (av === null || bv === null) {
      if (av === bv) continue;
      return (av === null) === k.nullsFirst ? -1 : 1;
    }
    const c = compareDatums(av, bv);
    if (c !== 0) return k.desc ? -c : c;
  }
  return 0;
}

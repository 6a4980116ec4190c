/**
 * SELECT (and VALUES, set operations): bind, substitute parameters, optimize, run one-shot
 * over a snapshot of the last committed tick, then finish: sort, offset, limit, project.
 * Sort keys are appended as extra columns by a Map so that any expression can be a key.
 */
import type { Node } from '@pgsql/types';
import type { LogicalPlan, Finishing } from '../../plan/logical-plan.js';
import { optimize } from '../../plan/optimize.js';
import { substituteParams } from '../../plan/plan-visit.js';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { bindStatement } from '../../sql/binder/index.js';
import type { Row } from '../../types/datum.js';
import { compareDatums } from '../../types/compare.js';
import type { SqlType } from '../../types/sql-type.js';
import { columnsOf, expandRows, rowsResult, type Planned, type SessionContext } from './planned.js';
import { runQuery } from './read-inputs.js';

export function planSelect(ctx: SessionContext, ast: Node, sql: string, paramTypes: (SqlType | undefined)[]): Planned {
  const bound = bindStatement(ast, ctx.coord.catalog, { paramTypes, sql });
  if (bound.kind !== 'Select') throw new Error('internal error: expected a SELECT');
  const columns = columnsOf(bound.schema);
  return {
    paramTypes: bound.paramTypes,
    columns,
    async execute(params: Row) {
      const rows = await executeQuery(ctx, bound.plan, bound.finishing, params);
      return rowsResult(columns, rows);
    },
  };
}

export async function executeQuery(ctx: SessionContext, plan: LogicalPlan, f: Finishing, params: Row): Promise<Row[]> {
  const width = plan.schema.length;
  const sortExprs: ScalarExpr[] = f.order.map((k) => k.expr);
  let full = substituteParams(plan, params);
  if (sortExprs.length > 0) {
    const keyExprs = substituteSortParams(sortExprs, params);
    full = {
      kind: 'Map',
      input: full,
      exprs: keyExprs,
      schema: [...full.schema, ...keyExprs.map((e, i) => ({ name: `?sort${i}`, type: e.type, nullable: true }))],
    };
  }
  const changes = await runQuery(ctx, optimize(full));
  let rows = expandRows(changes);
  if (sortExprs.length > 0) {
    const keys = f.order.map((k, i) => ({ col: width + i, desc: k.desc, nullsFirst: k.nullsFirst }));
    rows.sort((a, b) => {
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
    });
  }
  if (f.offset > 0 || f.limit !== null) rows = rows.slice(f.offset, f.limit === null ? undefined : f.offset + f.limit);
  return rows.map((r) => f.project.map((c) => r[c]!));
}

function substituteSortParams(exprs: ScalarExpr[], params: Row): ScalarExpr[] {
  // Reuse the plan substitution on a throwaway Map node.
  const carrier: LogicalPlan = { kind: 'Map', input: { kind: 'Constant', rows: [], schema: [] }, exprs, schema: [] };
  const out = substituteParams(carrier, params);
  return out.kind === 'Map' ? out.exprs : exprs;
}

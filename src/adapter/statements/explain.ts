/**
 * EXPLAIN: the plan of a query after each stage (DESIGN §1). `EXPLAIN <query>` shows the
 * optimized logical plan; `EXPLAIN VERBOSE` shows the logical, optimized and dataflow plans.
 * A query that names a materialized view reads its maintained contents (a Get), so its plan
 * is short: `EXPLAIN SHOW CREATE`-style detail of the view itself comes from the view's own
 * definition, shown by `EXPLAIN <the view's SELECT>`.
 */
import type { ExplainStmt, Node } from '@pgsql/types';
import { lowerPlan } from '../../plan/lower/lower-plan.js';
import { printDataflowPlan } from '../../plan/physical/print-dataflow-plan.js';
import { optimize } from '../../plan/optimize.js';
import { printPlan } from '../../plan/print-plan.js';
import { bindStatement } from '../../sql/binder/index.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import { T } from '../../types/sql-type.js';
import { rowsResult, type Planned, type SessionContext } from './planned.js';

export type ExplainStage = 'logical' | 'optimized' | 'physical' | 'all';

export function planExplain(ctx: SessionContext, stmt: ExplainStmt, sql: string): Planned {
  const verbose = (stmt.options ?? []).some((o) => (o as { DefElem?: { defname?: string } }).DefElem?.defname === 'verbose');
  const analyze = (stmt.options ?? []).some((o) => (o as { DefElem?: { defname?: string } }).DefElem?.defname === 'analyze');
  if (analyze) throw new SqlError(SqlState.featureNotSupported, 'EXPLAIN ANALYZE is not supported');
  return explainQuery(ctx, stmt.query!, sql, verbose ? 'all' : 'optimized');
}

export function explainQuery(ctx: SessionContext, query: Node, sql: string, stage: ExplainStage): Planned {
  const bound = bindStatement(query, ctx.coord.catalog, { paramTypes: [], sql });
  if (bound.kind !== 'Select') {
    throw new SqlError(SqlState.featureNotSupported, 'EXPLAIN of INSERT, UPDATE and DELETE is not supported');
  }
  const sections: [string, string][] = [];
  const optimized = optimize(bound.plan);
  if (stage === 'logical' || stage === 'all') sections.push(['Logical plan', printPlan(bound.plan).trimEnd()]);
  if (stage === 'optimized' || stage === 'all') sections.push(['Optimized plan', printPlan(optimized).trimEnd()]);
  if (stage === 'physical' || stage === 'all') sections.push(['Dataflow plan', printDataflowPlan(lowerPlan(optimized)).trimEnd()]);
  const text = sections.length === 1 ? sections[0]![1] : sections.map(([h, t]) => `${h}:\n${indent(t)}`).join('\n\n');
  const columns = [{ name: 'QUERY PLAN', type: T.text }];
  return {
    paramTypes: bound.paramTypes,
    columns,
    execute: async () => rowsResult(columns, text.trimEnd().split('\n').map((l) => [l]), 'EXPLAIN'),
  };
}

function indent(s: string): string {
  return s
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

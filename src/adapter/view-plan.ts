/**
 * The logical plan a view maintains: its SELECT re-bound from the stored text, with the
 * query's ORDER BY … LIMIT turned into a TopK (a view has no order, only a LIMIT matters),
 * then optimized.
 */
import { parseStatement } from '../sql/parser/parse.js';
import { bindQuery } from '../sql/binder/index.js';
import type { CatalogReader } from '../sql/catalog-reader.js';
import type { Finishing, LogicalPlan } from '../plan/logical-plan.js';
import { optimize } from '../plan/optimize.js';
import type { RelationItem } from '../catalog/catalog-item.js';
import { selectOf } from '../catalog/plan-create.js';

export function planViewDataflow(item: Pick<RelationItem, 'name' | 'viewSql' | 'emitOnWindowClose'>, catalog: CatalogReader): LogicalPlan {
  const parsed = parseStatement(item.viewSql ?? '');
  if (parsed.kind !== 'pg') throw new Error(`internal error: view ${item.name} has no SELECT`);
  const bound = bindQuery(selectOf(parsed.ast), catalog, { paramTypes: [], sql: item.viewSql ?? '' });
  return optimize(applyFinishing(bound.plan, bound.finishing));
}

/** Finishing as plan nodes: LIMIT/OFFSET → TopK over the whole collection; then Project. */
export function applyFinishing(plan: LogicalPlan, f: Finishing): LogicalPlan {
  let out = plan;
  if (f.limit !== null || f.offset > 0) {
    out = { kind: 'TopK', input: out, groupKey: [], order: f.order, limit: f.limit, offset: f.offset, rankColumn: false, schema: out.schema };
  }
  const identity = f.project.length === out.schema.length && f.project.every((c, i) => c === i);
  if (!identity) {
    out = { kind: 'Project', input: out, outputs: f.project, schema: f.project.map((c) => out.schema[c]!) };
  }
  return out;
}

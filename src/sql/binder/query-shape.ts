/**
 * Placing a bound query's ORDER BY / LIMIT: at the top level they become the Finishing (the
 * adapter sorts the result); inside a subquery or a view, LIMIT/OFFSET become a TopK grouped
 * by the decorrelation domain (ORDER BY without LIMIT has no meaning there and is dropped).
 */
import type { Finishing, LogicalPlan } from '../../plan/logical-plan.js';
import * as P from '../../plan/plan-builders.js';
import { sqlError, type BoundQuery } from './bind-context.js';
import { SqlState } from '../../types/sql-error.js';

/** The query as a relation: domain columns then visible columns, named. */
export function finishAsSubquery(q: BoundQuery): LogicalPlan {
  if (q.limitParam !== undefined || q.offsetParam !== undefined) {
    throw sqlError(SqlState.featureNotSupported, 'LIMIT and OFFSET take a parameter only in the outermost query', undefined, {
      hint: 'Inside a subquery or a view, write the number.',
    });
  }
  let plan = q.plan;
  if (q.limit !== null || q.offset > 0) plan = P.topK(plan, P.range(q.domainWidth), q.order, q.limit, q.offset);
  const width = q.domainWidth + q.columns.length;
  const names = [...plan.schema.slice(0, q.domainWidth).map((c) => c.name), ...q.columns.map((c) => c.name)];
  const identity = plan.schema.length === width && plan.schema.every((c, i) => c.name === names[i]);
  return identity ? plan : P.project(plan, P.range(width), names);
}

export function finishing(q: BoundQuery): Finishing {
  return { order: q.order, limit: q.limit, offset: q.offset, limitParam: q.limitParam, offsetParam: q.offsetParam, project: P.range(q.columns.length) };
}

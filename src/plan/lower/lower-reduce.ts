/**
 * Chooses the reduce kind of each aggregate (STYLE: the plan decides):
 *   min, max (DISTINCT or not)                 → hierarchical (ordered multiset per group);
 *   string_agg, array_agg, jsonb_agg,
 *   approx_percentile, first/last_value        → basic (multiset of argument tuples);
 *   count, sum, avg DISTINCT                   → basic (the distinct values, then accumulate);
 *   count(*), count, sum, avg, bool_and/or     → accumulable (running sums);
 *   bool_and/or DISTINCT                       → accumulable (DISTINCT does not change them).
 * Rejects aggregates the runtime cannot maintain (e.g. avg(interval)) with 0A000.
 */
import { SqlError, SqlState } from '../../types/sql-error.js';
import type { AggregateExpr, LogicalPlan } from '../logical-plan.js';
import type { DataflowNode, PhysAggregate, ReduceKind } from '../physical/dataflow-plan.js';

type Reduce = Extract<LogicalPlan, { kind: 'Reduce' }>;

const SUM_TYPES = new Set(['int2', 'int4', 'int8', 'numeric', 'float4', 'float8', 'interval']);
const AVG_TYPES = new Set(['int2', 'int4', 'int8', 'numeric', 'float4', 'float8']);

export function lowerReduce(p: Reduce, input: DataflowNode): DataflowNode {
  return { kind: 'Reduce', input, groupKey: p.groupKey, aggregates: p.aggregates.map(lowerAggregate), schema: p.schema };
}

export function reduceKindOf(a: AggregateExpr): ReduceKind {
  switch (a.fn) {
    case 'min':
    case 'max':
      return 'hierarchical';
    case 'string_agg':
    case 'array_agg':
    case 'jsonb_agg':
    case 'approx_percentile':
    case 'first_value':
    case 'last_value':
      return 'basic';
    case 'bool_and':
    case 'bool_or':
    case 'count_star':
      return 'accumulable';
    case 'count':
    case 'sum':
    case 'avg':
      return a.distinct ? 'basic' : 'accumulable';
  }
}

function lowerAggregate(a: AggregateExpr): PhysAggregate {
  const argKind = a.args[0]?.type.kind ?? '';
  if ((a.fn === 'sum' && !SUM_TYPES.has(argKind)) || (a.fn === 'avg' && !AVG_TYPES.has(argKind))) {
    throw new SqlError(SqlState.featureNotSupported, `${a.fn}(${argKind}) is not supported in a dataflow`);
  }
  const reduceKind = reduceKindOf(a);
  return {
    fn: a.fn,
    reduceKind,
    args: a.args,
    distinct: a.distinct,
    filter: a.filter ?? null,
    orderBy: reduceKind === 'basic' ? (a.orderBy ?? []) : [],
    type: a.type,
  };
}

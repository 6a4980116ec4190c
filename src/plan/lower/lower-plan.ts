/**
 * lowerPlan: logical plan → dataflow plan. A structural recursion in which each node kind
 * makes its decisions in one place: Map/Filter/Project chains fuse (lower-mfp.ts), join
 * conditions split into equi-keys and a residual (lower-join.ts), aggregates get their reduce
 * kind (lower-reduce.ts), a TopK without a limit (a ranking no filter bounded) becomes the
 * Window computing it. Everything else maps one to one.
 */
import { assertNever } from '../../util/assert-never.js';
import type { LogicalPlan } from '../logical-plan.js';
import type { DataflowNode, DataflowPlan } from '../physical/dataflow-plan.js';
import { lowerLinear } from './lower-mfp.js';
import { lowerJoin } from './lower-join.js';
import { lowerReduce } from './lower-reduce.js';
import { DEFAULT_FRAME, windowCloseAfter, type WindowCall } from '../window-call.js';

/** `emitOnWindowClose`: the plan of a view created with EMIT ON WINDOW CLOSE (its root holds rows until their window closes). */
export function lowerPlan(logical: LogicalPlan, opts: { emitOnWindowClose?: boolean } = {}): DataflowPlan {
  const inputIds: string[] = [];
  let root = lowerNode(logical, inputIds);
  if (opts.emitOnWindowClose) root = { kind: 'EmitOnWindowClose', input: root, schema: root.schema };
  return { root, inputIds };
}

function lowerNode(p: LogicalPlan, inputIds: string[]): DataflowNode {
  const lower = (q: LogicalPlan): DataflowNode => lowerNode(q, inputIds);
  switch (p.kind) {
    case 'Get':
      if (!inputIds.includes(p.id)) inputIds.push(p.id);
      return { kind: 'Get', id: p.id, name: p.name, schema: p.schema };
    case 'Constant':
      return { kind: 'Constant', rows: p.rows, schema: p.schema };
    case 'Map':
    case 'Filter':
    case 'Project':
      return lowerLinear(p, lower);
    case 'Join':
      return lowerJoin(p, lower(p.left), lower(p.right));
    case 'Reduce':
      return lowerReduce(p, lower(p.input));
    case 'Distinct':
      return { kind: 'Distinct', input: lower(p.input), schema: p.schema };
    case 'TopK':
      // Ranking without a limit (no filter on the rank became one): the same as a window, which
      // also passes the ORDER BY column's watermark on (EMIT ON WINDOW CLOSE over row_number()).
      if (p.limit === null && p.offset === 0 && p.rankColumn) return lowerNode(rankingWindow(p), inputIds);
      return {
        kind: 'TopK',
        input: lower(p.input),
        groupKey: p.groupKey,
        order: p.order,
        limit: p.limit,
        offset: p.offset,
        rankColumn: p.rankColumn,
        ...(p.ranking ? { ranking: p.ranking } : {}),
        schema: p.schema,
      };
    case 'Union':
      return { kind: 'Union', inputs: p.inputs.map(lower), schema: p.schema };
    case 'Negate':
      return { kind: 'Negate', input: lower(p.input), schema: p.schema };
    case 'Threshold':
      return { kind: 'Threshold', input: lower(p.input), schema: p.schema };
    case 'WindowExpand': {
      const { windowKind, timeColumn, slideUs, sizeUs, offsetUs, schema } = p;
      return { kind: 'WindowExpand', input: lower(p.input), windowKind, timeColumn, slideUs, sizeUs, offsetUs, schema };
    }
    case 'FlatMap':
      return { kind: 'FlatMap', input: lower(p.input), exprs: p.exprs, schema: p.schema };
    case 'Window': {
      const closeAfter = windowCloseAfter(p.order, p.calls);
      return { kind: 'Window', input: lower(p.input), partitionKey: p.partitionKey, order: p.order, calls: p.calls, ...(closeAfter !== undefined ? { closeAfter } : {}), schema: p.schema };
    }
    case 'SessionWindow':
      return { kind: 'SessionWindow', input: lower(p.input), partitionKey: p.partitionKey, timeColumn: p.timeColumn, gapUs: p.gapUs, schema: p.schema };
    default:
      return assertNever(p, 'logical plan');
  }
}

/** A TopK that only numbers its rows, as the Window computing the same ranking. */
function rankingWindow(p: Extract<LogicalPlan, { kind: 'TopK' }>): LogicalPlan {
  const call: WindowCall = { fn: p.ranking ?? 'row_number', args: [], frame: DEFAULT_FRAME, type: { kind: 'int8' } };
  return { kind: 'Window', input: p.input, partitionKey: p.groupKey, order: p.order, calls: [call], schema: p.schema };
}

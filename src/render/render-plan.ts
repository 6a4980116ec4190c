/**
 * renderPlan: a dataflow plan → a list of operator nodes in topological order (inputs first,
 * post-order over the plan tree). A plain dispatch on `kind`: the plan has made every decision,
 * this file only compiles expressions and instantiates the operator the node names. A node's
 * position in the list is its operator index, which names its state key range, so the order
 * must stay deterministic for a given plan.
 */
import { assertNever } from '../util/assert-never.js';
import type { Row } from '../types/datum.js';
import type { ScalarExpr } from '../plan/scalar-expr.js';
import type { SortKey } from '../plan/logical-plan.js';
import type { DataflowNode, PhysAggregate } from '../plan/physical/dataflow-plan.js';
import type { Operator } from '../dataflow/operator.js';
import { OperatorState } from '../dataflow/state.js';
import type { CompiledSortKey, ScalarFn } from '../dataflow/scalar-fn.js';
import { MapFilterProjectOperator } from '../dataflow/operators/map-filter-project.js';
import { UnionOperator } from '../dataflow/operators/union.js';
import { NegateOperator } from '../dataflow/operators/negate.js';
import { EmitOnWindowCloseOperator } from '../dataflow/operators/emit-on-window-close.js';
import { TemporalFilterOperator } from '../dataflow/operators/temporal-filter.js';
import { ConstantOperator } from '../dataflow/operators/constant.js';
import { DistinctOperator } from '../dataflow/operators/distinct.js';
import { ThresholdOperator } from '../dataflow/operators/threshold.js';
import { JoinOperator, type KeyFn } from '../dataflow/operators/join.js';
import { joinKeyFn, type KeyPart } from '../dataflow/operators/join-key.js';
import { ReduceOperator, type ReduceAggregate } from '../dataflow/operators/reduce.js';
import { TopKOperator } from '../dataflow/operators/top-k.js';
import { WindowExpandOperator } from '../dataflow/operators/window-expand.js';
import { SessionWindowOperator } from '../dataflow/operators/session-window.js';
import { FlatMapOperator } from '../dataflow/operators/flat-map.js';
import { aggregateDef } from '../dataflow/aggregates/aggregate-def.js';
import { compileScalar, type EvalEnv } from './compile-scalar.js';

export type RenderedNode =
  | { kind: 'input'; id: string; inputs: [] }
  | { kind: 'operator'; op: Operator; inputs: number[]; state: OperatorState | null };

export interface RenderOptions {
  dataflowId: string;
  persistent: boolean;
  env: EvalEnv;
}

export function renderPlan(root: DataflowNode, opts: RenderOptions): RenderedNode[] {
  const nodes: RenderedNode[] = [];
  renderNode(root, opts, nodes);
  return nodes;
}

/** Renders `n` after its inputs; returns its index. */
function renderNode(n: DataflowNode, opts: RenderOptions, nodes: RenderedNode[]): number {
  const { env } = opts;
  const compile = (e: ScalarExpr): ScalarFn => compileScalar(e, env);
  const add = (make: (state: OperatorState | null) => Operator, inputs: number[]): number => {
    const index = nodes.length;
    const state = opts.persistent ? new OperatorState(opts.dataflowId, index) : null;
    nodes.push({ kind: 'operator', op: make(state), inputs, state });
    return index;
  };
  switch (n.kind) {
    case 'Get':
      nodes.push({ kind: 'input', id: n.id, inputs: [] });
      return nodes.length - 1;
    case 'Constant':
      return add((s) => new ConstantOperator(n.rows.map((r): [Row, number] => [r, 1]), s), []);
    case 'MapFilterProject': {
      const input = renderNode(n.input, opts, nodes);
      const m = n.mfp;
      const mfp = {
        inputArity: m.inputArity,
        exprs: m.exprs.map(compile),
        predicates: m.predicates.map((p) => ({ fn: compile(p.expr), after: p.after })),
        projection: m.projection,
        monotone: m.monotone,
      };
      return add(() => new MapFilterProjectOperator(mfp), [input]);
    }
    case 'Join': {
      const left = renderNode(n.left, opts, nodes);
      const right = renderNode(n.right, opts, nodes);
      const spec = {
        kind: n.joinKind,
        leftArity: n.left.schema.length,
        rightArity: n.right.schema.length,
        leftKey: keyFn(n.leftKey, n.nullSafe, env),
        rightKey: keyFn(n.rightKey, n.nullSafe, env),
        residual: n.residual ? compile(n.residual) : null,
        leftKeyColumns: n.leftKey.map((e) => (e.kind === 'Column' ? e.index : null)),
        rightKeyColumns: n.rightKey.map((e) => (e.kind === 'Column' ? e.index : null)),
        timeBounds: n.timeBounds,
        lookupRight: n.lookup === true,
      };
      return add((s) => new JoinOperator(spec, s), [left, right]);
    }
    case 'Reduce': {
      const input = renderNode(n.input, opts, nodes);
      const spec = { groupKey: n.groupKey, aggregates: n.aggregates.map((a) => reduceAggregate(a, env)) };
      return add((s) => new ReduceOperator(spec, s), [input]);
    }
    case 'Distinct': {
      const input = renderNode(n.input, opts, nodes);
      return add((s) => new DistinctOperator(s), [input]);
    }
    case 'Threshold': {
      const input = renderNode(n.input, opts, nodes);
      return add((s) => new ThresholdOperator(s), [input]);
    }
    case 'TopK': {
      const input = renderNode(n.input, opts, nodes);
      const spec = { groupKey: n.groupKey, order: sortKeys(n.order, env), limit: n.limit, offset: n.offset, rankColumn: n.rankColumn, ranking: n.ranking ?? 'row_number' };
      return add((s) => new TopKOperator(spec, s), [input]);
    }
    case 'Union': {
      const inputs = n.inputs.map((i) => renderNode(i, opts, nodes));
      return add(() => new UnionOperator(), inputs);
    }
    case 'Negate': {
      const input = renderNode(n.input, opts, nodes);
      return add(() => new NegateOperator(), [input]);
    }
    case 'TemporalFilter': {
      const input = renderNode(n.input, opts, nodes);
      const bounds = n.bounds.map((b) => ({ kind: b.kind, fn: compile(b.expr), offsetUs: b.offsetUs }));
      return add((s) => new TemporalFilterOperator(bounds, s), [input]);
    }
    case 'EmitOnWindowClose': {
      const input = renderNode(n.input, opts, nodes);
      return add((s) => new EmitOnWindowCloseOperator(s), [input]);
    }
    case 'WindowExpand': {
      const input = renderNode(n.input, opts, nodes);
      const spec = { windowKind: n.windowKind, timeColumn: n.timeColumn, inputArity: n.input.schema.length, slide: n.slideUs, size: n.sizeUs, offset: n.offsetUs };
      return add(() => new WindowExpandOperator(spec), [input]);
    }
    case 'FlatMap': {
      const input = renderNode(n.input, opts, nodes);
      const fns = n.exprs.map(compile);
      return add(() => new FlatMapOperator(fns), [input]);
    }
    case 'SessionWindow': {
      const input = renderNode(n.input, opts, nodes);
      const spec = { partitionKey: n.partitionKey, timeColumn: n.timeColumn, inputArity: n.input.schema.length, gap: n.gapUs };
      return add((s) => new SessionWindowOperator(spec, s), [input]);
    }
    default:
      return assertNever(n, 'dataflow node');
  }
}

function sortKeys(keys: SortKey[], env: EvalEnv): CompiledSortKey[] {
  return keys.map((k) => ({ fn: compileScalar(k.expr, env), desc: k.desc, nullsFirst: k.nullsFirst }));
}

function reduceAggregate(a: PhysAggregate, env: EvalEnv): ReduceAggregate {
  const exprs = [...a.args, ...a.orderBy.map((o) => o.expr)].map((e) => compileScalar(e, env));
  const order = a.orderBy.map((o, i) => ({ index: a.args.length + i, desc: o.desc, nullsFirst: o.nullsFirst }));
  return {
    def: aggregateDef(a.fn, a.reduceKind, a.args.map((e) => e.type), a.distinct, order),
    exprs,
    filter: a.filter ? compileScalar(a.filter, env) : null,
  };
}

/** A side's join key function: columns stay column reads, other expressions are compiled. */
function keyFn(exprs: ScalarExpr[], nullSafe: boolean[], env: EvalEnv): KeyFn {
  return joinKeyFn(
    exprs.map((e): KeyPart => (e.kind === 'Column' ? e.index : compileScalar(e, env))),
    nullSafe,
  );
}

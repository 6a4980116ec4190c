/**
 * renderPlan: a dataflow plan → a list of operator nodes in topological order (inputs first,
 * post-order over the plan). A plain dispatch on `kind`: the plan has made every decision,
 * this file only compiles expressions and instantiates the operator the node names.
 *
 * The plan may be a DAG (plan/physical/share-subplans.ts): a node object met again is not
 * rendered again; its consumers read the one rendered node's output.
 *
 * State positions: a stateful operator's state key range is named by its position in the
 * post-order of the plan read as a tree, a shared node's every occurrence counted. The kept
 * (first) occurrence of a shared sub-plan therefore has the positions the tree rendering gave
 * it, and so does every node after it: a view created before sharing existed finds its state
 * again. The positions of the later occurrences are not used; their persisted state, if any
 * (such a view), is listed in `orphans` so that the dataflow deletes it.
 *
 * A view's contents: when the root is a Reduce grouped by exactly the view's storage key
 * columns (in order), the reduce writes the view's entries itself, its group state beside each
 * row (dataflow/view-output-store.ts), and `viewStore` says so; otherwise the adapter writes
 * them from the root's output.
 */
import { assertNever } from '../util/assert-never.js';
import type { Row } from '../types/datum.js';
import type { ScalarExpr } from '../plan/scalar-expr.js';
import type { SortKey } from '../plan/logical-plan.js';
import type { AggregateName } from '../types/function-names.js';
import { nodeInputs, type DataflowNode, type PhysAggregate } from '../plan/physical/dataflow-plan.js';
import type { Operator } from '../dataflow/operator.js';
import { OperatorState } from '../dataflow/state.js';
import { ViewOutputStore } from '../dataflow/view-output-store.js';
import type { CompiledSortKey, ScalarFn } from '../dataflow/scalar-fn.js';
import { MapFilterProjectOperator } from '../dataflow/operators/map-filter-project.js';
import { StampedMapFilterProjectOperator } from '../dataflow/operators/stamped-map-filter-project.js';
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
import { accumulatorFactory, aggregateDef } from '../dataflow/aggregates/aggregate-def.js';
import { OverWindowOperator, type OverWindowCall } from '../dataflow/operators/over-window.js';
import { AGGREGATE_WINDOW_FNS, type FrameBound, type WindowCall } from '../plan/window-call.js';
import type { Bound } from '../dataflow/window-frame-eval.js';
import { compileScalar, type EvalEnv } from './compile-scalar.js';

export type RenderedNode =
  | { kind: 'input'; id: string; inputs: [] }
  | { kind: 'operator'; op: Operator; inputs: number[]; state: OperatorState | null };

export interface RenderOptions {
  dataflowId: string;
  persistent: boolean;
  env: EvalEnv;
  /** A materialized view's key range and storage key columns (persistent dataflows only). */
  viewOutput?: ViewOutput;
}

export interface ViewOutput {
  prefix: Uint8Array;
  key: readonly number[];
}

export interface RenderedPlan {
  /** Topological order; the last is the root. */
  nodes: RenderedNode[];
  /** The state ranges of the occurrences a shared sub-plan replaced (empty when not persistent). */
  orphans: OperatorState[];
  /** The view's entries when the root operator writes them; null: the adapter does. */
  viewStore: ViewOutputStore | null;
}

export function renderPlan(root: DataflowNode, opts: RenderOptions): RenderedPlan {
  const viewStore = opts.persistent && opts.viewOutput !== undefined && reduceWritesView(root, opts.viewOutput.key) ? new ViewOutputStore(opts.viewOutput.prefix) : null;
  const r: Rendering = { nodes: [], rendered: new Map(), position: 0, orphans: [], root, viewStore };
  renderNode(root, opts, r);
  return { nodes: r.nodes, orphans: r.orphans, viewStore };
}

/** Whether `root` is a Reduce whose group key is the view's storage key, column for column. */
function reduceWritesView(root: DataflowNode, key: readonly number[]): boolean {
  if (root.kind !== 'Reduce' || root.groupKey.length === 0 || key.length !== root.groupKey.length) return false;
  return key.every((k, i) => k === i);
}

interface Rendering {
  nodes: RenderedNode[];
  /** Node object → its index in `nodes`. */
  rendered: Map<DataflowNode, number>;
  /** The next state position: post-order over the plan read as a tree. */
  position: number;
  orphans: OperatorState[];
  root: DataflowNode;
  viewStore: ViewOutputStore | null;
}

/** Renders `n` after its inputs, unless it already was; returns its index. */
function renderNode(n: DataflowNode, opts: RenderOptions, r: Rendering): number {
  const again = r.rendered.get(n);
  if (again !== undefined) {
    skipPositions(n, opts, r);
    return again;
  }
  const index = renderNew(n, opts, r);
  r.rendered.set(n, index);
  return index;
}

/** Advances the state position over a sub-plan occurrence that is not rendered. */
function skipPositions(n: DataflowNode, opts: RenderOptions, r: Rendering): void {
  for (const i of nodeInputs(n)) skipPositions(i, opts, r);
  if (opts.persistent && n.kind !== 'Get') r.orphans.push(new OperatorState(opts.dataflowId, r.position));
  r.position++;
}

function renderNew(n: DataflowNode, opts: RenderOptions, r: Rendering): number {
  const { env } = opts;
  const nodes = r.nodes;
  const compile = (e: ScalarExpr): ScalarFn => compileScalar(e, env);
  const add = (make: (state: OperatorState | null) => Operator, inputs: number[]): number => {
    const state = opts.persistent ? new OperatorState(opts.dataflowId, r.position) : null;
    r.position++;
    nodes.push({ kind: 'operator', op: make(state), inputs, state });
    return nodes.length - 1;
  };
  const renderInput = (i: DataflowNode): number => renderNode(i, opts, r);
  switch (n.kind) {
    case 'Get':
      r.position++;
      nodes.push({ kind: 'input', id: n.id, inputs: [] });
      return nodes.length - 1;
    case 'Constant':
      return add((s) => new ConstantOperator(n.rows.map((row): [Row, number] => [row, 1]), s), []);
    case 'MapFilterProject': {
      const input = renderInput(n.input);
      const m = n.mfp;
      const mfp = {
        inputArity: m.inputArity,
        exprs: m.exprs.map(compile),
        predicates: m.predicates.map((p) => ({ fn: compile(p.expr), after: p.after })),
        projection: m.projection,
        monotone: m.monotone,
      };
      if (m.stamped) return add((s) => new StampedMapFilterProjectOperator(mfp, s), [input]);
      return add(() => new MapFilterProjectOperator(mfp), [input]);
    }
    case 'Join': {
      const left = renderInput(n.left);
      const right = renderInput(n.right);
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
      const input = renderInput(n.input);
      const spec = { groupKey: n.groupKey, aggregates: n.aggregates.map((a) => reduceAggregate(a, env)) };
      const view = n === r.root ? r.viewStore : null;
      return add((s) => new ReduceOperator(spec, s, view), [input]);
    }
    case 'Distinct': {
      const input = renderInput(n.input);
      return add((s) => new DistinctOperator(s), [input]);
    }
    case 'Threshold': {
      const input = renderInput(n.input);
      return add((s) => new ThresholdOperator(s), [input]);
    }
    case 'TopK': {
      const input = renderInput(n.input);
      const spec = { groupKey: n.groupKey, order: sortKeys(n.order, env), limit: n.limit, offset: n.offset, rankColumn: n.rankColumn, ranking: n.ranking ?? 'row_number' };
      return add((s) => new TopKOperator(spec, s), [input]);
    }
    case 'Union': {
      const inputs = n.inputs.map(renderInput);
      return add(() => new UnionOperator(), inputs);
    }
    case 'Negate': {
      const input = renderInput(n.input);
      return add(() => new NegateOperator(), [input]);
    }
    case 'TemporalFilter': {
      const input = renderInput(n.input);
      const bounds = n.bounds.map((b) => ({ kind: b.kind, fn: compile(b.expr), offsetUs: b.offsetUs }));
      return add((s) => new TemporalFilterOperator(bounds, s), [input]);
    }
    case 'EmitOnWindowClose': {
      const input = renderInput(n.input);
      return add((s) => new EmitOnWindowCloseOperator(s), [input]);
    }
    case 'WindowExpand': {
      const input = renderInput(n.input);
      const spec = { windowKind: n.windowKind, timeColumn: n.timeColumn, inputArity: n.input.schema.length, slide: n.slideUs, size: n.sizeUs, offset: n.offsetUs };
      return add(() => new WindowExpandOperator(spec), [input]);
    }
    case 'FlatMap': {
      const input = renderInput(n.input);
      const fns = n.exprs.map(compile);
      return add(() => new FlatMapOperator(fns), [input]);
    }
    case 'Window': {
      const input = renderInput(n.input);
      const first = n.order[0]?.expr;
      const close = n.closeAfter !== undefined && first?.kind === 'Column' ? { column: first.index, after: n.closeAfter } : null;
      const spec = { partitionKey: n.partitionKey, order: sortKeys(n.order, env), calls: n.calls.map((c) => overWindowCall(c, env)), close };
      return add((s) => new OverWindowOperator(spec, s), [input]);
    }
    case 'SessionWindow': {
      const input = renderInput(n.input);
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

/** A window call compiled: its arguments, and for an aggregate how it accumulates. */
function overWindowCall(c: WindowCall, env: EvalEnv): OverWindowCall {
  const byValue = (b: FrameBound): Bound => ((b.kind === 'preceding' || b.kind === 'following') && b.value ? { kind: b.kind, offset: 0, byValue: true } : b);
  const valueFn = (b: FrameBound): ScalarFn | null => ((b.kind === 'preceding' || b.kind === 'following') && b.value ? compileScalar(b.value, env) : null);
  const frame = { mode: c.frame.mode, start: byValue(c.frame.start), end: byValue(c.frame.end), ...(c.frame.exclude ? { exclude: c.frame.exclude } : {}) };
  const call: OverWindowCall = { fn: c.fn, frame, n: c.n ?? 1, args: c.args.map((e) => compileScalar(e, env)), filter: c.filter ? compileScalar(c.filter, env) : null };
  const rangeBounds: [ScalarFn | null, ScalarFn | null] = [valueFn(c.frame.start), valueFn(c.frame.end)];
  if (rangeBounds[0] || rangeBounds[1]) call.rangeBounds = rangeBounds;
  if (c.fn === 'min' || c.fn === 'max') call.aggregate = { kind: 'minmax', max: c.fn === 'max' };
  else if (AGGREGATE_WINDOW_FNS.has(c.fn)) {
    const argType = c.args[0]?.type ?? null;
    const float = argType?.kind === 'float4' || argType?.kind === 'float8';
    call.aggregate = { kind: 'accumulator', factory: accumulatorFactory(c.fn as AggregateName, argType), invertible: !float };
  }
  return call;
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

/**
 * buildDataflow: the one entry point the adapter uses (docs/design/20261126_foundation.md).
 * Lowers the logical plan, renders it to operators, and runs it tick by tick:
 *
 *   step(inputs, ops):  [first step only: each stateful operator loads its state, one scan]
 *                       → every operator in topological order, each fed its inputs' batches
 *                       → { oks: root output, errs: error stream }, both consolidated;
 *                         state changes appended to `ops` (none when `state` is null).
 *
 * A Get id read by several Get nodes (a self-join) feeds each of them the same changes.
 */
import type { EvalContext } from '../plan/functions/function-impl.js';
import type { LogicalPlan } from '../plan/logical-plan.js';
import { lowerPlan } from '../plan/lower/lower-plan.js';
import type { KvOp, KvReader } from '../storage/kv-store.js';
import { consolidate, type Change } from '../dataflow/zset.js';
import { consolidateErrors, type ErrorChange, type Tick } from '../dataflow/operator.js';
import { renderPlan, type RenderedNode } from './render-plan.js';
import type { EvalEnv } from './compile-scalar.js';

export type { ErrorChange } from '../dataflow/operator.js';
export type { Change } from '../dataflow/zset.js';

export interface DataflowOptions {
  /** The dataflow's id: prefix of its state keys. */
  id: string;
  /** Where persisted operator state is loaded from; null = memory only (one-shot). */
  state: KvReader | null;
  evalContext: () => EvalContext;
}

export interface DataflowOutput {
  oks: Change[];
  errs: ErrorChange[];
}

export interface Dataflow {
  /** Catalog ids its Get nodes read. */
  readonly inputIds: string[];
  /** One tick: the input changes (per Get id) through every operator, in one pass. */
  step(inputs: ReadonlyMap<string, Change[]>, ops: KvOp[]): Promise<DataflowOutput>;
  /** Loads the operators' persisted state now instead of at the first step (idempotent). */
  warm(): Promise<void>;
}

export function buildDataflow(plan: LogicalPlan, opts: DataflowOptions): Dataflow {
  return new RenderedDataflow(plan, opts);
}

class RenderedDataflow implements Dataflow {
  readonly inputIds: string[];
  readonly #nodes: RenderedNode[];
  readonly #reader: KvReader | null;
  readonly #evalContext: () => EvalContext;
  readonly #env: EvalEnv;
  #loading: Promise<void> | undefined;

  constructor(plan: LogicalPlan, opts: DataflowOptions) {
    const physical = lowerPlan(plan);
    this.inputIds = physical.inputIds;
    this.#reader = opts.state;
    this.#evalContext = opts.evalContext;
    this.#env = { ctx: { now: 0, timeZone: 'UTC' } };
    this.#nodes = renderPlan(physical.root, { dataflowId: opts.id, persistent: opts.state !== null, env: this.#env });
  }

  warm(): Promise<void> {
    const reader = this.#reader;
    this.#loading ??= reader === null ? Promise.resolve() : Promise.all(this.#nodes.map((n) => (n.kind === 'operator' ? n.op.load(reader) : undefined))).then(() => undefined);
    return this.#loading;
  }

  async step(inputs: ReadonlyMap<string, Change[]>, ops: KvOp[]): Promise<DataflowOutput> {
    const nodes = this.#nodes;
    await this.warm();
    this.#env.ctx = this.#evalContext();
    for (const n of nodes) if (n.kind === 'operator' && n.state !== null) n.state.begin(ops);
    const tick: Tick = { errs: [] };
    const outs: Change[][] = new Array(nodes.length);
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!;
      if (n.kind === 'input') {
        outs[i] = inputs.get(n.id) ?? [];
        continue;
      }
      const ins: Change[][] = new Array(n.inputs.length);
      for (let k = 0; k < n.inputs.length; k++) ins[k] = outs[n.inputs[k]!]!;
      outs[i] = n.op.step(ins, tick);
    }
    // Only the root's output leaves the dataflow; intermediate batches are dropped here.
    const root = nodes[nodes.length - 1]!;
    const rootOut = outs[nodes.length - 1]!;
    const oks = root.kind === 'operator' && root.op.consolidatedOutput === true ? rootOut : consolidate(rootOut);
    return { oks, errs: consolidateErrors(tick.errs) };
  }
}

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
 * Structurally equal sub-plans are rendered once (plan/physical/share-subplans.ts): the
 * shared operator steps once per tick and each consumer reads its output batch and watermarks.
 * State a view stored for a replaced occurrence before sharing existed is deleted by the first
 * step (see render-plan.ts: the kept occurrence's state keeps its key range).
 */
import type { EvalContext } from '../plan/functions/function-impl.js';
import type { LogicalPlan } from '../plan/logical-plan.js';
import { lowerPlan } from '../plan/lower/lower-plan.js';
import { readsProcessingTimeNode, stampRetractableInputs } from '../plan/processing-time.js';
import type { KvOp, KvReader } from '../storage/kv-store.js';
import { consolidate, type Change } from '../dataflow/zset.js';
import { consolidateErrors, type ErrorChange, type Tick } from '../dataflow/operator.js';
import { renderPlan, type RenderedNode, type ViewOutput } from './render-plan.js';
import type { ViewOutputStore } from '../dataflow/view-output-store.js';
import { shareCommonSubplans } from '../plan/physical/share-subplans.js';
import type { OperatorState } from '../dataflow/state.js';
import type { EvalEnv } from './compile-scalar.js';
import type { Watermarks } from '../dataflow/watermark.js';
import { TemporalFilterOperator } from '../dataflow/operators/temporal-filter.js';

export type { ErrorChange } from '../dataflow/operator.js';
export type { Change } from '../dataflow/zset.js';

export interface DataflowOptions {
  /** The dataflow's id: prefix of its state keys. */
  id: string;
  /** Where persisted operator state is loaded from; null = memory only (one-shot). */
  state: KvReader | null;
  evalContext: () => EvalContext;
  /** A view created with EMIT ON WINDOW CLOSE. */
  emitOnWindowClose?: boolean;
  /**
   * Whether a stored collection only ever gains rows: PROCTIME() over one needs no stamps kept
   * as state (plan/processing-time.ts). Absent: none is assumed to.
   */
  inputAppendOnly?: (id: string) => boolean;
  /**
   * A materialized view's key range and storage key: the root operator may write the view's
   * entries itself (render-plan.ts), which `storesOutput` then says.
   */
  viewOutput?: ViewOutput;
}

export interface DataflowOutput {
  oks: Change[];
  errs: ErrorChange[];
  /** The output's column watermarks after this tick; undefined = none. */
  watermarks: Watermarks | undefined;
}

export interface Dataflow {
  /** Catalog ids its Get nodes read. */
  readonly inputIds: string[];
  /**
   * One tick: the input changes (per Get id) through every operator, in one pass, with each
   * input's column watermarks as of the end of the tick (none if absent).
   */
  step(inputs: ReadonlyMap<string, Change[]>, ops: KvOp[], watermarks?: ReadonlyMap<string, Watermarks>): Promise<DataflowOutput>;
  /** Loads the operators' persisted state now instead of at the first step (idempotent). */
  warm(): Promise<void>;
  /**
   * Holds a temporal filter or reads the processing time (its watermark is the clock): its
   * output changes as wall-clock time passes, so it is stepped on the clock too.
   */
  readonly timeDependent: boolean;
  /**
   * The dataflow writes its view's entries itself (in `step`'s ops): the caller must not apply
   * `oks` to the view's stored contents. Its output is still `oks`, for everything downstream.
   */
  readonly storesOutput: boolean;
}

export function buildDataflow(plan: LogicalPlan, opts: DataflowOptions): Dataflow {
  return new RenderedDataflow(plan, opts);
}

class RenderedDataflow implements Dataflow {
  readonly inputIds: string[];
  readonly timeDependent: boolean;
  readonly storesOutput: boolean;
  readonly #nodes: RenderedNode[];
  readonly #viewStore: ViewOutputStore | null;
  /** State ranges no operator owns any more (render-plan.ts), with the keys found in them. */
  #orphans: OperatorState[];
  #orphanKeys: Uint8Array[] = [];
  readonly #reader: KvReader | null;
  readonly #evalContext: () => EvalContext;
  readonly #env: EvalEnv;
  #loading: Promise<void> | undefined;

  constructor(plan: LogicalPlan, opts: DataflowOptions) {
    const physical = shareCommonSubplans(lowerPlan(plan, { emitOnWindowClose: opts.emitOnWindowClose }));
    stampRetractableInputs(physical.root, opts.inputAppendOnly ?? (() => false));
    this.inputIds = physical.inputIds;
    this.#reader = opts.state;
    this.#evalContext = opts.evalContext;
    this.#env = { ctx: { now: 0, timeZone: 'UTC' } };
    const rendered = renderPlan(physical.root, { dataflowId: opts.id, persistent: opts.state !== null, env: this.#env, ...(opts.viewOutput ? { viewOutput: opts.viewOutput } : {}) });
    this.#nodes = rendered.nodes;
    this.#viewStore = rendered.viewStore;
    this.storesOutput = rendered.viewStore !== null;
    this.#orphans = rendered.orphans;
    this.timeDependent = this.#nodes.some((n) => n.kind === 'operator' && n.op instanceof TemporalFilterOperator) || readsProcessingTimeNode(physical.root);
  }

  warm(): Promise<void> {
    const reader = this.#reader;
    this.#loading ??=
      reader === null
        ? Promise.resolve()
        : Promise.all([...this.#nodes.map((n) => (n.kind === 'operator' ? n.op.load(reader) : undefined)), ...this.#orphans.map((o) => this.#findOrphanKeys(o, reader))]).then(() => undefined);
    return this.#loading;
  }

  async #findOrphanKeys(orphan: OperatorState, reader: KvReader): Promise<void> {
    for await (const key of orphan.storedKeys(reader)) this.#orphanKeys.push(key);
  }

  async step(inputs: ReadonlyMap<string, Change[]>, ops: KvOp[], watermarks?: ReadonlyMap<string, Watermarks>): Promise<DataflowOutput> {
    const nodes = this.#nodes;
    await this.warm();
    this.#env.ctx = this.#evalContext();
    for (const n of nodes) if (n.kind === 'operator' && n.state !== null) n.state.begin(ops);
    this.#viewStore?.begin(ops);
    if (this.#orphans.length > 0) {
      for (const key of this.#orphanKeys) ops.push({ type: 'del', key });
      this.#orphans = [];
      this.#orphanKeys = [];
    }
    const tick: Tick = { errs: [], now: this.#env.ctx.now };
    const outs: Change[][] = new Array(nodes.length);
    const wms: (Watermarks | undefined)[] = new Array(nodes.length);
    let rootReleased = false;
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!;
      if (n.kind === 'input') {
        outs[i] = inputs.get(n.id) ?? [];
        wms[i] = watermarks?.get(n.id);
        continue;
      }
      const ins: Change[][] = new Array(n.inputs.length);
      for (let k = 0; k < n.inputs.length; k++) ins[k] = outs[n.inputs[k]!]!;
      let out = n.op.step(ins, tick);
      if (n.op.onWatermarks) {
        const inWms: (Watermarks | undefined)[] = new Array(n.inputs.length);
        for (let k = 0; k < n.inputs.length; k++) inWms[k] = wms[n.inputs[k]!];
        const w = n.op.onWatermarks(inWms, tick);
        if (w.emitted.length > 0) {
          out = out.length === 0 ? w.emitted : out.concat(w.emitted);
          if (i === nodes.length - 1) rootReleased = true;
        }
        wms[i] = w.watermarks;
      }
      outs[i] = out;
    }
    // Only the root's output leaves the dataflow; intermediate batches are dropped here.
    const root = nodes[nodes.length - 1]!;
    const rootOut = outs[nodes.length - 1]!;
    const oks = root.kind === 'operator' && root.op.consolidatedOutput === true && !rootReleased ? rootOut : consolidate(rootOut);
    return { oks, errs: consolidateErrors(tick.errs), watermarks: wms[nodes.length - 1] };
  }
}

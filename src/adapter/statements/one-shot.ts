/**
 * runOneShotCancellable: a one-shot SELECT's dataflow, evaluated in slices so that a
 * CancelRequest can stop it. Node runs one statement's evaluation on the thread that also
 * reads the sockets, so a CancelRequest (which arrives on a connection of its own) is only
 * read when the evaluation yields to the event loop.
 *
 * The dataflow is incremental, so instead of one step over all of the inputs it is stepped
 * over successive slices of them (`slice` rows of each input per step): by Δ(A⋈B) = ΔA⋈B +
 * A'⋈ΔB and its kin, the sum of the steps' outputs is the result of one step over everything
 * (a Reduce retracts its earlier partial rows; a transient error of a partial result, such as
 * a division by a partial count, is retracted the same way). Between steps, when a few
 * milliseconds have passed, it yields (setImmediate) and checks for a cancel (57014).
 *
 * The slice starts small. Stepping costs more than one step where an operator redoes work
 * per step in proportion to what it has seen (a string_agg recomputed over its whole group),
 * so slices grow geometrically: a plan without joins doubles them (twice the work of one step
 * at worst), and a plan with joins, whose work per row grows with what it has seen, sizes
 * them towards steps of TARGET_STEP_MS but never below a quarter of the rows seen so far (five
 * times at worst). So a query over a handful of rows is one step, as before, a large scan
 * takes O(log n) steps, and a small input with a large join (a cross join of three 120-row
 * tables) is stepped a few rows at a time. All steps share one EvalContext, so now() is the statement's.
 *
 * WEIR_ONESHOT_WHOLE=1 in the environment makes it one step over everything, as before (the
 * A/B of bench/e2e/one-shot-slices.ts).
 */
import type { LogicalPlan } from '../../plan/logical-plan.js';
import { planChildren } from '../../plan/plan-visit.js';
import type { SessionInfo } from '../../plan/functions/function-impl.js';
import { buildDataflow, type Change, type ErrorChange } from '../../render/build-dataflow.js';
import { consolidateErrors } from '../../dataflow/operator.js';
import { consolidate } from '../../dataflow/zset.js';
import { SqlError } from '../../types/sql-error.js';
import type { SessionContext } from './planned.js';

const FIRST_SLICE = 16;
/** With joins, the time a step aims at: the next slice is scaled by TARGET_STEP_MS / (the last step's time), within [1/4, 3/2]. */
const TARGET_STEP_MS = 40;
/** How long evaluation may run before it yields to the event loop. */
const YIELD_EVERY_MS = 50;

function hasJoin(p: LogicalPlan): boolean {
  return p.kind === 'Join' || planChildren(p).some(hasJoin);
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function runOneShotCancellable(
  ctx: SessionContext,
  plan: LogicalPlan,
  inputs: ReadonlyMap<string, Change[]>,
  session: SessionInfo,
): Promise<Change[]> {
  const evalContext = ctx.coord.evalContext(session);
  const joins = hasJoin(plan);
  const df = buildDataflow(plan, { id: 'oneshot', state: null, evalContext: () => evalContext });
  let largest = 0;
  for (const changes of inputs.values()) largest = Math.max(largest, changes.length);
  const oks: Change[] = [];
  const errs: ErrorChange[] = [];
  let slice = process.env.WEIR_ONESHOT_WHOLE === '1' ? Infinity : FIRST_SLICE;
  let pos = 0;
  let sinceYield = performance.now();
  do {
    const end = pos === 0 && largest <= slice ? largest : Math.min(largest, pos + slice);
    const part = new Map<string, Change[]>();
    for (const [id, changes] of inputs) if (pos < changes.length) part.set(id, changes.slice(pos, end));
    const t0 = performance.now();
    const out = await df.step(pos === 0 && end === largest ? inputs : part, []);
    const took = performance.now() - t0;
    for (const c of out.oks) oks.push(c);
    for (const e of out.errs) errs.push(e);
    pos = end;
    if (!joins) slice = Math.max(slice * 2, pos);
    else slice = Math.max(1, Math.ceil(pos / 4), Math.round(slice * Math.min(1.5, Math.max(0.25, TARGET_STEP_MS / Math.max(took, 0.01)))));
    if (pos < largest && performance.now() - sinceYield >= YIELD_EVERY_MS) {
      await yieldToEventLoop();
      ctx.checkCanceled();
      sinceYield = performance.now();
    }
  } while (pos < largest);
  const failed = consolidateErrors(errs);
  if (failed.length > 0) {
    const [err] = failed[0]!;
    throw new SqlError(err.code, err.message);
  }
  return consolidate(oks);
}

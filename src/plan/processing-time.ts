/**
 * The processing time: Flink's PROCTIME() and RisingWave's proctime(), bound to
 * `Unmaterializable('proctime')` of type timestamptz (binder/expr-call.ts).
 *
 * Meaning: the wall-clock time of the tick that processes the row (DESIGN §3: a tick's
 * `now`, which every operator of the tick sees). The MapFilterProject that computes it stamps
 * the row once, as it enters the view's dataflow; the value then travels downstream as data,
 * stored in state and view contents like any column, never evaluated again. All rows of one
 * tick carry the same stamp, so the stamps never decrease: the column's watermark is the
 * tick's time (watermark-derivation.ts marks it PROCESSING_TIME), so windows over it close
 * as the wall clock passes their end, and the view is time-dependent (the coordinator's clock
 * tick steps it once a second even without input).
 *
 * A retraction must carry the stamp its insertion got. Over an append-only input there are no
 * retractions, and the stamp is the MapFilterProject's stateless `proctime()`. Over an input
 * that can retract (a table with updates and deletes, an aggregate's output),
 * `stampRetractableInputs` makes the MapFilterProject `stamped`: its operator keeps the stamps
 * of the live rows as state and appends each row's own stamp, so an insertion gets the tick's
 * time and a retraction the stamp of the insertion it undoes. Such a column carries no
 * watermark (an old stamp can still be retracted): windows over it stay open. Anywhere else
 * (a join condition, an aggregate's argument) the processing time is refused over
 * retractable rows (`stampsRetractableRows`, checked when a view or sink is created). Rows
 * that entered before the view existed (its hydration) are stamped with the creation time.
 */
import { nodeInputs, type DataflowNode, type Mfp } from './physical/dataflow-plan.js';
import type { ScalarExpr } from './scalar-expr.js';
import { remapColumns, rewriteScalar } from './scalar-util.js';
import { PROCESSING_TIME } from './watermark-derivation.js';
import { appendOnly } from './physical/append-only.js';
import { SqlError, SqlState } from '../types/sql-error.js';

/** Whether a plain-data value (a plan, a node, an expression) holds a processing-time call. */
export function holdsProcessingTime(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(holdsProcessingTime);
  if (!v || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  if (o.kind === 'Unmaterializable' && o.fn === 'proctime') return true;
  return Object.values(o).some(holdsProcessingTime);
}

/**
 * Every node of a dataflow plan that evaluates the processing time itself (not through an
 * input), each once: `own` = its scalars, without its inputs.
 */
function readingNodes(root: DataflowNode): DataflowNode[] {
  const out: DataflowNode[] = [];
  const seen = new Set<DataflowNode>();
  const visit = (n: DataflowNode): void => {
    if (seen.has(n)) return;
    seen.add(n);
    const inputs = nodeInputs(n);
    // Its fields but its inputs, its schema and a Constant's rows (data, not expressions).
    const own = Object.entries(n).filter(
      ([k, v]) => k !== 'schema' && k !== 'rows' && !inputs.includes(v as DataflowNode) && !(Array.isArray(v) && v.some((x) => inputs.includes(x as DataflowNode))),
    );
    if (own.some(([, v]) => holdsProcessingTime(v))) out.push(n);
    for (const input of inputs) visit(input);
  };
  visit(root);
  return out;
}

/** True when a dataflow plan reads the processing time (it must be stepped as the clock moves). */
export function readsProcessingTimeNode(root: DataflowNode): boolean {
  return readingNodes(root).length > 0;
}

/**
 * True when the plan could stamp a retraction with another time than its insertion got (see
 * the header): a node other than a MapFilterProject (which `stampRetractableInputs` makes keep
 * its stamps) reads the processing time over an input that can retract. Over append-only
 * inputs every evaluation is for an insertion, and what the node keeps (an aggregate's
 * arguments, a temporal filter's bounds) was computed then.
 */
export function stampsRetractableRows(root: DataflowNode, inputAppendOnly: (id: string) => boolean): boolean {
  return readingNodes(root).some((n) => n.kind !== 'MapFilterProject' && !nodeInputs(n).every((i) => appendOnly(i, inputAppendOnly)));
}

/**
 * Makes every MapFilterProject that reads the processing time over an input that can retract
 * `stamped` (see the header). Rewrites the nodes in place: call it on a plan lowered for one
 * dataflow (build-dataflow.ts), before it is rendered.
 */
export function stampRetractableInputs(root: DataflowNode, inputAppendOnly: (id: string) => boolean): void {
  for (const n of readingNodes(root)) {
    if (n.kind !== 'MapFilterProject' || n.mfp.stamped || appendOnly(n.input, inputAppendOnly)) continue;
    n.mfp = stampedMfp(n.mfp);
  }
}

/** The MapFilterProject reading its input row's stamp, appended as column `inputArity`, for proctime(). */
function stampedMfp(m: Mfp): Mfp {
  const stamp = m.inputArity;
  const shift = (c: number): number => (c >= stamp ? c + 1 : c);
  const rewrite = (e: ScalarExpr): ScalarExpr =>
    rewriteScalar(remapColumns(e, shift), (x) => (x.kind === 'Unmaterializable' && x.fn === 'proctime' ? { kind: 'Column', index: stamp, type: x.type, name: 'proctime' } : x));
  return {
    inputArity: stamp + 1,
    exprs: m.exprs.map(rewrite),
    predicates: m.predicates.map((p) => ({ expr: rewrite(p.expr), after: p.after })),
    projection: m.projection.map(shift),
    // An old stamp can still be retracted: no watermark on it.
    monotone: m.monotone.map((c) => (c === null || c === PROCESSING_TIME ? null : shift(c))),
    stamped: true,
  };
}

/**
 * Why a materialized view or sink cannot read the processing time as planned, or undefined:
 * `stampsRetractableRows`, or EMIT ON WINDOW CLOSE over stamps that carry no watermark (they
 * are kept as state: their windows would never close).
 */
export function processingTimeProblem(root: DataflowNode, inputAppendOnly: (id: string) => boolean, emitOnWindowClose: boolean): SqlError | undefined {
  if (stampsRetractableRows(root, inputAppendOnly)) return processingTimeOverRetractions();
  const kept = readingNodes(root).some((n) => n.kind === 'MapFilterProject' && !appendOnly(n.input, inputAppendOnly));
  if (emitOnWindowClose && kept) {
    return new SqlError(SqlState.featureNotSupported, 'EMIT ON WINDOW CLOSE over PROCTIME() needs an append-only input', {
      detail: 'Over rows that can be updated or deleted an old stamp may still be retracted, so the processing time has no watermark and no window would close.',
      hint: 'Read PROCTIME() over a source or an APPEND ONLY table, or drop EMIT ON WINDOW CLOSE.',
    });
  }
  return undefined;
}

/** The error for a view or sink that `stampsRetractableRows`. */
function processingTimeOverRetractions(): SqlError {
  return new SqlError(SqlState.featureNotSupported, 'PROCTIME() here needs an append-only input', {
    detail: 'In a join condition or an aggregate it is read again for every change, so a later update or delete could not retract the value the insertion got.',
    hint: 'Compute PROCTIME() in the select list of a subquery, and aggregate or join its column: SELECT max(p_time) FROM (SELECT *, PROCTIME() AS p_time FROM t) x.',
  });
}

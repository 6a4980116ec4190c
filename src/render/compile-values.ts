/**
 * compileValues: a plan that reads no collection — Constants under Map / Filter / Project /
 * Union,
 * as `INSERT … VALUES ($1, $2)` binds to — compiled once into a function from statement
 * parameters to rows. A prepared INSERT then costs a few closure calls per execution
 * instead of planning and running a one-shot dataflow. Returns undefined for any other plan.
 *
 * Evaluation errors are thrown (a statement's own values, not data in a view).
 */
import type { EvalContext } from '../plan/functions/function-impl.js';
import type { LogicalPlan } from '../plan/logical-plan.js';
import type { Datum, Row } from '../types/datum.js';
import { compileScalar, type EvalEnv } from './compile-scalar.js';

export type ValuesFn = (params: readonly Datum[], ctx: EvalContext) => Row[];

type RowsFn = (env: EvalEnv) => Row[];

export function compileValues(plan: LogicalPlan): ValuesFn | undefined {
  const env: EvalEnv = { ctx: { now: 0, timeZone: 'UTC' } };
  const fn = compileNode(plan, env);
  if (!fn) return undefined;
  return (params, ctx) => {
    env.params = params;
    env.ctx = ctx;
    return fn(env);
  };
}

function compileNode(p: LogicalPlan, env: EvalEnv): RowsFn | undefined {
  switch (p.kind) {
    case 'Constant': {
      const rows = p.rows;
      return () => rows;
    }
    case 'Map': {
      const input = compileNode(p.input, env);
      if (!input) return undefined;
      const fns = p.exprs.map((e) => compileScalar(e, env));
      return (e) =>
        input(e).map((r) => {
          const row = r.slice();
          for (const f of fns) row.push(f(row));
          return row;
        });
    }
    case 'Filter': {
      const input = compileNode(p.input, env);
      if (!input) return undefined;
      const preds = p.predicates.map((e) => compileScalar(e, env));
      return (e) => input(e).filter((r) => preds.every((f) => f(r) === true));
    }
    case 'Project': {
      const input = compileNode(p.input, env);
      if (!input) return undefined;
      const cols = p.outputs;
      return (e) => input(e).map((r) => cols.map((c) => r[c]!));
    }
    case 'Union': {
      const inputs = p.inputs.map((i) => compileNode(i, env));
      if (inputs.some((i) => !i)) return undefined;
      return (e) => inputs.flatMap((i) => i!(e));
    }
    default:
      return undefined;
  }
}

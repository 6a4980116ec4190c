/**
 * compileLinear: a plan made only of linear, stateless steps — Get and Constant leaves under
 * Map / Filter / Project / FlatMap / Union — compiled once into a plain function from its inputs (and
 * statement parameters) to its output changes. Such a plan needs no operator state, so a
 * prepared point SELECT (`SELECT * FROM v WHERE k = $1`) or `INSERT … VALUES ($1, $2)` runs
 * as a few closure calls per execution instead of planning and rendering a one-shot
 * dataflow. Returns undefined for any other plan (the caller renders a dataflow).
 *
 * Diffs pass through unchanged (linear operators commute with them). Evaluation errors are
 * thrown: these are a statement's own rows, not data of a maintained view.
 */
import type { Change } from '../dataflow/zset.js';
import type { EvalContext } from '../plan/functions/function-impl.js';
import type { LogicalPlan } from '../plan/logical-plan.js';
import { planChildren } from '../plan/plan-visit.js';
import type { Datum, Row } from '../types/datum.js';
import { assertNever } from '../util/assert-never.js';
import { compileScalar, type EvalEnv } from './compile-scalar.js';
import { flatMapRow } from '../dataflow/operators/flat-map.js';

export type LinearFn = (inputs: ReadonlyMap<string, Change[]>, params: readonly Datum[], ctx: EvalContext) => Change[];
export type ValuesFn = (params: readonly Datum[], ctx: EvalContext) => Row[];

type ChangesFn = (inputs: ReadonlyMap<string, Change[]>) => Change[];

export function compileLinear(plan: LogicalPlan): LinearFn | undefined {
  const env: EvalEnv = { ctx: { now: 0, timeZone: 'UTC' } };
  const fn = compileNode(plan, env);
  if (!fn) return undefined;
  return (inputs, params, ctx) => {
    env.params = params;
    env.ctx = ctx;
    return fn(inputs);
  };
}

/** For plans that read nothing (INSERT … VALUES): parameters → rows. */
export function compileValues(plan: LogicalPlan): ValuesFn | undefined {
  if (readsCollections(plan)) return undefined;
  const fn = compileLinear(plan);
  if (!fn) return undefined;
  const none = new Map<string, Change[]>();
  return (params, ctx) => {
    const rows: Row[] = [];
    for (const [row, diff] of fn(none, params, ctx)) for (let i = 0; i < diff; i++) rows.push(row);
    return rows;
  };
}

function readsCollections(p: LogicalPlan): boolean {
  return p.kind === 'Get' || planChildren(p).some(readsCollections);
}

function compileNode(p: LogicalPlan, env: EvalEnv): ChangesFn | undefined {
  switch (p.kind) {
    case 'Constant': {
      const changes: Change[] = p.rows.map((r) => [r, 1]);
      return () => changes;
    }
    case 'Get': {
      const id = p.id;
      return (inputs) => inputs.get(id) ?? [];
    }
    case 'Map': {
      const input = compileNode(p.input, env);
      if (!input) return undefined;
      const fns = p.exprs.map((e) => compileScalar(e, env));
      return (inputs) =>
        input(inputs).map(([r, d]) => {
          const row = r.slice();
          for (const f of fns) row.push(f(row));
          return [row, d];
        });
    }
    case 'Filter': {
      const input = compileNode(p.input, env);
      if (!input) return undefined;
      const preds = p.predicates.map((e) => compileScalar(e, env));
      return (inputs) => input(inputs).filter(([r]) => preds.every((f) => f(r) === true));
    }
    case 'Project': {
      const input = compileNode(p.input, env);
      if (!input) return undefined;
      const cols = p.outputs;
      return (inputs) => input(inputs).map(([r, d]) => [cols.map((c) => r[c]!), d]);
    }
    case 'FlatMap': {
      const input = compileNode(p.input, env);
      if (!input) return undefined;
      const fns = p.exprs.map((e) => compileScalar(e, env));
      return (inputs) => {
        const out: Change[] = [];
        for (const [r, d] of input(inputs)) flatMapRow(r, d, fns, out);
        return out;
      };
    }
    case 'Union': {
      const parts = p.inputs.map((i) => compileNode(i, env));
      if (parts.some((f) => !f)) return undefined;
      return (inputs) => parts.flatMap((f) => f!(inputs));
    }
    case 'Join':
    case 'Reduce':
    case 'Distinct':
    case 'TopK':
    case 'Negate':
    case 'Threshold':
    case 'WindowExpand':
    case 'SessionWindow':
    case 'Window':
      return undefined;
    default:
      return assertNever(p, 'plan');
  }
}

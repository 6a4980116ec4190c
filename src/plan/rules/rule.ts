/**
 * A rewrite rule: a meaning-preserving function from plan to plan. `apply` is called on
 * every node bottom-up by optimize.ts and returns the node itself when it does not apply
 * (so the driver can tell a fixpoint by reference equality).
 */
import type { LogicalPlan } from '../logical-plan.js';

export interface Rule {
  readonly name: string;
  apply(plan: LogicalPlan): LogicalPlan;
}

/** The node with new inputs (same kind, same schema). */
export function withInputs(p: LogicalPlan, inputs: LogicalPlan[]): LogicalPlan {
  switch (p.kind) {
    case 'Get':
    case 'Constant':
      return p;
    case 'Join':
      return inputs[0] === p.left && inputs[1] === p.right ? p : { ...p, left: inputs[0]!, right: inputs[1]! };
    case 'Union':
      return inputs.every((x, i) => x === p.inputs[i]) ? p : { ...p, inputs };
    default:
      return inputs[0] === p.input ? p : { ...p, input: inputs[0]! };
  }
}

/** Removes a Project that keeps every input column in order (column names aside). */
import type { LogicalPlan } from '../logical-plan.js';
import type { Rule } from './rule.js';

export const removeTrivialProject: Rule = {
  name: 'remove-trivial-project',
  apply(p: LogicalPlan): LogicalPlan {
    if (p.kind !== 'Project') return p;
    const n = p.input.schema.length;
    return p.outputs.length === n && p.outputs.every((o, i) => o === i) ? p.input : p;
  },
};

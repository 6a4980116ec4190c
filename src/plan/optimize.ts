/**
 * optimize(plan): runs the rules in rules/ bottom-up over the whole plan, repeatedly, until
 * a pass changes nothing (a fixpoint, detected by reference equality), or a loop limit is
 * reached (then the last plan is returned: every intermediate plan is equivalent).
 */
import type { LogicalPlan } from './logical-plan.js';
import { children } from './plan-builders.js';
import { constantFold } from './rules/constant-fold.js';
import { fuseMapFilterProject } from './rules/fuse-map-filter-project.js';
import { predicatePushdown } from './rules/predicate-pushdown.js';
import { removeTrivialProject } from './rules/remove-trivial-project.js';
import { withInputs, type Rule } from './rules/rule.js';
import { topkRankFilter } from './rules/topk-rank-filter.js';

export const DEFAULT_RULES: readonly Rule[] = [constantFold, fuseMapFilterProject, removeTrivialProject, topkRankFilter, predicatePushdown];

/** Applies one rule to every node, inputs first. */
export function applyBottomUp(plan: LogicalPlan, rule: Rule): LogicalPlan {
  const kids = children(plan);
  const next = kids.map((k) => applyBottomUp(k, rule));
  return rule.apply(withInputs(plan, next));
}

export function optimize(plan: LogicalPlan, rules: readonly Rule[] = DEFAULT_RULES, maxPasses = 100): LogicalPlan {
  let current = plan;
  for (let pass = 0; pass < maxPasses; pass++) {
    let next = current;
    for (const r of rules) next = applyBottomUp(next, r);
    if (next === current) return current;
    current = next;
  }
  return current;
}

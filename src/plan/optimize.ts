/**
 * optimize(plan): runs the rules in rules/ bottom-up over the whole plan, repeatedly, until
 * a pass changes nothing (a fixpoint, detected by reference equality), or a loop limit is
 * reached (then the last plan is returned: every intermediate plan is equivalent). With the
 * default rules, column pruning (rules/prune-columns.ts, a whole-plan pass) then narrows the
 * inputs of windows, and the rules run to a fixpoint again (fusing the Projects it added).
 */
import type { LogicalPlan } from './logical-plan.js';
import { children } from './plan-builders.js';
import { constantFold } from './rules/constant-fold.js';
import { fuseMapFilterProject } from './rules/fuse-map-filter-project.js';
import { predicatePushdown } from './rules/predicate-pushdown.js';
import { pruneColumns } from './rules/prune-columns.js';
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

/** Whole-plan passes run after the rules' fixpoint (then the rules run again): only with the default rules. */
export type PlanPass = (plan: LogicalPlan) => LogicalPlan;
export const DEFAULT_PASSES: readonly PlanPass[] = [pruneColumns];

export function optimize(
  plan: LogicalPlan,
  rules: readonly Rule[] = DEFAULT_RULES,
  maxPasses = 100,
  passes: readonly PlanPass[] = rules === DEFAULT_RULES ? DEFAULT_PASSES : [],
): LogicalPlan {
  let current = fixpoint(plan, rules, maxPasses);
  for (const pass of passes) {
    const next = pass(current);
    if (next !== current) current = fixpoint(next, rules, maxPasses);
  }
  return current;
}

function fixpoint(plan: LogicalPlan, rules: readonly Rule[], maxPasses: number): LogicalPlan {
  let current = plan;
  for (let pass = 0; pass < maxPasses; pass++) {
    let next = current;
    for (const r of rules) next = applyBottomUp(next, r);
    if (next === current) return current;
    current = next;
  }
  return current;
}

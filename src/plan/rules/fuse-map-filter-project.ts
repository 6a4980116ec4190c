/**
 * Folds chains of linear operators: Filter∘Filter → one Filter, Project∘Project → one
 * Project, Map∘Map → one Map (later expressions may read earlier ones), and drops empty
 * Filters and Maps, and a Map none of whose columns a Project above it keeps.
 */
import type { LogicalPlan } from '../logical-plan.js';
import type { Rule } from './rule.js';

export const fuseMapFilterProject: Rule = {
  name: 'fuse-map-filter-project',
  apply(p: LogicalPlan): LogicalPlan {
    switch (p.kind) {
      case 'Filter':
        if (p.predicates.length === 0) return p.input;
        if (p.input.kind === 'Filter') return { ...p, input: p.input.input, predicates: [...p.input.predicates, ...p.predicates] };
        return p;
      case 'Map':
        if (p.exprs.length === 0) return p.input;
        if (p.input.kind === 'Map') return { ...p, input: p.input.input, exprs: [...p.input.exprs, ...p.exprs] };
        return p;
      case 'Project': {
        const inner = p.input;
        if (inner.kind === 'Project') return { ...p, input: inner.input, outputs: p.outputs.map((i) => inner.outputs[i]!) };
        if (inner.kind === 'Map' && p.outputs.every((i) => i < inner.input.schema.length)) return { ...p, input: inner.input };
        return p;
      }
      default:
        return p;
    }
  },
};


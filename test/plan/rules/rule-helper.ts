/** Small plans for rule tests. */
import * as P from '../../../src/plan/plan-builders.js';
import type { LogicalPlan } from '../../../src/plan/logical-plan.js';
import type { ScalarExpr } from '../../../src/plan/scalar-expr.js';
import type { SqlType } from '../../../src/types/sql-type.js';

export const INT: SqlType = { kind: 'int4' };
export const BOOL: SqlType = { kind: 'bool' };
export const t = (): LogicalPlan => P.get('u1', 'public.t', [
  { name: 'a', type: INT, nullable: false },
  { name: 'b', type: INT, nullable: true },
]);
export const u = (): LogicalPlan => P.get('u2', 'public.u', [
  { name: 'x', type: INT, nullable: true },
  { name: 'y', type: INT, nullable: true },
]);
export const c = (i: number): ScalarExpr => ({ kind: 'Column', index: i, type: INT });
export const n = (v: number): ScalarExpr => ({ kind: 'Literal', value: v, type: INT });
export const call = (fn: string, args: ScalarExpr[], type: SqlType = BOOL): ScalarExpr => ({ kind: 'Call', fn, args, type });
export const gt = (a: ScalarExpr, b: ScalarExpr): ScalarExpr => call('int4_gt', [a, b]);
export const eq = (a: ScalarExpr, b: ScalarExpr): ScalarExpr => call('int4_eq', [a, b]);
export const lines = (...l: string[]): string => l.join('\n') + '\n';
export { P };

// Common sub-plan sharing on the dataflow plan: equal sub-trees become one node, EXPLAIN
// PHYSICAL prints it once and `Reuse %k` where it occurs again; sub-trees that differ in any
// field (a literal's value or type, a key) stay apart, and leaves keep their own objects.
import { describe, expect, test } from 'vitest';
import { lowerPlan } from '../../../src/plan/lower/lower-plan.js';
import { printDataflowPlan } from '../../../src/plan/physical/print-dataflow-plan.js';
import { shareCommonSubplans, sharedNodes } from '../../../src/plan/physical/share-subplans.js';
import * as P from '../../../src/plan/plan-builders.js';
import type { LogicalPlan } from '../../../src/plan/logical-plan.js';
import type { ScalarExpr } from '../../../src/plan/scalar-expr.js';
import type { Datum } from '../../../src/types/datum.js';
import { T, type SqlType } from '../../../src/types/sql-type.js';

const int4 = T.int4;
const schema = (names: string[]) => names.map((name) => ({ name, type: int4 as SqlType, nullable: true }));
const A = P.get('u1', 'a', schema(['k', 'v']));
const c = (i: number, type: SqlType = int4): ScalarExpr => ({ kind: 'Column', index: i, type });
const lit = (value: Datum, type: SqlType): ScalarExpr => ({ kind: 'Literal', value, type });
const eq = (l: number, r: number): ScalarExpr => ({ kind: 'Call', fn: 'int4_eq', args: [c(l), c(r)], type: T.bool });
const counts = (names?: string[]) => P.reduce(A, [0], [{ fn: 'count_star', args: [], distinct: false, type: T.int8 }], names);
const filtered = (value: Datum, type: SqlType) => P.filter(P.map(A, [lit(value, type)]), [{ kind: 'IsNull', arg: c(2, type), type: T.bool }]);
const shared = (plan: LogicalPlan) => sharedNodes(shareCommonSubplans(lowerPlan(plan)).root);

describe('shareCommonSubplans', () => {
  test('an aggregate read twice is one node; EXPLAIN prints it once and reuses it', () => {
    const plan = P.join('inner', counts(['n']), counts(['m']), eq(0, 2));
    expect(printDataflowPlan(lowerPlan(plan))).toBe(
      [
        'Join inner keys=#0 = #0 arrangements=2',
        '  Reduce group=[#0] aggs=[count(*):accumulable] shared=%1',
        '    Get a (u1)',
        '  Reuse %1',
      ].join('\n'),
    );
    const root = shareCommonSubplans(lowerPlan(plan)).root;
    expect(root.kind === 'Join' && root.left === root.right).toBe(true);
  });

  test('the pass is idempotent and leaves a plan without repeats as it was', () => {
    const once = shareCommonSubplans(lowerPlan(P.join('inner', counts(), counts(), eq(0, 2))));
    expect(shareCommonSubplans(once)).toBe(once);
    const plain = lowerPlan(P.join('inner', A, counts(), eq(0, 2)));
    expect(shareCommonSubplans(plain)).toBe(plain);
  });

  test('a self-join of a table keeps both Get leaves and shares nothing', () => {
    const plan = P.join('inner', A, A, eq(0, 2));
    expect(shared(plan)).toEqual([]);
    expect(printDataflowPlan(lowerPlan(plan))).toBe(['Join inner keys=#0 = #0 arrangements=2', '  Get a (u1)', '  Get a (u1)'].join('\n'));
  });

  test('sub-trees that differ in a literal value or type, or in a key, stay apart', () => {
    const pairs: [LogicalPlan, LogicalPlan][] = [
      [filtered(1, int4), filtered(2, int4)],
      [filtered(1, int4), filtered(1n, T.int8)],
      [filtered(Number.NaN, T.float8), filtered(Number.POSITIVE_INFINITY, T.float8)],
      [filtered(0, T.float8), filtered(-0, T.float8)],
      [filtered('1', T.text), filtered(1, int4)],
      [counts(), P.reduce(A, [1], [{ fn: 'count_star', args: [], distinct: false, type: T.int8 }])],
    ];
    for (const [l, r] of pairs) expect(shared(P.union([l, r]))).toEqual([]);
    expect(shared(P.union([filtered(Number.NaN, T.float8), filtered(Number.NaN, T.float8)])).length).toBe(1);
  });

  test('nested repeats share the outermost equal sub-tree', () => {
    const twice = () => P.join('inner', counts(), counts(), eq(0, 2));
    const plan = P.union([twice(), twice()]);
    const nodes = shared(plan);
    expect(nodes.map((n) => n.kind)).toEqual(['Join', 'Reduce']);
  });
});

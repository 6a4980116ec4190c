import { describe, expect, test } from 'vitest';
import { applyBottomUp, optimize } from '../../../src/plan/optimize.js';
import { printPlan } from '../../../src/plan/print-plan.js';
import { predicatePushdown } from '../../../src/plan/rules/predicate-pushdown.js';
import { c, eq, gt, lines, n, P, t, u } from './rule-helper.js';

const push = (p: Parameters<typeof printPlan>[0]): string => printPlan(optimize(p, [predicatePushdown]));

describe('predicate-pushdown', () => {
  test('through Project, renumbering columns', () => {
    const p = P.filter(P.project(t(), [1, 0]), [gt(c(0), n(1))]);
    expect(push(p)).toBe(lines('Project (#1, #0)', '  Filter (#1 > 1)', '    Get public.t'));
  });

  test('through Map only for predicates on input columns', () => {
    const p = P.filter(P.map(t(), [c(0)]), [gt(c(1), n(1)), gt(c(2), n(5))]);
    expect(push(p)).toBe(lines('Filter (#2 > 5)', '  Map (#0)', '    Filter (#1 > 1)', '      Get public.t'));
  });

  test('into both sides and the condition of an inner join', () => {
    const p = P.filter(P.join('inner', t(), u(), { kind: 'Literal', value: true, type: { kind: 'bool' } }), [gt(c(0), n(1)), gt(c(3), n(2)), eq(c(0), c(2))]);
    expect(push(p)).toBe(
      lines('Join kind=inner on=(#0 = #2)', '  Filter (#0 > 1)', '    Get public.t', '  Filter (#1 > 2)', '    Get public.u'),
    );
  });

  test('only into the preserved side of a left join', () => {
    const p = P.filter(P.join('left', t(), u(), eq(c(0), c(2))), [gt(c(0), n(1)), gt(c(3), n(2))]);
    expect(push(p)).toBe(
      lines('Filter (#3 > 2)', '  Join kind=left on=(#0 = #2)', '    Filter (#0 > 1)', '      Get public.t', '    Get public.u'),
    );
  });

  test('one-sided conjuncts of a left join condition move into its right input', () => {
    const p = P.join('left', t(), u(), { kind: 'And', args: [eq(c(0), c(2)), gt(c(3), n(2)), gt(c(0), n(0))], type: { kind: 'bool' } });
    expect(printPlan(applyBottomUp(p, predicatePushdown))).toBe(
      lines('Join kind=left on=((#0 = #2) AND (#0 > 0))', '  Get public.t', '  Filter (#1 > 2)', '    Get public.u'),
    );
  });

  test('through Reduce only on group-key columns', () => {
    const p = P.filter(P.reduce(t(), [1], [{ fn: 'count_star', args: [], distinct: false, type: { kind: 'int8' } }]), [gt(c(0), n(1)), gt(c(1), n(1))]);
    expect(push(p)).toBe(lines('Filter (#1 > 1)', '  Reduce group=[#1] aggs=[count(*)]', '    Filter (#1 > 1)', '      Get public.t'));
  });

  test('not through a global Reduce, and constant predicates stay', () => {
    const p = P.filter(P.reduce(t(), [], []), [{ kind: 'Literal', value: false, type: { kind: 'bool' } }]);
    expect(push(p)).toBe(lines('Filter false', '  Reduce group=[] aggs=[]', '    Get public.t'));
  });

  test('through Union into every input', () => {
    const p = P.filter(P.union([t(), u()]), [gt(c(0), n(1))]);
    expect(push(p)).toBe(lines('Union', '  Filter (#0 > 1)', '    Get public.t', '  Filter (#0 > 1)', '    Get public.u'));
  });

  test('through WindowExpand on input columns, through SessionWindow on partition columns only', () => {
    const hop = P.filter(P.windowExpand(t(), 'hop', 1, 5, 10, 0), [gt(c(0), n(1)), gt(c(2), n(5))]);
    expect(push(hop)).toBe(lines('Filter (#2 > 5)', '  WindowExpand hop time=#1 slide=5us size=10us', '    Filter (#0 > 1)', '      Get public.t'));
    const session = P.filter(P.sessionWindow(t(), [0], 1, 10), [gt(c(0), n(1)), gt(c(1), n(5))]);
    expect(push(session)).toBe(lines('Filter (#1 > 5)', '  SessionWindow partition=[#0] time=#1 gap=10us', '    Filter (#0 > 1)', '      Get public.t'));
  });
});

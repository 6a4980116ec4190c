import { describe, expect, test } from 'vitest';
import { lowerPlan } from '../../../src/plan/lower/lower-plan.js';
import { printDataflowPlan } from '../../../src/plan/physical/print-dataflow-plan.js';
import * as P from '../../../src/plan/plan-builders.js';
import type { ScalarExpr } from '../../../src/plan/scalar-expr.js';
import { T, type SqlType } from '../../../src/types/sql-type.js';

const int4 = T.int4;
const schema = (names: string[]) => names.map((name) => ({ name, type: int4 as SqlType, nullable: true }));
const A = P.get('u1', 'a', schema(['k', 'v']));
const B = P.get('u2', 'b', schema(['k', 'w']));
const c = (i: number): ScalarExpr => ({ kind: 'Column', index: i, type: int4 });
const call = (fn: string, ...args: ScalarExpr[]): ScalarExpr => ({ kind: 'Call', fn, args, type: fn.endsWith('add') ? int4 : T.bool });
const lit = (v: number): ScalarExpr => ({ kind: 'Literal', value: v, type: int4 });

describe('lowerPlan', () => {
  test('a Map/Filter/Project chain fuses into one MapFilterProject; predicates run as early as they can', () => {
    const plan = P.project(P.filter(P.map(P.filter(A, [call('int4_gt', c(1), lit(0))]), [call('int4_add', c(0), c(1))]), [call('int4_lt', c(2), lit(9))]), [2, 0]);
    expect(printDataflowPlan(lowerPlan(plan))).toBe(
      ['MapFilterProject map=[int4_add(#0, #1)] filter=[int4_gt(#1, 0) @0, int4_lt(#2, 9) @1] project=[#2, #0]', '  Get a (u1)'].join('\n'),
    );
  });

  test('an identity projection disappears', () => {
    expect(lowerPlan(P.project(A, [0, 1])).root.kind).toBe('Get');
  });

  test('join: equalities across the sides become keys, the rest a residual', () => {
    const on: ScalarExpr = { kind: 'And', args: [call('int4_eq', c(2), c(0)), call('int4_lt', c(1), c(3)), call('int4_eq', c(0), c(1))], type: T.bool };
    const p = lowerPlan(P.join('left', A, B, on));
    expect(printDataflowPlan(p)).toBe(
      ['Join left keys=#0 = #0 residual=(int4_lt(#1, #3) AND int4_eq(#0, #1)) arrangements=2', '  Get a (u1)', '  Get b (u2)'].join('\n'),
    );
    expect(p.inputIds).toEqual(['u1', 'u2']);
  });

  describe('null-safe keys', () => {
    const isNull = (e: ScalarExpr): ScalarExpr => ({ kind: 'IsNull', arg: e, type: T.bool });
    const bothNull = (x: ScalarExpr, y: ScalarExpr): ScalarExpr => ({ kind: 'And', args: [isNull(x), isNull(y)], type: T.bool });
    const or = (...args: ScalarExpr[]): ScalarExpr => ({ kind: 'Or', args, type: T.bool });
    const on = (...args: ScalarExpr[]): ScalarExpr => ({ kind: 'And', args, type: T.bool });
    const joinLine = (cond: ScalarExpr, kind: 'inner' | 'left' = 'left') => printDataflowPlan(lowerPlan(P.join(kind, A, B, cond))).split('\n')[0];

    test('(l = r) OR (l IS NULL AND r IS NULL) is a null-safe key, in either order', () => {
      expect(joinLine(or(call('int4_eq', c(0), c(2)), bothNull(c(0), c(2))))).toBe('Join left keys=#0 IS NOT DISTINCT FROM #0 arrangements=2');
      expect(joinLine(or(bothNull(c(2), c(0)), call('int4_eq', c(2), c(0))))).toBe('Join left keys=#0 IS NOT DISTINCT FROM #0 arrangements=2');
    });

    test('null-safe and plain keys mix per position; the rest stays a residual', () => {
      const p = lowerPlan(P.join('inner', A, B, on(or(call('int4_eq', c(1), c(3)), bothNull(c(1), c(3))), call('int4_eq', c(0), c(2)), call('int4_lt', c(1), c(2)))));
      expect(printDataflowPlan(p).split('\n')[0]).toBe('Join inner keys=#1 IS NOT DISTINCT FROM #1, #0 = #0 residual=int4_lt(#1, #2) arrangements=2');
      expect(p.root.kind === 'Join' && p.root.nullSafe).toEqual([true, false]);
    });

    test('IS NOT DISTINCT FROM (the binder\'s NOT CASE … ELSE l <> r END) is a null-safe key', () => {
      const notDistinct: ScalarExpr = {
        kind: 'Not',
        arg: {
          kind: 'Case',
          whens: [
            { cond: isNull(c(0)), result: { kind: 'Not', arg: isNull(c(2)), type: T.bool } },
            { cond: isNull(c(2)), result: { kind: 'Literal', value: true, type: T.bool } },
          ],
          else: call('int4_ne', c(0), c(2)),
          type: T.bool,
        },
        type: T.bool,
      };
      expect(joinLine(notDistinct, 'inner')).toBe('Join inner keys=#0 IS NOT DISTINCT FROM #0 arrangements=2');
    });

    test('near misses stay residuals: other columns in the IS NULL test, one side only, or both sides in one operand', () => {
      expect(joinLine(or(call('int4_eq', c(0), c(2)), bothNull(c(1), c(2))))).toMatch(/^Join left cross residual=/);
      expect(joinLine(or(call('int4_eq', c(0), c(2)), isNull(c(0))))).toMatch(/^Join left cross residual=/);
      expect(joinLine(or(call('int4_eq', c(0), c(1)), bothNull(c(0), c(1))))).toMatch(/^Join left cross residual=/);
    });
  });

  test('a join on true is a cross join', () => {
    const p = lowerPlan(P.join('inner', A, A, { kind: 'Literal', value: true, type: T.bool }));
    expect(p.root.kind === 'Join' && p.root.leftKey.length).toBe(0);
    expect(p.inputIds).toEqual(['u1']);
  });

  test('reduce: each aggregate gets its kind', () => {
    const agg = (fn: 'count_star' | 'sum' | 'min' | 'string_agg' | 'count', distinct = false) => ({ fn, args: fn === 'count_star' ? [] : [c(1)], distinct, type: T.int8 });
    const p = lowerPlan(P.reduce(A, [0], [agg('count_star'), agg('sum'), agg('min'), agg('count', true)]));
    expect(printDataflowPlan(p).split('\n')[0]).toBe('Reduce group=[#0] aggs=[count(*):accumulable, sum(#1):accumulable, min(#1):hierarchical, count(distinct #1):basic]');
  });

  test('an aggregate the runtime cannot maintain is rejected with 0A000', () => {
    const iv = { kind: 'Column', index: 0, type: T.interval } as ScalarExpr;
    const plan = P.reduce(P.get('u3', 'c', [{ name: 'i', type: T.interval, nullable: true }]), [], [{ fn: 'avg', args: [iv], distinct: false, type: T.interval }]);
    expect(() => lowerPlan(plan)).toThrow(expect.objectContaining({ code: '0A000' }));
  });
});
